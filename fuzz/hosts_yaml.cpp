// Fuzzes the HOSTS.yaml reader (drivers::parse_hosts): any bytes. Refused
// with an InputError that keeps the message contract, or accepted with every
// duration inside its range (a timeout of 0 or inf killed every step at once).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "drivers/hosts_file.h"
#include "fuzz_support.h"
#include "util/duration.h"
#include "util/error.h"

namespace {
bool in_range(smsup::drivers::Seconds s) {
  using namespace std::chrono;
  return std::isfinite(s.count()) && s.count() > 0 && s <= duration_cast<smsup::drivers::Seconds>(smsup::kMaxDuration);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace smsup;
  try {
    drivers::HostsConfig c = drivers::parse_hosts(std::string(fuzz::bytes(data, size)), "HOSTS.yaml");
    fuzz::require(in_range(c.timeout), "default timeout in range");
    fuzz::require(in_range(c.probe_timeout), "probe timeout in range");
    for (const auto& [name, k] : c.kinds) {
      fuzz::require(in_range(c.timeout_of(k)), "kind timeout in range");
      if (k.wait) fuzz::require(in_range(*k.wait), "wait in range");
      fuzz::require(in_range(k.poll), "poll in range");
    }
  } catch (const InputError& e) {
    fuzz::check_message(e.what());
  }
  return 0;
}
