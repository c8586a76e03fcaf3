// The discrete-event core: a queue of plain-data events ordered by virtual
// time, then by insertion. Events are data (not closures) so that the whole
// pending future can be saved with the twin and picked up after a crash.
#pragma once

#include <cstdint>
#include <vector>

#include "twin/vtime.h"

namespace smsup::twin {

enum class EventKind : uint8_t {
  step_end,        // a = step record index
  milestone,       // site, a = milestone index 0..5, gen
  cohort_upgrade,  // a = batch index: that batch of a cohort reaches SP2
  client_cycle,    // naive mode: a = client index; its CCIM cycle or heartbeat
  history,         // site: the log lines a site had before the twin started
  line,            // a = index of a PendingLine due now
  activity,        // site: someone opens a console on it (injected)
};

struct Event {
  VTime time = 0;
  uint64_t seq = 0;
  EventKind kind = EventKind::step_end;
  int32_t site = -1;
  int32_t a = 0;
  int32_t gen = 0;
};

class EventQueue {
 public:
  void push(Event e);  // seq is assigned here
  bool empty() const { return heap_.empty(); }
  const Event& top() const { return heap_.front(); }
  Event pop();
  size_t size() const { return heap_.size(); }
  // For saving: the pending events in no particular order, and the counter.
  const std::vector<Event>& raw() const { return heap_; }
  uint64_t next_seq() const { return next_seq_; }
  void restore(std::vector<Event> events, uint64_t next_seq);
  void reserve(size_t n) { heap_.reserve(n); }

 private:
  std::vector<Event> heap_;
  uint64_t next_seq_ = 0;
};

}  // namespace smsup::twin
