// A hierarchy of 2,000 sites and 1,000,000 clients: every client finding is
// there once, and the text report counts them instead of listing them. The
// time is printed, not asserted (timings are for bench/check, not for CI).
#include <chrono>
#include <fmt/format.h>
#include <sstream>

#include "fixture.h"
#include "report/check_report.h"

using namespace smsup;

namespace {

// 20 primaries under CEN, each with 99 secondaries below it: 2,000 sites.
std::string big_yaml() {
  std::string y = "format: smsup-inventory/1\nhierarchy: Big\nmethod: update-quiet\nsites:\n";
  auto site = [&](const std::string& code, const char* type, const std::string& parent, const char* version) {
    y += fmt::format("  - {{code: {}, type: {}, version: {}, last_backup: 2006-06-01", code, type, version);
    if (!parent.empty()) y += ", parent: " + parent;
    if (std::string(type) == "primary") {
      y += fmt::format(
          ", database: {{server: {}01, sql: 2000-sp4, data_mb: 5000, log_mb: 1000, "
          "free_disk_mb: 8000}}",
          code);
    }
    y += fmt::format(
        ", systems: [{{host: {}01, os: w2003, os_sp: 1, roles: [site_server, "
        "management_point]}}]}}\n",
        code);
  };
  site("CEN", "primary", "", "sp1");
  for (int p = 0; p < 20; ++p) {
    std::string pc = fmt::format("P{:02}", p);
    site(pc, "primary", "CEN", p % 2 ? "rtm" : "sp1");
    for (int s = 0; s < 99 && !(p == 19 && s == 98); ++s) {
      site(fmt::format("{}{:02}", "ABCDEFGHIJKLMNORSTUV"[p], s), "secondary", pc, "sp1");
    }
  }
  return y;
}

}  // namespace

TEST(Scale, MillionClientsAreEachCheckedOnceAndSummarised) {
  Hierarchy h = inventory::load_text(big_yaml(), "big.yaml", ".");
  ASSERT_EQ(h.sites.size(), 2000u);
  std::vector<int> primaries;
  for (size_t i = 0; i < h.sites.size(); ++i) {
    if (h.sites[i].is_primary()) primaries.push_back(static_cast<int>(i));
  }
  h.clients.resize(1'000'000);
  for (size_t i = 0; i < h.clients.size(); ++i) {
    Client& c = h.clients[i];
    c.name = fmt::format("WS{:07}", i);
    c.site = primaries[i % primaries.size()];
    c.kind = i % 10 == 0 ? ClientKind::legacy : ClientKind::advanced;
    c.os = i % 7 == 0 ? WinVersion{WinFamily::w2000, 3} : WinVersion{WinFamily::xp, 2};
  }
  rules::Options opts;
  opts.as_of = *parse_date("2006-06-15");
  auto start = std::chrono::steady_clock::now();
  auto r = rules::evaluate(h, opts);
  double eval_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::ostringstream json;
  report::write_check_json(json, h, r);
  std::ostringstream text;
  report::write_check_text(text, h, r, report::TextStyle{});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%zu findings: evaluate %.3f s, with JSON and text reports %.3f s\n", r.findings.size(), eval_seconds,
              seconds);
  // Every 7th client runs Windows 2000 SP3; of those, the advanced ones fire advclient-os.
  int64_t old_advanced = 0;
  for (size_t i = 0; i < h.clients.size(); ++i) old_advanced += (i % 7 == 0 && i % 10 != 0);
  int64_t fired = 0;
  for (const auto& f : r.findings) fired += f.rule == "advclient-os";
  EXPECT_EQ(fired, old_advanced);
  // Client findings are counted, not listed: far less than a line per client.
  EXPECT_LT(text.str().size(), 8'000'000u);
  EXPECT_LT(json.str().size(), 400'000'000u);
}
