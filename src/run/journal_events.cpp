// Journal::events: the history table read back, for `smsup serve`.
#include "run/journal.h"

namespace smsup::run {

std::vector<Journal::Event> Journal::events(int64_t after, int limit) const {
  sql::Stmt q(*db_,
              "SELECT seq, at, step, state, how, detail FROM events WHERE seq > ?1 "
              "ORDER BY seq LIMIT ?2");
  q.bind(1, after).bind(2, limit);
  std::vector<Event> out;
  while (q.step()) {
    out.push_back({q.integer(0), q.real(1), q.text(2), q.text(3), q.text(4), q.text(5)});
  }
  return out;
}

}  // namespace smsup::run
