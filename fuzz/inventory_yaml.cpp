// Fuzzes the inventory reader (inventory::load_text): any bytes as the YAML.
// Refused with an InputError that keeps the message contract, or accepted
// into a hierarchy that links; no other exception, no crash, no hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "inventory/inventory.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace smsup;
  try {
    // Clients CSVs are named relative to the scratch folder, which holds none:
    // a named CSV is refused, the YAML is what is fuzzed here.
    Hierarchy h = inventory::load_text(fuzz::bytes(data, size), "inv.yaml", fuzz::scratch_dir());
    fuzz::require(!h.sites.empty(), "an accepted inventory has a site");
    fuzz::require(h.sha256.size() == 64, "an accepted inventory has its digest");
  } catch (const InputError& e) {
    fuzz::check_message(e.what());
  }
  return 0;
}
