// Fuzzes the estimates file reader (plan::apply_estimates): any bytes as the
// JSON or YAML text. Refused with an InputError that keeps the message
// contract, or every estimate for every kind is a finite number of minutes,
// and a step's base is no longer than a plan accepts on load (a year).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "plan/estimates.h"
#include "plan/plan.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace smsup;
  plan::Estimates e = plan::Estimates::defaults();
  try {
    plan::apply_estimates(e, fuzz::bytes(data, size), "estimates.yaml");
  } catch (const InputError& err) {
    fuzz::check_message(err.what());
    return 0;
  }
  plan::Workload big;
  big.db_gb = 500;
  big.clients = 200000;
  big.site_systems = 50;
  for (auto kind : plan::step_kinds()) {
    double m = e.minutes(kind, big);
    fuzz::require(std::isfinite(m) && m >= 1, "an estimate is a finite number of minutes");
    double idle = e.minutes(kind, plan::Workload{});
    fuzz::require(idle <= plan::kMaxEstimateMin, "a step's base is within a plan's range (a year)");
  }
  return 0;
}
