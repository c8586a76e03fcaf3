#include "twin/events.h"

#include <algorithm>

namespace smsup::twin {
namespace {

// std heap is a max-heap: "less" means "later".
bool later(const Event& x, const Event& y) {
  if (x.time != y.time) return x.time > y.time;
  return x.seq > y.seq;
}

}  // namespace

void EventQueue::push(Event e) {
  e.seq = next_seq_++;
  heap_.push_back(e);
  std::push_heap(heap_.begin(), heap_.end(), later);
}

Event EventQueue::pop() {
  std::pop_heap(heap_.begin(), heap_.end(), later);
  Event e = heap_.back();
  heap_.pop_back();
  return e;
}

void EventQueue::restore(std::vector<Event> events, uint64_t next_seq) {
  heap_ = std::move(events);
  std::make_heap(heap_.begin(), heap_.end(), later);
  next_seq_ = next_seq;
}

}  // namespace smsup::twin
