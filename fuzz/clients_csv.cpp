// Fuzzes the clients CSV reader (inventory::load_clients) against the
// Fabrikam hierarchy: any bytes as the CSV. Refused with an InputError that
// keeps the message contract, or every client read names a site of the
// hierarchy.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "inventory/inventory.h"
#include "util/error.h"

namespace {
// Fabrikam's sites (examples/fabrikam/fabrikam.yaml), without clients.
const char* kInventory = R"(format: smsup-inventory/1
hierarchy: Fabrikam
sites:
  - code: FAB
    type: primary
    parent: ~
    version: sp1
    database: {server: DUB-SQL01, sql: 2000-sp4, data_mb: 3000, log_mb: 600, free_disk_mb: 20000}
    systems:
      - {host: DUB-SMS01, os: w2003, os_sp: 1, roles: [site_server, provider, management_point]}
      - {host: DUB-SQL01, os: w2003, os_sp: 0, roles: [database_server]}
  - code: CRK
    type: primary
    parent: FAB
    version: rtm
    database: {server: CRK-SMS01, sql: 2000-sp3a, data_mb: 900, log_mb: 200, free_disk_mb: 8000}
    systems:
      - {host: CRK-SMS01, os: w2000, os_sp: 4, roles: [site_server, provider, management_point, database_server]}
  - code: GAL
    type: secondary
    parent: CRK
    version: rtm
    systems:
      - {host: GAL-SMS01, os: w2003, roles: [site_server, distribution_point]}
)";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace smsup;
  static const Hierarchy base = inventory::load_text(kInventory, "fabrikam.yaml", ".");
  Hierarchy h = base;
  try {
    inventory::load_clients(h, fuzz::bytes(data, size), "clients.csv");
    for (const auto& c : h.clients)
      fuzz::require(c.site >= 0 && c.site < static_cast<int>(h.sites.size()),
                    "every client read belongs to a site of the hierarchy");
  } catch (const InputError& e) {
    fuzz::check_message(e.what());
  }
  return 0;
}
