// The six milestones of a completed SP2 upgrade of a site (shared/spec/logs.md),
// and the one-pass scanner that finds all of them (vectorscan).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace smsup::logs {

struct Milestone {
  int number;              // 1..6, the order they must appear in
  std::string_view log;    // file name, case-insensitive: "SMSSetup.log", "sitecomp.log", ...
  bool at_drive_root;      // SMSSetup.log sits at the root of the system drive
  std::string_view label;  // short name for reports: "site shutdown complete"
  std::string_view text;   // what the message contains, as the checklist says it
  std::string_view means;
  std::string_view pattern;  // vectorscan expression, matched without regard to case
};

const std::array<Milestone, 6>& milestones();

struct Hit {
  int milestone;      // index into milestones()
  std::uint64_t end;  // offset just past the match
};

// All six expressions compiled into one database; one pass over a text reports
// every match of every milestone, in order of offset. Not thread-safe (scratch).
class MilestoneScanner {
 public:
  MilestoneScanner();
  ~MilestoneScanner();
  MilestoneScanner(const MilestoneScanner&) = delete;
  MilestoneScanner& operator=(const MilestoneScanner&) = delete;

  // `mask` bit i keeps milestone i (others are dropped as they are reported).
  std::vector<Hit> scan(std::string_view text, unsigned mask = 0x3F) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Number of line breaks in s (fast: eight bytes at a time).
std::uint64_t count_lines(std::string_view s);

}  // namespace smsup::logs
