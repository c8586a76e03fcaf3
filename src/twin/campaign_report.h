// `smsup clients`: the client campaign of an inventory, without a plan: who
// upgrades by itself and when, who must be pushed, who cannot take SP2 and why.
// "When" assumes each site's SP2 client files reach its CAP at hour 0 and
// pushes start then; hours are counted from that moment.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <map>
#include <string>
#include <vector>

#include "model/hierarchy.h"
#include "twin/durations.h"
#include "twin/state.h"

namespace smsup::twin {

struct ClientPlanRow {
  int client = -1;  // index into Hierarchy::clients
  ClientFate fate = ClientFate::push;
  std::string reason;  // why it cannot, or how it upgrades
  int hour = -1;       // hour it reaches SP2 after its site is ready, -1 never / already
};

struct SiteCampaign {
  std::string site;
  std::map<ClientFate, int64_t> by_fate;
};

struct Campaign {
  std::vector<ClientPlanRow> rows;  // one per client, in inventory order
  std::vector<SiteCampaign> sites;  // in inventory order
  std::map<ClientFate, int64_t> by_fate;
  std::map<std::string, int64_t> reasons;    // cannot-take-SP2 reasons, counted
  std::vector<std::array<int64_t, 2>> days;  // per day: [sp2 by then, total]
  int64_t cannot = 0;                        // clients that will not reach SP2
};

// With rows = false, only the counts and the days (no row per client: a
// million rows were most of `smsup report`'s time for its client curve).
Campaign plan_campaign(const Hierarchy& h, uint64_t seed, int days, const Durations& d = {}, bool rows = true);

nlohmann::json to_json(const Campaign& c, const Hierarchy& h);
std::string to_text(const Campaign& c, const Hierarchy& h, size_t examples = 3);
// One line per client: name,site,kind,os,version,fate,reason,hour
std::string to_csv(const Campaign& c, const Hierarchy& h);
// Per site, the collection to push: "Name,Site,OS,Version" rows, for
// fate push (Advanced Clients) or to_advanced (Legacy Clients on NT5).
std::map<std::string, std::string> push_collections(const Campaign& c, const Hierarchy& h, ClientFate fate);

}  // namespace smsup::twin
