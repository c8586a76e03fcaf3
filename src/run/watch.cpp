#include "run/watch.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <ostream>
#include <set>

#include "run/store.h"
#include "util/duration.h"
#include "util/checked_output.h"

namespace smsup::run {

namespace {

// The same apply (a renewal is not a change; another pid, host or start is).
bool same_holder(const std::optional<LockHolder>& a, const std::optional<LockHolder>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return true;
  return a->pid == b->pid && a->host == b->host && a->since == b->since && a->who == b->who && a->lease == b->lease;
}

}  // namespace

StatusView::StatusView(Journal& j) { reload(j); }

void StatusView::read_head(Journal& j) {
  auto holder = head_.holder;
  head_ = read_head_facts(j);
  head_.holder = holder;
  // The ETA's plan: the journal's own (its steps, edges and estimates), or
  // for a journal bound before smsup kept the estimates the plan file, read
  // once here rather than at every look.
  eta_plan_ = journal_plan(j, steps_);
  if (!eta_plan_) {
    std::error_code ec;
    if (!head_.plan_path.empty() && std::filesystem::is_regular_file(head_.plan_path, ec)) {
      try {
        eta_plan_ = plan::load(head_.plan_path);
      } catch (const std::exception&) {
        eta_plan_.reset();  // the plan file changed or went: no ETA rather than a wrong one
      }
    }
  }
}

void StatusView::reload(Journal& j) {
  // The number first: an event added while the steps are read is read
  // again at the next look, never missed.
  auto l = j.look();
  last_seq_ = l.last_seq;
  head_.holder = l.holder;
  steps_ = j.steps();
  index_.clear();
  for (size_t i = 0; i < steps_.size(); ++i) index_.emplace(steps_[i].id, i);
  read_head(j);
  ++counters_.full_reads;
}

bool StatusView::refresh(Journal& j) {
  ++counters_.looks;
  auto l = j.look();
  bool new_holder = !same_holder(l.holder, head_.holder);
  head_.holder = l.holder;
  if (steps_.empty() || l.last_seq < last_seq_) {
    // Not bound yet (binding adds no event), or another journal now.
    size_t before = steps_.size();
    int64_t seq = last_seq_;
    reload(j);
    return new_holder || steps_.size() != before || last_seq_ != seq;
  }
  if (new_holder) read_head(j);
  if (l.last_seq == last_seq_) return new_holder;
  auto events = j.events(last_seq_);
  std::set<std::string> ids;
  bool all = events.empty();
  for (const auto& e : events) {
    if (e.how == "retry") all = true;  // it also set skipped steps back, without events
    if (!e.step.empty()) ids.insert(e.step);
  }
  // Many steps named: one read of them all costs less than the batches.
  if (!all) all = ids.size() > 32 && ids.size() > steps_.size() / 4;
  if (!all) {
    for (auto& r : j.steps_named({ids.begin(), ids.end()})) {
      auto it = index_.find(r.id);
      if (it == index_.end()) {
        all = true;
        break;
      }
      auto& mine = steps_[it->second];
      r.after = std::move(mine.after);  // the graph is fixed once bound
      mine = std::move(r);
      ids.erase(mine.id);
      ++counters_.steps_read;
    }
    all = all || !ids.empty();  // an event names a step the journal no longer holds
  }
  if (!all) {
    for (const auto& id : j.armed_pending()) {
      auto it = index_.find(id);
      if (it == index_.end()) {
        all = true;
        break;
      }
      steps_[it->second].armed = true;
    }
  }
  if (all) {
    reload(j);
    return true;
  }
  last_seq_ = events.back().seq;
  ++counters_.partial_reads;
  return true;
}

std::optional<Eta> StatusView::eta(double now) const {
  if (!eta_plan_) return std::nullopt;
  return estimate(*eta_plan_, steps_, now);
}

bool StatusView::finished() const {
  if (steps_.empty()) return false;
  return std::all_of(steps_.begin(), steps_.end(), [](const JournalStep& s) {
    return s.state == State::succeeded || s.state == State::failed || s.state == State::skipped;
  });
}

namespace {

// The watcher's journal connection, made again (with a bound) when a
// PostgreSQL connection is lost; the view is then read again in full.
class Watcher {
 public:
  explicit Watcher(const WatchRequest& r)
      : r_(r), j_(std::make_unique<Journal>(r.journal, Journal::ReadOnly{})), view_(*j_) {}

  // A look; nullopt when the connection was lost and could not be made
  // again (or the watch was stopped while trying).
  std::optional<bool> look() {
    try {
      return view_.refresh(*j_);
    } catch (const store::Unavailable& e) {
      return reconnect(e.what());
    }
  }

