#include "twin/campaign.h"

#include <fmt/format.h>

#include <map>
#include <tuple>

#include "twin/faults.h"

namespace smsup::twin {

int ccim_period_h(SmsLevel v) { return v == SmsLevel::sms20 ? 23 : 25; }

int ccim_phase_h(std::string_view name, uint64_t seed, int period_h) {
  return static_cast<int>(hash64(seed, name, 0xCC1Du) % static_cast<uint64_t>(period_h));
}

VTime next_cycle(VTime ready, int phase_h, int period_h) {
  VTime phase = phase_h * kHour;
  VTime period = period_h * kHour;
  if (ready < phase) return phase;
  return phase + ((ready - phase) / period + 1) * period;
}

std::vector<Cohort> build_cohorts(const Hierarchy& h, uint64_t seed, std::vector<int32_t>* client_cohort) {
  using Key = std::tuple<int, int, int, int, int, int, int, bool>;
  std::map<Key, int32_t> index;
  std::vector<Cohort> out;
  if (client_cohort) client_cohort->assign(h.clients.size(), -1);
  for (size_t i = 0; i < h.clients.size(); ++i) {
    const Client& c = h.clients[i];
    Cohort k;
    k.kind = c.kind;
    k.fate = classify(c);
    k.version = c.version;
    k.site = c.site;
    k.http_port = c.http_port;
    if (c.reassign_to >= 0 && c.reassign_to != c.site) {
      k.site = c.reassign_to;
      k.from_site = c.site;
      const auto& from = h.sites[static_cast<size_t>(c.site)];
      const auto& to = h.sites[static_cast<size_t>(c.reassign_to)];
      k.rejected = c.kind == ClientKind::advanced && from.client_auth_encryption && !to.client_auth_encryption;
    }
    if (k.fate == ClientFate::ccim) {
      k.cycle_h = static_cast<int16_t>(ccim_period_h(c.version));
      k.phase_h = static_cast<int16_t>(ccim_phase_h(c.name, seed, k.cycle_h));
    }
    k.cut_off = c.kind == ClientKind::advanced && c.http_port != h.sites[static_cast<size_t>(k.site)].http_port;
    // "Client Push Installation fails on client computers running Windows
    // Server 2003 SP1 unless File and Printer Sharing is enabled."
    k.push_blocked = w2003_sp1(c.os) && c.firewall && !c.unknown_fact(ClientFact::firewall) &&
                     !c.unknown_fact(ClientFact::firewall_exceptions) &&
                     !c.has(FirewallException::file_printer_sharing);
    Key key{k.site,
            static_cast<int>(k.kind),
            static_cast<int>(k.fate),
            static_cast<int>(k.version),
            k.phase_h,
            k.http_port,
            k.from_site,
            k.push_blocked};
    auto [it, fresh] = index.try_emplace(key, static_cast<int32_t>(out.size()));
    if (fresh) out.push_back(k);
    out[static_cast<size_t>(it->second)].count += 1;
    if (client_cohort) (*client_cohort)[i] = it->second;
  }
  return out;
}

}  // namespace smsup::twin
