// Where the twin's log lines go. The simulation formats each line in the real
// SMS trace format and hands it to a sink with the path it would have on the
// host; the sink decides whether that is memory (tests) or files (twin dir).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace smsup::twin {

class LogSink {
 public:
  virtual ~LogSink() = default;
  // `path` is relative to the twin folder: "CEN01/C/SMSSetup.log",
  // "CEN01/C/SMS/Logs/sitecomp.log". `line` has no line terminator.
  virtual void write(std::string_view path, std::string_view line) = 0;
};

// Keeps every line in memory, by path.
class MemoryLogSink : public LogSink {
 public:
  void write(std::string_view path, std::string_view line) override { files[std::string(path)].emplace_back(line); }
  // All lines of a path joined with '\n' (empty when never written).
  std::string text(const std::string& path) const;
  bool contains(const std::string& path, std::string_view needle) const;
  std::map<std::string, std::vector<std::string>> files;
};

}  // namespace smsup::twin
