// smsup clients INVENTORY: the client campaign (rules.md clients, twin.md).
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/verbs.h"
#include "inventory/inventory.h"
#include "twin/campaign_report.h"
#include "util/error.h"
#include "util/output_file.h"

namespace smsup::cli {
namespace {

namespace fs = std::filesystem;

struct ClientsArgs {
  std::string inventory;
  int days = 7;
  std::string format = "text";
  std::string push_csv;
  uint64_t seed = 1;
};

void write_text_file(const fs::path& path, const std::string& text) {
  write_output_file(path, "--push-csv", text);
}

int run_clients(const ClientsArgs& a) {
  Hierarchy h = inventory::load(a.inventory);
  auto c = twin::plan_campaign(h, a.seed, a.days);
  std::ios::sync_with_stdio(false);
  if (a.format == "json") {
    std::cout << to_json(c, h).dump(2) << "\n";
  } else if (a.format == "csv") {
    std::cout << to_csv(c, h);
  } else {
    std::cout << to_text(c, h);
  }
  if (!a.push_csv.empty()) {
    std::error_code ec;
    fs::create_directories(a.push_csv, ec);
    if (ec) throw InputError({a.push_csv, 0, 0}, "--push-csv", "cannot create this folder: " + ec.message());
    int files = 0;
    for (const auto& [site, text] : push_collections(c, h, twin::ClientFate::push)) {
      write_text_file(fs::path(a.push_csv) / ("push-" + site + ".csv"), text);
      ++files;
    }
    for (const auto& [site, text] : push_collections(c, h, twin::ClientFate::to_advanced)) {
      write_text_file(fs::path(a.push_csv) / ("to-advanced-" + site + ".csv"), text);
      ++files;
    }
    std::cerr << "smsup clients: wrote " << files << " collection file(s) to " << a.push_csv << "\n";
  }
  std::cout.flush();
  return c.cannot == 0 ? 0 : 1;
}

}  // namespace

void register_clients(CLI::App& app, Status& status) {
  auto a = std::make_shared<ClientsArgs>();
  auto* sub = app.add_subcommand(
      "clients",
      "The client campaign: who upgrades by itself and when, who must be pushed, who cannot take SP2 and why.\n"
      "Exit status: 0 every client can reach SP2, 1 some cannot, 2 bad input.");
  sub->add_option("INVENTORY", a->inventory, "the inventory YAML (smsup-inventory/1)")->required();
  sub->add_option("--days", a->days, "days of the SP2 curve")->capture_default_str()->check(CLI::Range(1, 3650));
  sub->add_option("--format", a->format, "text (default), json or csv (one row per client)")
      ->check(CLI::IsMember({"text", "json", "csv"}));
  sub->add_option("--push-csv", a->push_csv,
                  "write per-site collections to push (push-SITE.csv) and to move to the Advanced Client "
                  "(to-advanced-SITE.csv) into this folder");
  sub->add_option("--seed", a->seed, "seed of the CCIM schedule phases")->capture_default_str();
  sub->callback([a, &status] { status.code = run_clients(*a); });
}

}  // namespace smsup::cli
