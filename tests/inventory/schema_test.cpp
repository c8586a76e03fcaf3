// The key table (inventory/schema.h) against docs/inventory.md and against
// the reader: the document lists exactly the table's keys, with the same
// required keys and the same keys that may be ~; the reader reads exactly
// the table's keys and says what the table allows when it refuses.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "inventory/inventory.h"
#include "inventory/schema.h"
#include "util/error.h"

using namespace smsup;
using inventory::schema::Object;

namespace {

std::string read_doc() {
  std::ifstream in(SMSUP_SOURCE_DIR "/docs/inventory.md");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The text of the section that starts with the line `heading` (up to the
// next "## " heading).
std::string section(const std::string& doc, const std::string& heading) {
  auto at = doc.find("\n" + heading + "\n");
  if (at == std::string::npos) return "";
  auto end = doc.find("\n## ", at + 1);
  return doc.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

std::vector<std::string> cells(const std::string& row) {
  std::vector<std::string> out;
  std::stringstream in(row);
  std::string cell;
  std::getline(in, cell, '|');  // before the first bar
  while (std::getline(in, cell, '|')) {
    auto b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
    out.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
  }
  return out;
}

// The rows of a section's first table whose first cell is a `key`: key -> cells.
std::map<std::string, std::vector<std::string>> table_rows(const std::string& section_text) {
  std::map<std::string, std::vector<std::string>> rows;
  auto start = section_text.find("\n|");
  if (start == std::string::npos) return rows;
  auto end = section_text.find("\n\n", start);
  std::string text = section_text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  std::regex row(R"(\n(\| `([a-z0-9_]+)` \|[^\n]*))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), row); it != std::sregex_iterator(); ++it) {
    rows[(*it)[2]] = cells((*it)[1]);
  }
  return rows;
}

struct DocTable {
  Object object;
  const char* heading;
  size_t required_cell;  // the cell that says "required" (or "yes" for the CSV)
  const char* required_word;
};

const DocTable kTables[] = {
    {Object::top, "## Top level", 2, "required"},
    {Object::site, "## Site", 2, "required"},
    {Object::database, "## Site database (`database:`)", 3, "required"},
    {Object::system, "## Site system (`systems:`)", 2, "required"},
    {Object::console, "## Console (`consoles:`)", 2, "required"},
    {Object::client, "## Clients CSV", 1, "yes"},
};

std::set<std::string> table_keys(Object o) {
  std::set<std::string> out;
  for (const auto& k : inventory::schema::keys()) {
    if (k.object == o) out.emplace(k.name);
  }
  return out;
}

TEST(Schema, DocsListExactlyTheTablesKeysWithTheSameRequiredOnes) {
  auto doc = read_doc();
  ASSERT_FALSE(doc.empty()) << "cannot read docs/inventory.md";
  for (const auto& t : kTables) {
    auto text = section(doc, t.heading);
    ASSERT_FALSE(text.empty()) << "docs/inventory.md has no section " << t.heading;
    auto rows = table_rows(text);
    std::set<std::string> documented;
    for (const auto& [key, c] : rows) documented.insert(key);
    EXPECT_EQ(documented, table_keys(t.object)) << t.heading;
    for (const auto& [key, c] : rows) {
      const auto* k = inventory::schema::find(t.object, key);
      if (k == nullptr || c.size() <= t.required_cell) continue;
      EXPECT_EQ(c[t.required_cell] == t.required_word, k->required)
          << t.heading << " " << key << ": the document says '" << c[t.required_cell] << "'";
    }
  }
  // A database test's result is documented in the row of `dbtest`.
  auto db = table_rows(section(doc, "## Site database (`database:`)"));
  ASSERT_TRUE(db.count("dbtest"));
  std::string dbtest_row;
  for (const auto& c : db["dbtest"]) dbtest_row += c + " ";
  for (const auto& key : table_keys(Object::dbtest)) {
    EXPECT_NE(dbtest_row.find("`" + key + "`"), std::string::npos) << key;
  }
}

TEST(Schema, DocsNameAsUnknownFactsExactlyTheKeysTheTableLetsBeUnknown) {
  auto text = section(read_doc(), "## Unknown facts (`~`)");
  ASSERT_FALSE(text.empty());
  const std::map<std::string, Object> objects{{"site", Object::site},
                                              {"database", Object::database},
                                              {"site system", Object::system},
                                              {"console", Object::console},
                                              {"clients CSV", Object::client}};
  std::map<Object, std::set<std::string>> documented;
  std::regex row(R"(\n\| ([a-zA-Z ]+) \| ([^\n]*) \|)");
  std::regex key("`([a-z0-9_]+)`");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), row); it != std::sregex_iterator(); ++it) {
    auto o = objects.find((*it)[1]);
    if (o == objects.end()) continue;
    std::string keys = (*it)[2];
    for (auto k = std::sregex_iterator(keys.begin(), keys.end(), key); k != std::sregex_iterator(); ++k) {
      documented[o->second].insert((*k)[1]);
    }
  }
  std::map<Object, std::set<std::string>> in_table;
  for (const auto& k : inventory::schema::keys()) {
    if (k.unknown) in_table[k.object].emplace(k.name);
  }
  EXPECT_EQ(documented, in_table);
}

TEST(Schema, EveryKeyHasATypeAllowedValuesAndAMeaning) {
  std::set<std::string> paths;
  for (const auto& k : inventory::schema::keys()) {
    auto path = inventory::schema::path_of(k);
    EXPECT_TRUE(paths.insert(path).second) << "twice: " << path;
    EXPECT_FALSE(k.type.empty()) << path;
    EXPECT_FALSE(k.allowed.empty()) << path;
    EXPECT_FALSE(k.meaning.empty()) << path;
    EXPECT_EQ(k.required, k.def.empty()) << path << ": a key has a default exactly when it is optional";
    if (k.type == "whole number") {
      EXPECT_LT(k.min, k.max) << path;
    }
  }
  EXPECT_EQ(inventory::schema::path_of(*inventory::schema::find(Object::system, "roles")), "sites[].systems[].roles");
}

// The reader stops with a logic error when it reads a key the table lacks or
// leaves one it has unread; the example reaches every kind of mapping.
TEST(Schema, TheReaderReadsExactlyTheTablesKeys) {
  EXPECT_NO_THROW(inventory::load(SMSUP_SOURCE_DIR "/examples/fabrikam/fabrikam.yaml"));
  EXPECT_NO_THROW(inventory::load(SMSUP_SOURCE_DIR "/examples/contoso/contoso.yaml"));
}

const char* kSmall = R"(format: smsup-inventory/1
hierarchy: T
sites:
  - code: CEN
    type: primary
    version: sp1
    database: {server: CEN01, sql: 2000-sp4, dbtest: {data_mb_after: 10, log_mb_after: 5}}
    systems:
      - {host: CEN01, os: w2003, roles: [site_server]}
)";

