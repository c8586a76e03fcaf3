// A large synthetic SMS server log (SMS trace or CMTrace format) for the
// benchmark: realistic component messages, some warnings and errors, each
// completion milestone now and then, and all six again at the end.
#pragma once

#include <cstdint>
#include <filesystem>

#include "logs/entry.h"

namespace smsup::logs {

struct GeneratedLog {
  std::uint64_t bytes = 0, entries = 0;
  LocalTime first, last;  // times of the first and last entries
};

// Writes about `bytes` bytes (whole lines) to `path`. Throws InputError.
GeneratedLog generate_log(const std::filesystem::path& path, Format format, std::uint64_t bytes, LocalTime start);

}  // namespace smsup::logs
