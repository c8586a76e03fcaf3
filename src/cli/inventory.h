// `smsup inventory collect`: the inventory read from the hierarchy's own
// SMS 2003 site databases. `smsup inventory schema`: every key it may hold.
#pragma once

#include <string>
#include <vector>

#include "cli/output.h"

namespace smsup::cli {

struct CollectOptions {
  std::string central;                // the central site's database
  std::vector<std::string> site_dbs;  // CODE=CONN each
  std::string facts;                  // FACTS.yaml
  std::string as_of;                  // YYYY-MM-DD; empty: none recorded
  std::string out;                    // -o DIR
  std::string format = "text";        // text | json
};
int run_inventory_collect(const CollectOptions& o, Output& out);

struct SchemaOptions {
  std::string format = "text";  // text | json
};
// Prints the reader's own key table (inventory/schema.h).
int run_inventory_schema(const SchemaOptions& o, Output& out);

}  // namespace smsup::cli
