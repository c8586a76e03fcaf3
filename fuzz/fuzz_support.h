// Helpers shared by the fuzz targets: the invariants every refusal must keep
// (one readable line of bounded size, the contract of util/error.h) and a
// scratch file for parsers that read a path.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace smsup::fuzz {

inline std::string_view bytes(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Aborts (a finding) unless `what` is one line of readable size: no control
// bytes, at most 512 bytes. Error messages quote user values escaped and
// shortened (util/error.h); a message that breaks this is a bug.
inline void check_message(std::string_view what) {
  if (what.empty() || what.size() > 512) {
    std::fprintf(stderr, "message of %zu bytes: %.600s\n", what.size(), std::string(what).c_str());
    std::abort();
  }
  for (unsigned char c : what)
    if (c < 0x20 || c == 0x7f) {
      std::fprintf(stderr, "control byte 0x%02x in message: %s\n", c, std::string(what).c_str());
      std::abort();
    }
}

inline void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
  }
}

// A per-process scratch folder (in /dev/shm when there is one: the targets
// write a file per input), removed when the fuzzer exits.
inline std::string scratch_dir() {
  // Never destroyed: the exit handler below still needs it.
  static const std::string* dir = [] {
    std::string base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    auto* d = new std::string(base + "/smsup-fuzz-" + std::to_string(getpid()));
    std::filesystem::create_directories(*d);
    return d;
  }();
  static const bool cleanup = [] {
    return std::atexit([] {
             std::error_code ec;
             std::filesystem::remove_all(*dir, ec);
           }) == 0;
  }();
  (void)cleanup;
  return *dir;
}

inline std::string write_scratch(const std::string& name, std::string_view content) {
  std::string path = scratch_dir() + "/" + name;
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(content.data(), static_cast<std::streamsize>(content.size()));
  f.close();
  require(static_cast<bool>(f), "scratch file written");
  return path;
}

}  // namespace smsup::fuzz
