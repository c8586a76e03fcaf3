// Writing a file a person named with -o (a report, a plan, a saved twin).
//
// A regular file is replaced whole: the bytes go to a temporary file beside
// it, which is renamed over the target, so a failed or interrupted run leaves
// the old file, never a torn one. A target that exists and is a character
// device or a FIFO (-o /dev/null, -o /dev/stdout, a pipe) is written to
// directly: renaming over it would replace /dev/null with a regular file.
// Any other kind of target (a directory, a socket) is refused.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace smsup {

struct WriteOptions {
  bool sync = false;  // fsync the file before the rename (state smsup reads back)
};

// Throws InputError naming `path` and `option` (e.g. "-o") when it cannot.
void write_output_file(const std::filesystem::path& path, std::string_view option, std::string_view bytes,
                       WriteOptions opts = {});

// The same for a file written as it is produced (too large to hold first:
// a million clients): the bytes go to the temporary file as they come and
// commit() renames it over the target. Destroyed without commit() (an error
// on the way), the temporary file is removed and the old file stays.
class OutputFileWriter {
 public:
  OutputFileWriter(const std::filesystem::path& path, std::string_view option, WriteOptions opts = {});
  ~OutputFileWriter();
  OutputFileWriter(const OutputFileWriter&) = delete;
  OutputFileWriter& operator=(const OutputFileWriter&) = delete;
  void write(std::string_view bytes);
  void commit();

 private:
  std::filesystem::path path_;
  std::string option_;
  std::string tmp_;  // empty: a device or FIFO, written directly
  WriteOptions opts_;
  int fd_ = -1;
};

}  // namespace smsup
