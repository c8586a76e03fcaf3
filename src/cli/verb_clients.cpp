// smsup clients INVENTORY: the client campaign (docs/rules.md, clients; docs/twin.md).
#include <filesystem>
#include <fstream>

#include "cli/add_verb.h"
#include "cli/checks.h"
#include "cli/clients.h"
#include "inventory/inventory.h"
#include "twin/campaign_report.h"
#include "util/error.h"
#include "util/output_file.h"

namespace smsup::cli {
namespace {

namespace fs = std::filesystem;

void write_text_file(const fs::path& path, const std::string& text) { write_output_file(path, "--push-csv", text); }

}  // namespace

int run_clients(const ClientsOptions& a, Output& out) {
  require_one_of("--format", a.format, {"text", "json", "csv"});
  require_range("--days", a.days, 1, 3650);
  Hierarchy h = inventory::load(a.inventory);
  auto c = twin::plan_campaign(h, a.seed, a.days);
  if (a.format == "json") {
    out.out << to_json(c, h).dump(2) << "\n";
  } else if (a.format == "csv") {
    out.out << to_csv(c, h);
  } else {
    out.out << to_text(c, h);
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
    out.err << "smsup clients: wrote " << files << " collection file(s) to " << a.push_csv << "\n";
  }
  out.out.flush();
  return c.cannot == 0 ? 0 : 1;
}

void register_clients(CLI::App& app, Status& status) {
  auto [sub, a] = add_verb(
      app, status, "clients",
      "The client campaign: who upgrades by itself and when, who must be pushed, who cannot take SP2 and why.\n"
      "Exit status: 0 every client can reach SP2, 1 some cannot, 2 bad input.",
      run_clients);
  sub->add_option("INVENTORY", a->inventory, "the inventory YAML (smsup-inventory/1)")->required();
  sub->add_option("--days", a->days, "days of the SP2 curve (1 to 3650)")->capture_default_str();
  sub->add_option("--format", a->format, "text (default), json or csv (one row per client)");
  sub->add_option("--push-csv", a->push_csv,
                  "write per-site collections to push (push-SITE.csv) and to move to the Advanced Client "
                  "(to-advanced-SITE.csv) into this folder");
  sub->add_option("--seed", a->seed, "seed of the CCIM schedule phases")
      ->capture_default_str()
      ->check(whole_number_u64());
}

}  // namespace smsup::cli
