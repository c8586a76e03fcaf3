// A strict reader over a yaml-cpp mapping: every key must be read or it is an
// error (a typo must not pass silently), `extra:` maps are kept but ignored,
// and every error names file:line:col and the key path.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "inventory/schema.h"
#include "util/error.h"

namespace smsup::inventory {

// The one YAML document in `text`. Syntax errors are located; a file holding
// several documents (a `---` line between two) is refused rather than cut to
// its first: what follows would be silently ignored. `expected` names what the
// file should be ("an smsup inventory").
YAML::Node load_one_document(const std::string& text, const std::string& file, const std::string& expected);

// Where a node stands in `file` (1-based; line 0 for a node built in memory,
// which has no mark).
SourceLoc loc_of(const YAML::Node& n, const std::string& file);

class MapReader {
 public:
  // `node` must be a mapping; `path` is its key path ("sites[2]").
  MapReader(const YAML::Node& node, std::string file, std::string path);
  // A mapping of the inventory: its keys are the rows of `object` in
  // schema.h. Unknown keys are refused against the table, refusals say what
  // the table allows, and reading a key the table lacks (or not reading one
  // it has) is a logic error.
  MapReader(const YAML::Node& node, std::string file, std::string path, schema::Object object);

  bool has(const std::string& key) const;
  // The key is there with the value ~: an unknown fact (collect.md).
  bool is_unknown(const std::string& key) const;
  const YAML::Node& node() const { return node_; }
  const std::string& path() const { return path_; }
  const std::string& file() const { return file_; }

  // Required / optional scalars. `expected` describes valid values in errors.
  std::string str(const std::string& key);
  std::optional<std::string> opt_str(const std::string& key);  // absent or ~ -> nullopt
  bool boolean(const std::string& key, bool def);
  int64_t integer(const std::string& key, int64_t def, int64_t min, int64_t max);
  // A schema mapping's whole number: the range is the table's.
  int64_t integer(const std::string& key, int64_t def);
  std::vector<std::string> str_list(const std::string& key);
  // A child mapping or sequence (nullopt when absent or ~).
  std::optional<YAML::Node> child(const std::string& key);

  // Errors located at a key's value (or at the map when the key is absent).
  [[noreturn]] void fail(const std::string& key, const std::string& message) const;
  [[noreturn]] void fail_at(const YAML::Node& n, const std::string& field, const std::string& message) const;
  SourceLoc loc_of(const YAML::Node& n) const;
  SourceLoc loc() const { return loc_of(node_); }
  // Where a key's value stands (the map itself when the key is absent).
  SourceLoc value_loc(const std::string& key) const;
  std::string field(const std::string& key) const;
  // A schema mapping: the table's row for `key` (a logic error if none), and
  // what it allows, as refusals say it ("primary or secondary").
  const schema::Key& spec(const std::string& key) const;
  std::string expected(const std::string& key) const { return std::string(spec(key).allowed); }

  // Refuses any key that was not read (except `extra`).
  void finish() const;

 private:
  void mark(const std::string& key);
  const YAML::Node* find(const std::string& key) const;
  std::string scalar(const std::string& key, const YAML::Node& n) const;
  // Refuses a value of an inventory (a reader with a schema) that holds a control character.
  void text_only(const YAML::Node& n, const std::string& f) const;

  struct Entry {
    YAML::Node key;
    YAML::Node value;
  };
  YAML::Node node_;
  std::map<std::string, Entry> keys_;
  std::string file_;
  std::string path_;
  std::set<std::string> read_;
  std::optional<schema::Object> object_;
  mutable std::set<std::string> asked_unknown_;  // keys is_unknown() was asked about
};

}  // namespace smsup::inventory
