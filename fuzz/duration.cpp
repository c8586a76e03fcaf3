// Fuzzes the one duration grammar (util/duration.h) and HOSTS.yaml's
// seconds view of it: any bytes. A duration accepted is within 0..a year,
// both views agree, and checked_duration refuses with a message that keeps
// the contract.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "drivers/hosts_file.h"
#include "fuzz_support.h"
#include "util/duration.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace smsup;
  using namespace std::chrono;
  std::string_view s = fuzz::bytes(data, size);
  auto d = parse_duration(s);
  if (d) {
    fuzz::require(d->count() >= 0 && *d <= kMaxDuration, "a parsed duration is within a year");
    auto secs = drivers::parse_duration(std::string(s));
    fuzz::require(secs.has_value(), "HOSTS.yaml reads what the grammar reads");
    fuzz::require(static_cast<long long>(secs->count() * 1000.0 + 0.5) == d->count(),
                  "both views give the same length");
    fuzz::require(!duration_words(*d).empty(), "a duration has words");
  }
  try {
    auto c = checked_duration(s, {"HOSTS.yaml", 3, 10}, "timeout", milliseconds(10), hours(24 * 30));
    fuzz::require(d && c == *d, "checked_duration accepts only what parse_duration reads");
    fuzz::require(c >= milliseconds(10) && c <= hours(24 * 30), "checked_duration keeps its range");
  } catch (const InputError& e) {
    fuzz::check_message(e.what());
  }
  return 0;
}
