// Fuzzes FACTS.yaml (collect/facts.h): any bytes as the facts, laid over a
// collected inventory built in memory as `inventory collect` builds it, then
// the result read back as an inventory, as collect does before it writes.
// Refused with an InputError that keeps the message contract and, when it
// names a line, names one of the facts' own lines; or accepted. No other
// exception (yaml-cpp's "bad conversion" or "invalid node"), no crash, no
// hang (an alias bomb is refused, not expanded).
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "collect/facts.h"
#include "fuzz_support.h"
#include "inventory/inventory.h"
#include "util/error.h"

namespace {

YAML::Node system(const char* host, const char* os, int sp, std::vector<std::string> roles) {
  YAML::Node s;
  s["host"] = host;
  s["os"] = os;
  s["os_sp"] = sp;
  s["edition"] = "standard";
  s["roles"] = roles;
  for (const char* unknown : {"bits", "firewall", "scw", "sms_client_installed", "dcom_fixed"}) s[unknown] = YAML::Null;
  return s;
}

YAML::Node site(const char* code, const char* type, const char* parent, const char* version) {
  YAML::Node s;
  s["code"] = code;
  s["name"] = std::string("Site ") + code;
  s["type"] = type;
  s["parent"] = parent ? YAML::Node(parent) : YAML::Node(YAML::NodeType::Null);
  s["version"] = version;
  for (const char* unknown : {"security", "http_port", "drw_passed", "foreign_files"}) s[unknown] = YAML::Null;
  s["install_dir"] = "C:\\SMS";
  return s;
}

// Three sites as the collector leaves them: built in memory, so no node has
// a mark, and every value no database holds is ~.
YAML::Node collected() {
  YAML::Node root;
  root["format"] = "smsup-inventory/1";
  root["hierarchy"] = "SMS hierarchy of CEN";
  YAML::Node cen = site("CEN", "primary", nullptr, "sp1");
  cen["database"]["server"] = "SEA-SQL01";
  cen["database"]["sql"] = YAML::Null;
  cen["database"]["free_disk_mb"] = YAML::Null;
  cen["systems"].push_back(system("SEA-SMS01", "w2003", 1, {"site_server", "provider", "management_point"}));
  cen["systems"].push_back(system("SEA-SQL01", "w2003", 1, {"database_server"}));
  cen["consoles"] = YAML::Null;
  YAML::Node eur = site("EUR", "primary", "CEN", "rtm");
  eur["database"]["server"] = "LON-SMS01";
  eur["systems"].push_back(system("LON-SMS01", "w2000", 4, {"site_server", "database_server"}));
  eur["consoles"] = YAML::Null;
  YAML::Node par = site("PAR", "secondary", "EUR", "rtm");
  par["systems"].push_back(system("PAR-SMS01", "w2003", 0, {"site_server"}));
  par["consoles"] = YAML::Null;
  root["sites"].push_back(cen);
  root["sites"].push_back(eur);
  root["sites"].push_back(par);
  return root;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace smsup;
  std::string text(fuzz::bytes(data, size));
  const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  try {
    YAML::Node facts = collect::parse_facts(text, "FACTS.yaml");
    std::string autoupgrade = "~", port = "~", firewall = "~";
    collect::client_defaults(facts, "FACTS.yaml", autoupgrade, port, firewall);
    YAML::Node root = collected();
    collect::apply_facts(root, facts, "FACTS.yaml");
    YAML::Emitter out;
    out << root;
    fuzz::require(out.good(), "the inventory with the facts can be written");
    Hierarchy h = inventory::load_text(out.c_str(), "inventory.yaml", fuzz::scratch_dir());
    fuzz::require(h.sites.size() == 3, "the facts add no site");
  } catch (const InputError& e) {
    fuzz::check_message(e.what());
    if (e.loc().file == "FACTS.yaml")
      fuzz::require(e.loc().line <= lines, "a refusal of the facts names one of their lines");
  }
  return 0;
}
