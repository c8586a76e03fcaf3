// Fuzzes the connection strings of `inventory collect` (collect::
// parse_connection, and redact(), which keeps passwords out of messages):
// any bytes. Refused with an InputError that keeps the message contract; in
// what redact() leaves, every PWD= and password= is followed by *** only.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>

#include "collect/odbc_source.h"
#include "fuzz_support.h"
#include "util/error.h"

namespace {
void require_redacted(const std::string& text) {
  std::string r = smsup::collect::redact(text);
  std::string lower = r;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (std::string key : {"pwd=", "password="})
    for (auto at = lower.find(key); at != std::string::npos; at = lower.find(key, at + 1))
      smsup::fuzz::require(r.compare(at + key.size(), 3, "***") == 0, "every password is redacted");
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace smsup;
  std::string text(fuzz::bytes(data, size));
  require_redacted(text);
  try {
    collect::Connection c = collect::parse_connection(text, "--central");
    require_redacted(c.odbc);
  } catch (const InputError& e) {
    fuzz::check_message(e.what());
  }
  return 0;
}
