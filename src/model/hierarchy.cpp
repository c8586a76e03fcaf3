#include "model/hierarchy.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <fmt/format.h>

namespace smsup {
namespace {

template <class E, size_t N>
std::optional<E> parse_bit(std::string_view s, const std::array<std::string_view, N>& names) {
  for (size_t i = 0; i < N; ++i) {
    if (s == names[i]) return static_cast<E>(1u << i);
  }
  return std::nullopt;
}

template <class E, size_t N>
std::string_view bit_name(E e, const std::array<std::string_view, N>& names) {
  auto v = static_cast<uint32_t>(e);
  for (size_t i = 0; i < N; ++i) {
    if (v == (1u << i)) return names[i];
  }
  return "?";
}

constexpr std::array<std::string_view, 8> kRoles{
    "site_server",         "provider",           "management_point", "reporting_point", "server_locator_point",
    "client_access_point", "distribution_point", "database_server"};
constexpr std::array<std::string_view, 9> kFirewall{
    "rc-2701", "rc-2702", "rc-2703", "rc-2704", "helpsvc", "tcp-135", "file-printer-sharing", "statview", "unsecapp"};
constexpr std::array<std::string_view, 3> kDcom{"slp-iusr", "rp-reporting-users", "sms-admins-remote"};

}  // namespace

std::string_view to_string(Method m) {
  switch (m) {
    case Method::interactive:
      return "interactive";
    case Method::update_quiet:
      return "update-quiet";
    case Method::update_passive:
      return "update-passive";
  }
  return "?";
}

std::optional<Method> parse_method(std::string_view s) {
  if (s == "interactive") return Method::interactive;
  if (s == "update-quiet") return Method::update_quiet;
  if (s == "update-passive") return Method::update_passive;
  return std::nullopt;
}

std::string_view command_of(Method m) {
  switch (m) {
    case Method::interactive:
      return "Autorun.exe";
    case Method::update_quiet:
      return "Update.exe /quiet";
    case Method::update_passive:
      return "Update.exe /passive";
  }
  return "?";
}

std::optional<Role> parse_role(std::string_view s) { return parse_bit<Role>(s, kRoles); }
std::string_view to_string(Role r) { return bit_name(r, kRoles); }
std::optional<FirewallException> parse_firewall_exception(std::string_view s) {
  return parse_bit<FirewallException>(s, kFirewall);
}
std::string_view to_string(FirewallException e) { return bit_name(e, kFirewall); }
std::optional<DcomFix> parse_dcom_fix(std::string_view s) { return parse_bit<DcomFix>(s, kDcom); }
std::string_view to_string(DcomFix f) { return bit_name(f, kDcom); }

std::optional<Date> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  auto num = [](std::string_view p, auto& out) {
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), out);
    return ec == std::errc() && ptr == p.data() + p.size();
  };
  if (!num(s.substr(0, 4), y) || !num(s.substr(5, 2), m) || !num(s.substr(8, 2), d)) {
    return std::nullopt;
  }
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return Date{ymd};
}

std::string to_string(Date d) {
  std::chrono::year_month_day ymd{d};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

const SiteSystem& Site::site_server() const {
  for (const auto& s : systems) {
    if (s.has(Role::site_server)) return s;
  }
  return systems.front();  // the loader refuses a site without one
}

int Hierarchy::find_site(std::string_view code) const {
  for (size_t i = 0; i < sites.size(); ++i) {
    if (sites[i].code == code) return static_cast<int>(i);
  }
  return -1;
}

int64_t Hierarchy::clients_of(int site) const {
  return std::count_if(clients.begin(), clients.end(), [site](const Client& c) { return c.site == site; });
}

}  // namespace smsup
