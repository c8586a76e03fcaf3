#include "twin/faults.h"

#include <charconv>
#include <fmt/format.h>

#include "plan/step_kinds.h"
#include "util/error.h"

namespace smsup::twin {
namespace {

bool known_kind(std::string_view k) { return plan::find_kind(k) != nullptr; }

bool site_code_ok(std::string_view s) {
  if (s.size() != 3) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

[[noreturn]] void bad(std::string_view part, const std::string& why) {
  throw InputError({}, "--faults", fmt::format("'{}': {}", part, why));
}

Fault parse_one(std::string_view part) {
  auto eq = part.find('=');
  if (eq == std::string_view::npos) bad(part, "expected KIND[@SITE]=fail|hang|activity|CHANCE");
  auto lhs = part.substr(0, eq);
  auto rhs = part.substr(eq + 1);
  Fault f;
  f.text = std::string(part);
  auto at = lhs.find('@');
  f.kind = std::string(lhs.substr(0, at));
  if (at != std::string_view::npos) {
    f.site = std::string(lhs.substr(at + 1));
    if (!site_code_ok(f.site)) bad(part, fmt::format("'{}' is not a site code (3 characters A-Z, 0-9)", f.site));
  }
  if (!known_kind(f.kind)) bad(part, fmt::format("'{}' is not a step kind of the plan", f.kind));
  if (rhs == "fail") {
    f.effect = FaultEffect::fail;
  } else if (rhs == "hang") {
    f.effect = FaultEffect::hang;
  } else if (rhs == "activity") {
    f.effect = FaultEffect::activity;
  } else {
    double p = -1;
    auto [ptr, ec] = std::from_chars(rhs.data(), rhs.data() + rhs.size(), p);
    if (rhs.empty() || ec != std::errc() || ptr != rhs.data() + rhs.size() || !(p >= 0 && p <= 1)) {
      bad(part, fmt::format("'{}' is not fail, hang, activity or a chance between 0 and 1", rhs));
    }
    f.effect = FaultEffect::chance;
    f.chance = p;
  }
  return f;
}

}  // namespace

Faults parse_faults(std::string_view spec) {
  Faults out;
  size_t pos = 0;
  while (pos <= spec.size() && !spec.empty()) {
    size_t comma = spec.find(',', pos);
    if (comma == std::string_view::npos) comma = spec.size();
    auto part = spec.substr(pos, comma - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (part.empty()) bad(spec, "empty fault between commas");
    out.list.push_back(parse_one(part));
    pos = comma + 1;
  }
  return out;
}

std::string to_string(const Faults& f) {
  std::string s;
  for (const auto& x : f.list) {
    if (!s.empty()) s += ',';
    s += x.text;
  }
  return s;
}

uint64_t hash64(uint64_t seed, std::string_view text, uint64_t salt) {
  // FNV-1a over the text, then a splitmix finaliser with seed and salt.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= seed * 0x9E3779B97F4A7C15ull + salt * 0xBF58476D1CE4E5B9ull;
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBull;
  h ^= h >> 31;
  return h;
}

double unit_hash(uint64_t seed, std::string_view text, uint64_t salt) {
  return static_cast<double>(hash64(seed, text, salt) >> 11) * 0x1.0p-53;
}

std::optional<FaultEffect> fault_for(const Faults& f, std::string_view kind, std::string_view site,
                                     std::string_view step_id, int attempt, uint64_t seed) {
  for (const auto& x : f.list) {
    if (x.kind != kind || (!x.site.empty() && x.site != site)) continue;
    if (x.effect == FaultEffect::chance) {
      if (unit_hash(seed, step_id, static_cast<uint64_t>(attempt)) < x.chance) {
        return FaultEffect::fail;
      }
      continue;
    }
    if (attempt == 1) return x.effect;
  }
  return std::nullopt;
}

}  // namespace smsup::twin
