// Fuzzes loading a saved twin (twin::Twin::from_json, as `apply --target
// twin` does on resume): any bytes as twin-state.json. A state is refused
// with an InputError that keeps the message contract, or accepted; then a
// day of virtual time runs on it, every log line written, and every kind of
// step runs on its first and last site (a resumed plan's steps meet whatever
// the state holds), without a crash or a hang; what it then saves loads again.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "plan/step_kinds.h"
#include "twin/log_sink.h"
#include "twin/twin.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace smsup;
  nlohmann::json j = nlohmann::json::parse(fuzz::bytes(data, size), nullptr, false);
  if (j.is_discarded()) return 0;
  try {
    twin::Twin t = twin::Twin::from_json(j, "twin-state.json");
    twin::MemoryLogSink sink;
    t.set_log_sink(&sink);
    t.advance_to(t.now() + twin::kDay);
    const auto& sites = t.sites();
    for (size_t si : {size_t{0}, sites.size() - 1}) {
      const std::string code = sites[si].code;
      std::string host;
      for (const auto& h : t.hosts()) {
        if (h.site == static_cast<int>(si)) host = h.host;
      }
      for (const auto& row : plan::kind_table()) {
        plan::Step s;
        s.kind = std::string(row.name);
        s.site = row.scope == plan::Scope::hierarchy ? "*" : code;
        if (row.scope == plan::Scope::host) s.host = host;
        s.id = s.site + "/" + s.kind + (s.host.empty() ? "" : "/" + s.host);
        s.title = s.id;
        (void)t.begin_step(s);
      }
    }
    t.advance_to(t.now() + twin::kDay);
    (void)t.clients_by_day(2);
    nlohmann::json saved = t.to_json();
    try {
      (void)twin::Twin::from_json(saved, "again");
    } catch (const InputError& e) {
      std::fprintf(stderr, "%s\n", e.what());
      fuzz::require(false, "what a loaded twin saves after running on loads again");
    }
  } catch (const InputError& e) {
    fuzz::check_message(e.what());
  }
  return 0;
}