  Journal& journal() { return *j_; }
  StatusView& view() { return view_; }
  bool stopped() const { return stopped_; }

 private:
  std::optional<bool> reconnect(std::string why) {
    *r_.err << fmt::format("smsup status: {}; connecting again (for up to {})\n", why,
                           duration_words(r_.reconnect_for));
    r_.err->flush();
    auto deadline = std::chrono::steady_clock::now() + r_.reconnect_for;
    for (int tries = 1;; ++tries) {
      try {
        auto j = std::make_unique<Journal>(r_.journal, Journal::ReadOnly{});
        int64_t seq = view_.last_seq();
        auto holder = view_.head().holder;
        view_.reload(*j);
        j_ = std::move(j);
        *r_.err << fmt::format("smsup status: connected again to {} (try {})\n", j_->shown(), tries);
        r_.err->flush();
        // Changed while away: a new event, or another apply.
        return view_.last_seq() != seq || !same_holder(holder, view_.head().holder);
      } catch (const store::Unavailable& e) {
        why = e.what();
      }
      auto left = deadline - std::chrono::steady_clock::now();
      if (left <= std::chrono::milliseconds(0)) break;
      auto pause = std::min<std::chrono::milliseconds>(std::chrono::milliseconds(1000),
                                                       std::chrono::duration_cast<std::chrono::milliseconds>(left));
      if (!r_.wait(pause)) {
        stopped_ = true;
        return std::nullopt;
      }
    }
    *r_.err << fmt::format("smsup status: could not connect again within {}: {}\n", duration_words(r_.reconnect_for),
                           why);
    return std::nullopt;
  }

  const WatchRequest& r_;
  std::unique_ptr<Journal> j_;
  StatusView view_;
  bool stopped_ = false;
};

// Cuts a screen to `rows` lines (the last one saying how many are left
// out), so that redrawing from the top never scrolls.
std::string fit(const std::string& screen, int rows) {
  if (rows <= 1) return screen;
  size_t lines = static_cast<size_t>(std::count(screen.begin(), screen.end(), '\n'));
  if (lines <= static_cast<size_t>(rows - 1)) return screen;
  size_t keep = static_cast<size_t>(rows - 2), p = 0;
  for (size_t i = 0; i < keep; ++i) p = screen.find('\n', p) + 1;
  return screen.substr(0, p) + fmt::format("... {} more lines: see smsup status\n", lines - keep);
}

// A screen drawn over the last one: from the top-left corner, each line
// cleared to its end, then everything below; no clearing of the whole
// screen, so nothing flickers. Lines wider than the terminal are cut (no
// wrap) while watching.
std::string over(const std::string& screen) {
  std::string s = "\x1b[H";
  for (size_t p = 0; p < screen.size();) {
    size_t e = screen.find('\n', p);
    if (e == std::string::npos) e = screen.size();
    s.append(screen, p, e - p);
    s += "\x1b[K\n";
    p = e + 1;
  }
  return s + "\x1b[J";
}

}  // namespace

int watch_status(const WatchRequest& r) {
  Watcher w(r);
  std::ostream& out = *r.out;
  bool first = true, printed = false;
  bool redraw = r.terminal && !r.json;  // JSON lines are for programs: one per change even on a terminal
  if (redraw) out << "\x1b[?25l\x1b[?7l\x1b[H\x1b[2J";  // no cursor, no wrap, a clear screen once
  auto end = [&](int status) {
    if (redraw) out << "\x1b[?7h\x1b[?25h";
    flush_checked(out);
    return status;
  };
  for (;;) {
    bool changed = first;
    if (!first) {
      auto seen = w.look();
      if (!seen) return end(w.stopped() ? status_code(w.view().steps()) : 1);
      changed = *seen;
    }
    first = false;
    const StatusView& v = w.view();
    Journal& j = w.journal();
    bool done = v.finished();
    if (redraw || changed) {
      double now = now_seconds();
      auto eta = v.eta(now);
      if (r.json) {
        out << status_json(j, v.head(), v.steps(), eta).dump() << "\n";
      } else {
        std::string screen = status_text(j, v.head(), v.steps(), eta, r.all, r.color);
        if (redraw) {
          if (!done) screen += fmt::format("\nwatching, every {} \u2014 Ctrl-C to stop\n", duration_words(r.every));
          out << over(fit(screen, r.rows));
        } else {
          if (printed) out << "\n";
          out << screen;
        }
      }
      flush_checked(out);  // a watch whose output is gone (a full disk) ends instead of watching for nobody
      printed = true;
    }
    if (done) return end(status_code(v.steps()));
    if (!r.wait(r.every)) return end(status_code(w.view().steps()));
  }
}

}  // namespace smsup::run
