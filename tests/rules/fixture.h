// A small hierarchy for rule tests, written as YAML the way users write it.
// The base is one central primary site CEN that is ready for the upgrade: only
// itmu-after-upgrade fires on it. Tests change one value (${name}) at a time,
// or add lines at the ${site}, ${db}, ${sys}, ${systems} and ${sites} slots.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "inventory/inventory.h"
#include "rules/finding.h"

namespace smsup::test {

inline constexpr const char* kBase = R"(format: smsup-inventory/1
hierarchy: Test
method: ${method}
sites:
  - code: CEN
    name: Central
    type: primary
    version: ${version}
    drw_passed: ${drw}
    http_port: ${port}
    last_backup: ${backup}
    ${site}
    database:
      server: ${dbhost}
      sql: ${sql}
      data_mb: ${data}
      log_mb: 200
      free_disk_mb: ${free}
      ${dbtest}
      ${db}
    systems:
      - host: CEN01
        os: ${os}
        os_sp: ${os_sp}
        roles: [${roles}]
        ${sys}
      ${systems}
  ${sites}
)";

class Fixture {
 public:
  Fixture() {
    vars_ = {{"method", "interactive"},
             {"version", "sp1"},
             {"drw", "false"},
             {"port", "80"},
             {"backup", "2006-06-10"},
             {"dbhost", "CEN01"},
             {"sql", "2000-sp4"},
             {"free", "50000"},
             {"data", "1000"},
             {"dbtest", "dbtest: {data_mb_after: 1500, log_mb_after: 400}"},
             {"os", "w2003"},
             {"os_sp", "0"},
             {"roles", "site_server, provider, management_point, database_server"},
             {"site", ""},
             {"db", ""},
             {"sys", ""},
             {"systems", ""},
             {"sites", ""}};
    opts_.as_of = *parse_date("2006-06-15");
  }
  Fixture& set(const std::string& key, std::string value) {
    EXPECT_TRUE(vars_.count(key)) << "no slot ${" << key << "}";
    vars_[key] = std::move(value);
    return *this;
  }
  Fixture& clients(std::string csv) {
    csv_ = std::move(csv);
    return *this;
  }
  Fixture& with_os_sp1() {
    opts_.with_os_sp1 = true;
    return *this;
  }
  Fixture& as_of(const char* date) {
    opts_.as_of = *parse_date(date);
    return *this;
  }

  std::string yaml() const {
    std::string out = kBase;
    for (const auto& [key, value] : vars_) {
      std::string slot = "${" + key + "}";
      for (size_t at = out.find(slot); at != std::string::npos; at = out.find(slot, at)) {
        size_t line_start = out.rfind('\n', at) + 1;
        std::string indented = value;  // continuation lines keep the slot's indentation
        std::string pad = "\n" + std::string(at - line_start, ' ');
        for (size_t nl = indented.find('\n'); nl != std::string::npos; nl = indented.find('\n', nl + pad.size())) {
          indented.replace(nl, 1, pad);
        }
        out.replace(at, slot.size(), indented);
        at += indented.size();
      }
    }
    return out;
  }

  Hierarchy hierarchy() const {
    Hierarchy h = inventory::load_text(yaml(), "test.yaml", ".");
    if (!csv_.empty()) inventory::load_clients(h, csv_, "clients.csv");
    return h;
  }
  rules::Report report() const { return rules::evaluate(hierarchy(), opts_); }

  // The findings of one rule.
  std::vector<rules::Finding> fired(std::string_view rule) const {
    std::vector<rules::Finding> out;
    for (auto& f : report().findings) {
      if (f.rule == rule) out.push_back(f);
    }
    return out;
  }
  bool fires(std::string_view rule) const { return !fired(rule).empty(); }

 private:
  std::map<std::string, std::string> vars_;
  std::string csv_;
  rules::Options opts_;
};

// Client CSV header used by the tests.
inline constexpr const char* kClientsHeader =
    "name,site,kind,os,os_sp,ie,client_version,autoupgrade_disabled,reassign_to,http_port\n";

}  // namespace smsup::test
