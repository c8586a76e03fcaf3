// `smsup twin inventory`: a synthetic, valid inventory of any size.
#include <cstdio>

#include "cli/verbs.h"
#include "inventory/synth.h"
#include "util/error.h"

namespace smsup::cli {

void register_twin_inventory(CLI::App& twin, Status& status) {
  auto* sub = twin.add_subcommand(
      "inventory", "Write a synthetic, valid inventory (DIR/inventory.yaml + DIR/clients.csv)");
  auto opts = std::make_shared<inventory::SynthOptions>();
  auto out = std::make_shared<std::string>();
  sub->add_option("--sites", opts->sites, "Number of sites (about a third primary)")
      ->check(CLI::Range(1, 46000))
      ->capture_default_str();
  sub->add_option("--clients", opts->clients, "Number of clients")
      ->check(CLI::Range(int64_t{0}, int64_t{50'000'000}))
      ->capture_default_str();
  sub->add_option("--seed", opts->seed, "Seed; the same seed writes the same files")
      ->capture_default_str();
  sub->add_flag("--messy", opts->messy, "Give about one site in twenty a blocker");
  sub->add_option("--name", opts->name, "Hierarchy name")->capture_default_str();
  sub->add_option("-o,--out", *out, "Folder to write into")->required();
  sub->callback([opts, out, &status] {
    auto files = inventory::write_synthetic(*opts, *out);
    std::printf("wrote %s (%d sites) and %s (%lld clients)\n", files.inventory.c_str(),
                opts->sites, files.clients.c_str(), static_cast<long long>(opts->clients));
    status.code = 0;
  });
}

}  // namespace smsup::cli
