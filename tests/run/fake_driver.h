// A scripted driver for executor tests: steps end at the next poll (or after
// a number of polls), succeed unless told to fail, and the driver keeps what
// it saw (start order, peak concurrency per host and site).
#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "drivers/driver.h"
#include "plan/plan.h"

namespace smsup::test {

inline plan::Step step(std::string id, std::vector<std::string> after = {}, std::string host = "",
                       std::string site = "*", bool manual = false) {
  plan::Step s;
  s.id = std::move(id);
  s.kind = s.id.substr(s.id.find('/') + 1);
  s.site = std::move(site);
  s.host = std::move(host);
  s.after = std::move(after);
  s.manual = manual;
  s.title = "step " + s.id;
  return s;
}

inline plan::Plan plan_of(std::vector<plan::Step> steps) {
  plan::Plan p;
  p.hierarchy = "Test";
  p.inventory_sha256 = "0";
  p.created = "2026-11-25T00:00:00Z";
  p.steps = std::move(steps);
  return p;
}

class FakeDriver : public drivers::Driver {
 public:
  std::set<std::string> fail;                  // these steps fail
  std::map<std::string, int> polls_to_finish;  // default 1
  std::map<std::string, drivers::Probe> probes;
  std::vector<std::string> started, confirmed_ids, probed;
  std::map<std::string, int> peak_host, peak_site;
  int peak_total = 0;

  void validate(const plan::Plan&) override {}
  std::vector<std::string> describe(const plan::Step& s) override { return {"run", s.id}; }
  void start(const plan::Step& s) override {
    started.push_back(s.id);
    running_.push_back({s, polls_to_finish.count(s.id) ? polls_to_finish[s.id] : 1});
    std::map<std::string, int> h, st;
    for (const auto& r : running_) {
      if (!r.step.host.empty()) peak_host[r.step.host] = std::max(peak_host[r.step.host], ++h[r.step.host]);
      peak_site[r.step.site] = std::max(peak_site[r.step.site], ++st[r.step.site]);
    }
    peak_total = std::max(peak_total, static_cast<int>(running_.size()));
  }
  std::vector<drivers::Finished> poll(std::chrono::milliseconds) override {
    std::vector<drivers::Finished> out;
    for (auto it = running_.begin(); it != running_.end();) {
      if (--it->polls <= 0) {
        drivers::Outcome o;
        o.succeeded = !fail.count(it->step.id);
        o.exit_code = o.succeeded ? 0 : 3;
        o.message = o.succeeded ? "ok" : "scripted failure";
        out.push_back({it->step.id, o});
        it = running_.erase(it);
      } else {
        ++it;
      }
    }
    return out;
  }
  drivers::Probe probe(const plan::Step& s) override {
    probed.push_back(s.id);
    return probes.count(s.id) ? probes[s.id] : drivers::Probe::unknown;
  }
  std::optional<drivers::Outcome> confirmed(const plan::Step& s) override {
    confirmed_ids.push_back(s.id);
    return std::nullopt;
  }

 private:
  struct Running {
    plan::Step step;
    int polls;
  };
  std::vector<Running> running_;
};

}  // namespace smsup::test
