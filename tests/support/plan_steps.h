// A plan step for tests that write plans by hand: the site is the id's first
// three characters and the host <site>01 (header-only: the test binaries
// that use it link the plan module already).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "plan/plan.h"

namespace smsup::test {

inline plan::Step site_step(std::string id, std::string kind, std::vector<std::string> after, bool manual = false) {
  plan::Step s;
  s.id = std::move(id);
  s.kind = std::move(kind);
  s.site = s.id.substr(0, 3);
  s.host = s.site + "01";
  s.after = std::move(after);
  s.manual = manual;
  s.title = s.id;
  return s;
}

}  // namespace smsup::test
