// Each site's completion evidence, read with the reader `smsup verify` uses.
#include "logs/time.h"
#include "logs/verify.h"
#include "web/report.h"

namespace smsup::web {

std::vector<Evidence> collect_evidence(const Hierarchy& h, const std::filesystem::path& root) {
  std::vector<Evidence> out;
  for (const auto& s : h.sites) {
    Evidence e;
    e.site = s.code;
    const SiteSystem* server = nullptr;
    for (const auto& sys : s.systems) {
      if (sys.has(Role::site_server)) server = &sys;
    }
    if (!server) continue;
    e.server = server->host;
    for (size_t i = 0; i < 6; ++i) e.milestones[i].label = std::string(logs::milestones()[i].label);
    std::filesystem::path drive = root / server->host / "C";
    std::error_code ec;
    if (std::filesystem::is_directory(drive, ec)) {
      e.logs_found = true;
      auto r = logs::verify_site(drive, s.install_dir, std::nullopt);
      e.verified = r.verified;
      for (size_t i = 0; i < 6; ++i) {
        const auto& m = r.milestones[i];
        auto& em = e.milestones[i];
        em.state = std::string(logs::to_string(m.state));
        if (m.state != logs::MilestoneState::Missing) {
          em.file = std::filesystem::relative(m.file, root, ec).string();
          if (ec || em.file.empty()) em.file = m.file.string();
          em.line = m.line;
          if (m.utc)
            em.time = logs::format_utc(*m.utc);
          else if (m.local)
            em.time = logs::format_local(*m.local) + " (local)";
        }
      }
      e.notes = r.notes;
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace smsup::web
