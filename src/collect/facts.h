// FACTS.yaml (docs/collect.md, "Unknown facts and FACTS.yaml"): what no SMS
// site database holds, in the inventory's own keys, laid over the inventory
// that `inventory collect` read from the databases. A person writes it, so
// every refusal names FACTS.yaml's line and column, never a line of an
// inventory that was not written.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

namespace smsup::collect {

// The facts in `text` (a file's bytes): one YAML mapping whose keys are
// names (~ or an empty file: no facts). Refusals are located in `file`.
YAML::Node parse_facts(const std::string& text, const std::string& file);

// The same, read from the file (its type and size checked first).
YAML::Node load_facts(const std::string& file);

// FACTS.yaml's `clients:`, the client-side settings no database holds, for
// every client: each argument is left as it is (`~`) unless the facts give it.
void client_defaults(const YAML::Node& facts, const std::string& file, std::string& autoupgrade, std::string& port,
                     std::string& firewall);

// Lays the facts over the collected inventory `root` (maps merge key by key,
// sites by code, systems by host; any other value replaces the collected
// one), then reads the result as an inventory: a value the facts gave that
// the inventory refuses is refused where it stands in FACTS.yaml, naming the
// collected site it was laid over. What the reader refuses elsewhere (the
// collected values, the hierarchy's shape) is left to the caller's check of
// the whole inventory.
void apply_facts(YAML::Node& root, const YAML::Node& facts, const std::string& file);

}  // namespace smsup::collect
