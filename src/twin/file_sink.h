// The twin's logs on disk: <twin-dir>/<HOST>/C/SMSSetup.log and
// <twin-dir>/<HOST>/<drive>/<install dir>/Logs/<name>.log. Lines are buffered
// per file and appended in batches, so thousands of sites do not need
// thousands of open files.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "twin/log_sink.h"

namespace smsup::twin {

class FileLogSink : public LogSink {
 public:
  explicit FileLogSink(std::filesystem::path dir, size_t flush_bytes = 8u << 20);
  ~FileLogSink() override;
  void write(std::string_view path, std::string_view line) override;
  void flush();  // throws std::runtime_error naming the file on an I/O error
  uint64_t lines() const { return lines_; }

 private:
  std::filesystem::path dir_;
  size_t flush_bytes_;
  size_t buffered_ = 0;
  uint64_t lines_ = 0;
  std::map<std::string, std::string, std::less<>> pending_;
};

}  // namespace smsup::twin
