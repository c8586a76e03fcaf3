#include "run/progress.h"
#include "util/printable.h"
#include "util/shell_quote.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <chrono>

namespace smsup::run {

std::string elapsed_text(double seconds) {
  auto s = static_cast<int64_t>(std::max(0.0, seconds));
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

namespace {

int done_of(const Progress& p) { return p.counts[static_cast<int>(State::succeeded)]; }

class PlainProgress : public Observer {
 public:
  explicit PlainProgress(std::ostream& out) : out_(out) {}
  void changed(const std::string& id, State state, const std::string& detail, const Progress& p) override {
    std::string extra = detail.empty() ? "" : "  " + printable(one_line(detail));
    fmt::print(out_, "{} {:<9} {}{}  [{}/{}]\n", iso_time(now_seconds()), to_string(state), printable(id), extra,
               done_of(p), p.total);
    out_.flush();
  }
  void tick(const Progress&) override {}
  void note(const std::string& line) override {
    fmt::print(out_, "{} note      {}\n", iso_time(now_seconds()), line);
    out_.flush();
  }

 private:
  static std::string one_line(std::string s) {
    std::replace(s.begin(), s.end(), '\n', ' ');
    return s;
  }
  std::ostream& out_;
};

class TerminalProgress : public Observer {
 public:
  TerminalProgress(std::ostream& out, std::string journal)
      : out_(out), journal_(std::move(journal)), began_(now_seconds()) {}
  ~TerminalProgress() override { clear(); }

  void changed(const std::string& id, State state, const std::string& detail, const Progress& p) override {
    if (state == State::running || state == State::pending) return draw(p, false);
    clear();
    const char* mark = state == State::succeeded ? "\x1b[32m✓\x1b[0m"
                       : state == State::waiting ? "\x1b[33m⏸\x1b[0m"
                                                 : "\x1b[31m✗\x1b[0m";
    std::string why = state == State::succeeded || detail.empty() ? "" : ": " + printable(first_line(detail));
    fmt::print(out_, "{} {} {}{}\n", mark, printable(id), to_string(state), why);
    draw(p, true);
  }
  void tick(const Progress& p) override { draw(p, false); }
  void note(const std::string& line) override {
    clear();
    fmt::print(out_, "  {}\n", line);
    out_.flush();
  }

 private:
  static std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

  void clear() {
    if (lines_ > 0) fmt::print(out_, "\x1b[{}F\x1b[J", lines_);
    lines_ = 0;
  }

  // Redraws the live block, at most ten times a second unless forced.
  void draw(const Progress& p, bool force) {
    double now = now_seconds();
    if (!force && now - last_draw_ < 0.1) return;
    last_draw_ = now;
    clear();
    int done = done_of(p);
    int width = 30;
    int filled = p.total > 0 ? done * width / p.total : width;
    std::string bar =
        std::string(static_cast<size_t>(filled), '#') + std::string(static_cast<size_t>(width - filled), '.');
    std::string block = fmt::format(
        "[{}] {}/{} done  {} running  {} waiting  {} failed  {} skipped  {}{}\n", bar, done, p.total, p.running.size(),
        p.waiting.size(), p.counts[static_cast<int>(State::failed)], p.counts[static_cast<int>(State::skipped)],
        elapsed_text(now - began_), p.stopping ? "  (stopping: waiting for running steps)" : "");
    int n = 1;
    for (size_t i = 0; i < p.running.size() && i < 8; ++i, ++n) {
      const auto& r = p.running[i];
      block += fmt::format("  running  {:<36} {:>8}{}\n", printable(r.id), elapsed_text(now - r.started),
                           r.host.empty() ? "" : "  on " + printable(r.host));
    }
    for (size_t i = 0; i < p.waiting.size() && i < 5; ++i, ++n) {
      block += fmt::format("  waiting  {:<36} {}\n", printable(p.waiting[i]),
                           printable(shell_join({"smsup", "confirm", p.waiting[i], "--journal", journal_})));
    }
    fmt::print(out_, "{}", block);
    out_.flush();
    lines_ = n;
  }

  std::ostream& out_;
  std::string journal_;
  double began_;
  double last_draw_ = 0;
  int lines_ = 0;
};

}  // namespace

std::unique_ptr<Observer> make_terminal_progress(std::ostream& out, std::string journal) {
  return std::make_unique<TerminalProgress>(out, std::move(journal));
}
std::unique_ptr<Observer> make_plain_progress(std::ostream& out) { return std::make_unique<PlainProgress>(out); }

}  // namespace smsup::run
