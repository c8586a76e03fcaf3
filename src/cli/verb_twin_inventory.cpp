// `smsup twin inventory`: a synthetic, valid inventory of any size.
#include <fmt/ostream.h>

#include "cli/add_verb.h"
#include "cli/checks.h"
#include "cli/twin.h"
#include "util/error.h"
#include "util/printable.h"

namespace smsup::cli {

int run_twin_inventory(const TwinInventoryOptions& o, Output& out) {
  require_range("--sites", o.synth.sites, 1, 46000);
  require_range("--clients", o.synth.clients, 0, 50'000'000);
  // The name an inventory needs (inventory.md: hierarchy, one line of text).
  if (o.synth.name.empty() || has_control(o.synth.name))
    throw InputError({}, "--name", "'" + o.synth.name + "' is not a hierarchy name; expected one line of text");
  auto files = inventory::write_synthetic(o.synth, o.out);
  fmt::print(out.out, "wrote {} ({} sites) and {} ({} clients)\n", files.inventory.string(), o.synth.sites,
             files.clients.string(), o.synth.clients);
  return 0;
}

void register_twin_inventory(CLI::App& twin, Status& status) {
  auto [sub, o] =
      add_verb(twin, status, "inventory", "Write a synthetic, valid inventory (DIR/inventory.yaml + DIR/clients.csv)",
               run_twin_inventory);
  sub->add_option("--sites", o->synth.sites, "Number of sites, 1 to 46000 (about a third primary)")
      ->capture_default_str();
  sub->add_option("--clients", o->synth.clients, "Number of clients, 0 to 50000000")->capture_default_str();
  sub->add_option("--seed", o->synth.seed, "Seed; the same seed writes the same files")
      ->capture_default_str()
      ->check(whole_number_u64());
  sub->add_flag("--messy", o->synth.messy, "Give about one site in twenty a blocker");
  sub->add_option("--name", o->synth.name, "Hierarchy name")->capture_default_str();
  sub->add_option("-o,--out", o->out, "Folder to write into")->required();
}

}  // namespace smsup::cli
