#include "collect/facts.h"

#include <fmt/format.h>

#include <cstddef>
#include <optional>
#include <string_view>

#include "inventory/inventory.h"
#include "inventory/yaml_reader.h"
#include "util/error.h"
#include "util/input_file.h"
#include "util/text.h"

namespace smsup::collect {
namespace {

using inventory::loc_of;

// A key that must hold a name (a site's code, a system's host): a list or a
// mapping there would end in yaml-cpp's unlocated "bad conversion".
std::string name_at(const YAML::Node& owner, const char* key, const std::string& file, const std::string& field,
                    const char* expected) {
  const YAML::Node v = owner[key];
  if (!v) throw InputError(loc_of(owner, file), field, expected);  // absent: not a node to ask its type
  if (!v.IsScalar()) throw InputError(loc_of(v, file), field, expected);
  return v.Scalar();
}

// The text of `map`'s key, when it is there and is text (yaml-cpp throws
// when a missing key's node is asked its type).
std::optional<std::string> text_of(const YAML::Node& map, const char* key) {
  if (!map.IsMap()) return std::nullopt;
  const YAML::Node v = map[key];
  if (!v || !v.IsScalar()) return std::nullopt;
  return v.Scalar();
}

void merge(YAML::Node target, const YAML::Node& facts);

// Systems by host: a system FACTS.yaml names merges into the collected one of
// that host (any case), another is added.
void merge_systems(YAML::Node target, const YAML::Node& facts, const std::string& file, const std::string& field) {
  for (std::size_t i = 0; i < facts.size(); ++i) {
    const YAML::Node& f = facts[i];
    std::string at = fmt::format("{}[{}]", field, i);
    if (!f.IsMap()) throw InputError(loc_of(f, file), at, "expected a site system with host:");
    std::string host = name_at(f, "host", file, at + ".host", "expected the site system's host name");
    bool found = false;
    for (auto t : target) {
      auto there = text_of(t, "host");
      if (there && util::iequal(*there, host)) {
        merge(t, f);
        found = true;
      }
    }
    if (!found) target.push_back(f);
  }
}

// Sets a key of `map` to a fact: over the collected value when there is one,
// else under the facts' own key node, which keeps its place in FACTS.yaml (a
// key the inventory does not know is then refused where it was written).
// Presence is asked of a const view: yaml-cpp's non-const operator[] adds
// the key it is asked about.
void put(YAML::Node map, const YAML::Node& key, const YAML::Node& value) {
  const YAML::Node& view = map;
  if (view[key.Scalar()])
    map[key.Scalar()] = value;
  else
    map.force_insert(key, value);
}

// Maps merge key by key; any other value replaces the collected one.
void lay(YAML::Node map, const YAML::Node& key, const YAML::Node& value) {
  const YAML::Node& view = map;
  // A missing key gives a node that is not there: it must not be asked its type.
  const YAML::Node there = view[key.Scalar()];
  if (value.IsMap() && there && there.IsMap())
    merge(map[key.Scalar()], value);
  else
    put(map, key, value);
}

void merge(YAML::Node target, const YAML::Node& facts) {
  for (const auto& kv : facts) lay(target, kv.first, kv.second);
}

// Every key of the facts is a name: a complex key (`? [a, b]: x`) or a null
// one (`~: x`) would end the collect in yaml-cpp's "bad conversion". The walk
// also bounds what the facts expand to, since an alias (*name) is the node it
// names: ten lists of ten aliases to the list before are 10^10 values in a
// few hundred bytes, and an alias inside the node it names (`&a {b: *a}`) is
// a node that holds itself, endless; every later walk (the overlay, the
// inventory's reader, the count of unknown facts) would take that long.
constexpr std::size_t kMaxFactValues = 1'000'000;
constexpr int kMaxFactDepth = 64;  // an inventory nests 5 deep

void check_keys(const YAML::Node& n, const std::string& file, std::size_t& values, int depth) {
  if (++values > kMaxFactValues)
    throw InputError({file, 1, 1}, "",
                     fmt::format("expands to more than {} values (through its aliases, *name); expected the facts "
                                 "of a hierarchy",
                                 kMaxFactValues));
  if (depth > kMaxFactDepth)
    throw InputError(loc_of(n, file), "",
                     fmt::format("nests deeper than {} levels (an alias inside the node it names?); expected the "
                                 "facts of a hierarchy",
                                 kMaxFactDepth));
  if (n.IsMap()) {
    for (const auto& kv : n) {
      if (!kv.first.IsScalar())
        throw InputError(loc_of(kv.first, file), "", "expected a name as the key, not a list or mapping");
      check_keys(kv.second, file, values, depth + 1);
    }
  } else if (n.IsSequence()) {
    for (const auto& e : n) check_keys(e, file, values, depth + 1);
  }
}

// The field of an inventory error begins with the collected site's index
// ("sites[2].database.sql"). Said of FACTS.yaml, it is that site's entry in
// the facts ("sites[0].database.sql"), and the message names the site's
// code, for a person who wrote the fact under that code.
struct FactsField {
  std::string field;
  std::string site;
};

FactsField in_facts(const YAML::Node& root, const YAML::Node& facts, const std::string& field) {
  if (field.rfind("sites[", 0) != 0) return {field, ""};
  std::size_t i = 0, p = 6;
  for (; p < field.size() && util::is_digit(field[p]) && i < 1'000'000; ++p)
    i = i * 10 + static_cast<std::size_t>(field[p] - '0');
  const YAML::Node sites = root.IsMap() && root["sites"] ? root["sites"] : YAML::Node();
  if (p >= field.size() || field[p] != ']' || !sites.IsSequence() || i >= sites.size()) return {field, ""};
  auto code = text_of(sites[i], "code");
  if (!code) return {field, ""};
  // The facts' entry for that code (the last, if there are several: it was laid last).
  std::string entry = fmt::format("sites[code: {}]", *code);
  const YAML::Node given = facts.IsMap() && facts["sites"] ? facts["sites"] : YAML::Node();
  if (given.IsSequence())
    for (std::size_t j = 0; j < given.size(); ++j)
      if (text_of(given[j], "code") == code) entry = fmt::format("sites[{}]", j);
  return {entry + field.substr(p + 1), *code};
}

}  // namespace

YAML::Node parse_facts(const std::string& text, const std::string& file) {
  YAML::Node facts = inventory::load_one_document(text, file, "a facts file (YAML)");
  if (!facts.IsNull() && !facts.IsMap()) {
    throw InputError({file, 1, 1}, "", "expected a mapping with the inventory's keys (sites: ...)");
  }
  std::size_t values = 0;
  check_keys(facts, file, values, 0);
  return facts;
}

YAML::Node load_facts(const std::string& file) {
  return parse_facts(read_input_file(file, "a facts file (YAML)", limits::kInventory), file);
}

void client_defaults(const YAML::Node& facts, const std::string& file, std::string& autoupgrade, std::string& port,
                     std::string& firewall) {
  if (!facts.IsMap() || !facts["clients"]) return;
  const YAML::Node c = facts["clients"];
  SourceLoc loc = loc_of(c, file);
  if (!c.IsMap())
    throw InputError(loc, "clients",
                     "expected a mapping: autoupgrade_disabled, http_port, firewall (for every client)");
  for (const auto& kv : c) {
    std::string k = kv.first.Scalar();
    std::string v = kv.second.IsScalar() ? kv.second.Scalar() : "";
    if (k == "autoupgrade_disabled" && (v == "true" || v == "false"))
      autoupgrade = v;
    else if (k == "firewall" && (v == "true" || v == "false"))
      firewall = v;
    else if (k == "http_port" && !v.empty() && v.find_first_not_of("0123456789") == std::string::npos &&
             v.size() <= 5 && std::stoi(v) >= 1 && std::stoi(v) <= 65535)
      port = v;
    else {
      throw InputError(loc_of(kv.second, file), "clients." + k,
                       "expected autoupgrade_disabled: true|false, http_port: 1 to 65535 or firewall: true|false");
    }
  }
}

void apply_facts(YAML::Node& root, const YAML::Node& facts, const std::string& file) {
  if (facts.IsNull()) return;
  for (const auto& kv : facts) {
    std::string key = kv.first.Scalar();
    SourceLoc loc = loc_of(kv.first, file);
    if (key == "format" || key == "clients") continue;
    if (key == "hierarchy" || key == "method") {
      put(root, kv.first, kv.second);
      continue;
    }
    if (key != "sites") {
      throw InputError(loc, key,
                       "unknown key; FACTS.yaml holds format, hierarchy, method, clients and sites (by code)");
    }
    if (!kv.second.IsSequence()) throw InputError(loc, "sites", "expected a list of sites, each with its code:");
    for (std::size_t i = 0; i < kv.second.size(); ++i) {
      const YAML::Node& f = kv.second[i];
      std::string at = fmt::format("sites[{}]", i);
      if (!f.IsMap()) throw InputError(loc_of(f, file), at, "expected a site with code:");
      std::string code = name_at(f, "code", file, at + ".code", "expected a site with code: (3 letters or digits)");
      bool found = false;
      for (auto site : root["sites"]) {
        if (text_of(site, "code") != code) continue;
        found = true;
        for (const auto& skv : f) {
          const YAML::Node& collected = site;
          const YAML::Node systems = collected["systems"];
          if (skv.first.Scalar() == "systems" && skv.second.IsSequence() && systems && systems.IsSequence())
            merge_systems(site["systems"], skv.second, file, at + ".systems");
          else
            lay(site, skv.first, skv.second);
        }
      }
      if (!found) {
        throw InputError(loc_of(f["code"], file), at + ".code",
                         fmt::format("no site '{}' in the collected hierarchy; FACTS.yaml adds facts to "
                                     "collected sites only",
                                     code));
      }
    }
  }
  // The facts' nodes keep their marks in FACTS.yaml when laid over the
  // collected tree (yaml-cpp shares a node's data on assignment), and the
  // collected nodes, built in memory, have none: read as an inventory, a
  // refusal with a line is one of the facts, and is said where it stands.
  try {
    (void)inventory::load_tree(root, file);
  } catch (const InputError& e) {
    if (e.loc().line <= 0) return;
    FactsField f = in_facts(root, facts, e.field());
    throw InputError(e.loc(), f.field,
                     e.message() + (f.site.empty() ? std::string(" (FACTS.yaml, over the collected inventory)")
                                                   : fmt::format(" (FACTS.yaml, over the collected site {})", f.site)));
  }
}

}  // namespace smsup::collect
