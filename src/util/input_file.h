// Reading a file a person named, safely: whatever the path turns out to be.
//
// A FIFO would block the read for ever, a device such as /dev/zero never ends,
// and a directory cannot be read at all; each gets one located message
// instead. Every kind of input has a size limit (documented in
// docs/RELIABILITY.md), so an endless or enormous file costs a message, not
// all the memory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace smsup {

// Size limits of the inputs smsup reads whole, in bytes.
namespace limits {
inline constexpr std::uint64_t kInventory = 64ull << 20;     // inventory YAML
inline constexpr std::uint64_t kClientsCsv = 2ull << 30;     // clients CSV (10^6 clients is ~100 MB)
inline constexpr std::uint64_t kPlan = 512ull << 20;         // plan JSON (15,000 steps is ~10 MB)
inline constexpr std::uint64_t kHosts = 16ull << 20;         // HOSTS.yaml
inline constexpr std::uint64_t kSmallText = 1ull << 20;      // token, credentials, estimates
inline constexpr std::uint64_t kSql = 64ull << 20;           // a dbtest migration script
inline constexpr std::uint64_t kRehearsal = 512ull << 20;    // rehearsal JSON
inline constexpr std::uint64_t kCertificates = 16ull << 20;  // a PEM file of CAs (a system bundle is ~200 KB)
}  // namespace limits

// What a path is when it is not a regular file ("a directory", "a FIFO (named
// pipe)", "a character device", ...), or an empty string when it is one.
// Follows symbolic links. A path that does not exist gives an empty string.
std::string not_regular_reason(const std::filesystem::path& path);

// Throws InputError (file, `what`) unless `path` names an existing regular file.
void require_regular_file(const std::filesystem::path& path, std::string_view what);

// The whole content of a regular file of at most `limit` bytes. Refuses (with
// InputError naming the file and `what`, e.g. "inventory") a missing file, a
// file that is not regular (without blocking on a FIFO), and a file larger
// than `limit`, also one that grows past it while it is read.
std::string read_input_file(const std::filesystem::path& path, std::string_view what, std::uint64_t limit);

// Text that starts with a UTF-16 byte order mark (as "Unicode" exports of
// Excel, bcp and PowerShell write them) converted to UTF-8; other text is
// returned as it is. Invalid UTF-16 is refused (InputError naming `path`).
std::string utf8_from_utf16(std::string text, const std::filesystem::path& path);

// "64 MiB": a limit in words, for messages and docs.
std::string size_words(std::uint64_t bytes);

}  // namespace smsup
