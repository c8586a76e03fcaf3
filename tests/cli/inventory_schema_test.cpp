// `smsup inventory schema`: the reader's key table (inventory/schema.h)
// printed for people and for programs, every key once.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

#include "cli/inventory.h"
#include "inventory/schema.h"

namespace smsup::cli {
namespace {

TEST(InventorySchema, JsonHoldsEveryKeyOfTheTable) {
  std::ostringstream out, err;
  Output o{out, err};
  ASSERT_EQ(run_inventory_schema({.format = "json"}, o), 0);
  auto j = nlohmann::json::parse(out.str());
  auto table = inventory::schema::keys();
  ASSERT_EQ(j["keys"].size(), table.size());
  for (size_t i = 0; i < table.size(); ++i) {
    const auto& row = j["keys"][i];
    EXPECT_EQ(row["path"], inventory::schema::path_of(table[i]));
    EXPECT_EQ(row["type"], std::string(table[i].type));
    EXPECT_EQ(row["unit"], std::string(table[i].unit));
    EXPECT_EQ(row["required"], table[i].required);
    EXPECT_EQ(row["allowed"], std::string(table[i].allowed));
    EXPECT_EQ(row["unknown_allowed"], table[i].unknown);
    EXPECT_FALSE(row["meaning"].get<std::string>().empty());
  }
  // A few a newcomer looks for, with the facts docs/inventory.md gives.
  std::map<std::string, nlohmann::json> by_path;
  for (const auto& row : j["keys"]) by_path[row["path"]] = row;
  EXPECT_EQ(by_path["sites[].code"]["required"], true);
  EXPECT_EQ(by_path["sites[].database.free_disk_mb"]["unit"], "MB");
  EXPECT_EQ(by_path["sites[].database.free_disk_mb"]["unknown_allowed"], true);
  EXPECT_EQ(by_path["sites[].http_port"]["range"], nlohmann::json::array({1, 65535}));
  EXPECT_EQ(by_path["clients[].kind"]["file"], "clients CSV");
  EXPECT_EQ(by_path["clients[].kind"]["allowed"], "legacy or advanced");
}

TEST(InventorySchema, TextListsEveryKeyPathWithItsTypeAndValues) {
  std::ostringstream out, err;
  Output o{out, err};
  ASSERT_EQ(run_inventory_schema({}, o), 0);
  const auto text = out.str();
  for (const auto& k : inventory::schema::keys()) {
    EXPECT_NE(text.find("  " + inventory::schema::path_of(k) + " "), std::string::npos)
        << inventory::schema::path_of(k);
  }
  EXPECT_NE(text.find("sites[].database.data_mb           whole number (MB), default 0, ~ = unknown"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("values: primary or secondary"), std::string::npos);
  EXPECT_NE(text.find("Clients CSV"), std::string::npos);
  EXPECT_TRUE(err.str().empty());
}

}  // namespace
}  // namespace smsup::cli
