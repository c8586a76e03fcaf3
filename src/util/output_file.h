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
#include <string_view>

namespace smsup {

struct WriteOptions {
  bool sync = false;  // fsync the file before the rename (state smsup reads back)
};

// Throws InputError naming `path` and `option` (e.g. "-o") when it cannot.
void write_output_file(const std::filesystem::path& path, std::string_view option, std::string_view bytes,
                       WriteOptions opts = {});

}  // namespace smsup
