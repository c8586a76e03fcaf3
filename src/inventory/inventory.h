// Loading an inventory (shared/spec/inventory.md): the YAML hierarchy and the
// clients CSV it names. Every refusal is an InputError naming file, line,
// column, key path and what was expected.
#pragma once

#include <string>
#include <string_view>

#include "model/hierarchy.h"
#include "model/names.h"

namespace YAML {
class Node;
}

namespace smsup::inventory {

// Reads PATH and the clients CSV it names (relative to PATH's folder).
Hierarchy load(const std::string& path);

// The same from text already in memory; `display_name` is used in messages and
// `base_dir` resolves the clients CSV. For tests and for generated inventories.
Hierarchy load_text(std::string_view yaml, const std::string& display_name, const std::string& base_dir);

// The same from a YAML tree built in memory (inventory collect's, with
// FACTS.yaml laid over it), without the clients CSV. Errors are located by
// the nodes' own marks, in `display_name`: a node parsed from a file keeps
// its line and column there, one built in memory has none (line 0).
Hierarchy load_tree(const YAML::Node& root, const std::string& display_name);

// The name rules (model/names.h), under the names the readers use.
using smsup::windows_host_name;

// Parses a clients CSV (bytes already in memory) into h.clients; site codes
// must exist in h. `display_name` is used in messages.
void load_clients(Hierarchy& h, std::string_view csv, const std::string& display_name);

// Checks the structure of a loaded hierarchy (one central site, no cycles,
// secondaries under primaries, ...) and fills the derived fields.
void link(Hierarchy& h);

}  // namespace smsup::inventory
