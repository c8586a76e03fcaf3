// Fuzzes the plan reader (plan::load, which locates errors inside the JSON):
// any bytes as a plan file. Refused with an InputError that keeps the message
// contract, or accepted and then round-trips: to_json -> from_json -> to_json
// gives the same document.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "plan/plan.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace smsup;
  std::string path = fuzz::write_scratch("plan.json", fuzz::bytes(data, size));
  try {
    plan::Plan p = plan::load(path);
    nlohmann::json once = plan::to_json(p);
    plan::Plan again = plan::from_json(once, path);
    fuzz::require(plan::to_json(again) == once, "an accepted plan round-trips through to_json");
    fuzz::require(p.options.max_parallel >= 1 && p.options.max_parallel <= plan::kMaxParallelLimit,
                  "max_parallel in range");
    for (const auto& s : p.steps)
      fuzz::require(s.estimate_min >= 0 && s.estimate_min <= plan::kMaxEstimateMin, "estimate_min in range");
  } catch (const InputError& e) {
    fuzz::check_message(e.what());
  }
  return 0;
}
