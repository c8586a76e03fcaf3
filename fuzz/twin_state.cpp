// Fuzzes loading a saved twin (twin::Twin::from_json, as `apply --target
// twin` does on resume): any bytes as twin-state.json. A state is refused
// with an InputError that keeps the message contract, or accepted and then
// run on for a day of virtual time, every log line written, without a crash
// or a hang; what it then saves loads again.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "twin/log_sink.h"
#include "twin/twin.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace smsup;
  nlohmann::json j = nlohmann::json::parse(fuzz::bytes(data, size), nullptr, false);
  if (j.is_discarded()) return 0;
  try {
    twin::Twin t = twin::Twin::from_json(j, "twin-state.json");
    twin::MemoryLogSink sink;
    t.set_log_sink(&sink);
    t.advance_to(t.now() + twin::kDay);
    (void)t.clients_by_day(2);
    nlohmann::json saved = t.to_json();
    try {
      (void)twin::Twin::from_json(saved, "again");
    } catch (const InputError& e) {
      std::fprintf(stderr, "%s\n", e.what());
      fuzz::require(false, "what a loaded twin saves after running on loads again");
    }
  } catch (const InputError& e) {
    fuzz::check_message(e.what());
  }
  return 0;
}
