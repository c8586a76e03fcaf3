// Fuzzes the twin's durations file (twin::durations_from_json): any bytes as
// JSON. Refused with an InputError that keeps the message contract, or
// accepted and round-trips through to_json.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "twin/durations.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace smsup;
  nlohmann::json j = nlohmann::json::parse(fuzz::bytes(data, size), nullptr, false);
  if (j.is_discarded()) return 0;
  try {
    twin::Durations d = twin::durations_from_json(j, "durations.json");
    nlohmann::json once = twin::to_json(d);
    fuzz::require(twin::to_json(twin::durations_from_json(once, "again")) == once, "accepted durations round-trip");
  } catch (const InputError& e) {
    fuzz::check_message(e.what());
  }
  return 0;
}