std::string schema_refusal(const std::string& yaml) {
  try {
    inventory::load_text(yaml, "t.yaml", ".");
  } catch (const InputError& e) {
    return e.what();
  }
  return "accepted";
}

std::string with(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(Schema, RefusalsSayWhatTheTableAllows) {
  ASSERT_EQ(schema_refusal(kSmall), "accepted");
  const auto& type = *inventory::schema::find(Object::site, "type");
  auto missing = schema_refusal(with(kSmall, "    type: primary\n", ""));
  EXPECT_NE(missing.find("sites[0].type: required key is missing; expected text: " + std::string(type.allowed)),
            std::string::npos)
      << missing;
  auto dbtest = schema_refusal(with(kSmall, ", log_mb_after: 5", ""));
  EXPECT_NE(dbtest.find("log_mb_after: required key is missing; expected whole number (MB)"), std::string::npos)
      << dbtest;
  const auto& edition = *inventory::schema::find(Object::system, "edition");
  auto bad = schema_refusal(with(kSmall, "os: w2003,", "os: w2003, edition: home,"));
  EXPECT_NE(bad.find("expected " + std::string(edition.allowed)), std::string::npos) << bad;
  // An unknown key is judged against the table: the suggestion is its key.
  auto typo = schema_refusal(with(kSmall, "os: w2003,", "os: w2003, firewall_exception: [],"));
  EXPECT_NE(typo.find("unknown key; did you mean 'firewall_exceptions'?"), std::string::npos) << typo;
  // extra: only where the table has it.
  EXPECT_EQ(schema_refusal(with(kSmall, "roles: [site_server]}", "roles: [site_server], extra: {a: 1}}")), "accepted");
  EXPECT_NE(schema_refusal(with(kSmall, "log_mb_after: 5}", "log_mb_after: 5, extra: {a: 1}}")).find("unknown key"),
            std::string::npos);
}

TEST(Schema, TheClientsCsvColumnsAreTheTables) {
  Hierarchy h = inventory::load_text(kSmall, "t.yaml", ".");
  try {
    inventory::load_clients(h, "name,site,kind,os,client_version,colour\n", "c.csv");
    FAIL() << "accepted an unknown column";
  } catch (const InputError& e) {
    std::string all;
    for (const auto& k : inventory::schema::keys()) {
      if (k.object != Object::client) continue;
      all += (all.empty() ? "" : ", ") + std::string(k.name);
    }
    EXPECT_NE(std::string(e.what()).find("unknown column; expected " + all), std::string::npos) << e.what();
  }
  for (const auto& k : inventory::schema::keys()) {
    if (k.object != Object::client || !k.required) continue;
    std::string header;
    for (const auto& o : inventory::schema::keys()) {
      if (o.object == Object::client && o.required && o.name != k.name) header += std::string(o.name) + ",";
    }
    header.pop_back();
    try {
      inventory::load_clients(h, header + "\n", "c.csv");
      ADD_FAILURE() << "accepted a header without " << k.name;
    } catch (const InputError& e) {
      EXPECT_EQ(e.field(), k.name) << e.what();
      EXPECT_NE(std::string(e.what()).find("required column is missing"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
