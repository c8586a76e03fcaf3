#include "drivers/twin_driver.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "twin/end_state.h"
#include "twin/faults.h"
#include "twin/file_sink.h"
#include "sitedb/sqlite_site_databases.h"
#include "twin/twin.h"
#include "util/error.h"

namespace smsup::drivers {

namespace {

namespace fs = std::filesystem;

int64_t epoch_of(const std::string& as_of) {
  if (auto d = parse_date(as_of)) {
    return std::chrono::duration_cast<std::chrono::seconds>(d->time_since_epoch()).count() + 8 * 3600;
  }
  return twin::TwinOptions{}.epoch_s;
}

// "2006-06-12 08:00" for a virtual instant (VTime: ms since the epoch).
std::string vclock(const twin::Twin& t, twin::VTime v) {
  std::string iso = twin::iso_time(t.epoch_s(), v);  // 2006-06-12T08:00:00Z
  return iso.substr(0, 10) + " " + iso.substr(11, 5);
}

// The twin's state on disk: a snapshot (twin-state.json, written atomically
// every kSnapshotEvery steps) and an append-only log of the steps run since
// (steps.log, "<n>\t<step id>" where n counts the twin's step records).
// Loading replays the log on the snapshot: the twin is deterministic, so the
// same steps give the same twin. A torn last line is dropped, as ninja drops
// a torn build log record; that step then did not happen and runs again.
constexpr size_t kSnapshotEvery = 256;

class TwinDriver : public Driver {
 public:
  explicit TwinDriver(const TwinDriverOptions& o)
      : opts_(o),
        sink_(o.logs_dir),
        dbs_(fs::path(o.logs_dir) / sitedb::kSiteDatabasesDir, o.seed),
        log_path_((fs::path(o.state_path).parent_path() / "steps.log").string()) {
    if (fs::exists(o.state_path)) {
      twin_ = std::make_unique<twin::Twin>(twin::Twin::load(o.state_path));
      if (o.databases) twin_->attach_databases(&dbs_);  // the sites' databases as the killed run left them
      replay();
    } else {
      twin::TwinOptions to;
      to.seed = o.seed;
      to.faults = twin::parse_faults(o.faults);
      to.epoch_s = epoch_of(o.as_of);
      twin_ = std::make_unique<twin::Twin>(twin::Twin::from(*o.inventory, to));
    }
    // A fresh twin makes its sites' databases in prepare(), before the
    // journal records anything.
    twin_->set_log_sink(&sink_);  // replayed steps wrote their lines before
  }

  ~TwinDriver() override {
    if (log_fd_ >= 0) close(log_fd_);
  }

  void validate(const plan::Plan&) override {}

  // The twin's clock moves with each step it runs (run_step), so steps go one
  // at a time: the same steps in the same order give the same twin, which
  // makes a resumed run end exactly as an uninterrupted one.
  int max_parallel() const override { return 1; }

  Verdict verdict() override {
    twin::EndState e = twin::end_state(*twin_);
    Verdict v;
    for (const auto& s : e.not_upgraded) v.failures.push_back("not fully upgraded: " + s);
    for (const auto& s : e.lost_files) v.failures.push_back("file deleted by setup: " + s);
    for (const auto& s : e.open_problems) v.failures.push_back("problem left open: " + s);
    v.warnings = std::move(e.stale_backups);
    return v;
  }

  // The snapshot exists before the journal records any start, so that a
  // resumed run always finds the twin as it was.
  void prepare() override {
    if (fs::exists(opts_.state_path)) return;
    fs::create_directories(opts_.logs_dir);
    if (opts_.databases) {
      dbs_.check_room(twin_->sites());
      twin_->attach_databases(&dbs_);
    }
    snapshot();
  }

  void finish() override {
    if (twin_->steps().size() != snapshot_steps_) snapshot();
  }

  // Before the journal syncs, the step log does: a record the journal keeps
  // through a power loss has the twin's side of it kept too.
  void sync() override {
    if (log_fd_ >= 0) fdatasync(log_fd_);
  }

  std::vector<std::string> describe(const plan::Step& s) override {
    return {"(twin:", s.kind, "of", s.site, s.host.empty() ? "" : "on " + s.host, ")"};
  }

  void start(const plan::Step& s) override { done_.push_back({s.id, run(s)}); }

  std::vector<Finished> poll(std::chrono::milliseconds wait) override {
    if (done_.empty()) std::this_thread::sleep_for(wait);
    std::vector<Finished> out;
    out.swap(done_);
    return out;
  }

  Probe probe(const plan::Step& s) override {
    const auto* r = twin_->step_record(s.id);
    if (!r) return Probe::not_done;
    return r->ok ? Probe::done : Probe::failed;
  }

  std::optional<Outcome> confirmed(const plan::Step& s) override {
    if (twin_->step_record(s.id)) return std::nullopt;  // already known to the twin
    Outcome o = run(s);
    if (o.succeeded) return std::nullopt;
    return o;
  }

 private:
  // Runs the step in virtual time, writes its log lines, and logs the step
  // before anyone learns the outcome.
  Outcome run(const plan::Step& s) {
    auto wall = std::chrono::steady_clock::now();
    twin::StepResult r = twin_->run_step(s);
    sink_.flush();
    append_log(s.id);
    if (twin_->steps().size() - snapshot_steps_ >= kSnapshotEvery) snapshot();
    Outcome o;
    o.succeeded = r.ok;
    o.exit_code = r.ok ? 0 : 1;
    o.message = fmt::format("{}virtual {} to {}{}", r.ok ? "" : "failed, ", vclock(*twin_, r.start),
                            vclock(*twin_, r.end), r.message.empty() ? "" : ": " + r.message);
    o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
    return o;
  }

  void append_log(const std::string& id) {
    if (log_fd_ < 0) {
      log_fd_ = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      if (log_fd_ < 0) throw std::runtime_error(fmt::format("{}: cannot write: {}", log_path_, std::strerror(errno)));
    }
    std::string line = fmt::format("{}\t{}\n", twin_->steps().size(), id);
    if (write(log_fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      throw std::runtime_error(fmt::format("{}: cannot write: {}", log_path_, std::strerror(errno)));
    }
  }

  // The whole state, atomically (write, fsync, rename); then the log starts
  // over. A crash in between leaves log lines the snapshot already has:
  // replay skips them by their count.
  void snapshot() {
    sink_.flush();
    twin_->save(opts_.state_path);
    snapshot_steps_ = twin_->steps().size();
    if (log_fd_ >= 0) close(log_fd_);
    log_fd_ = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  }

  void replay() {
    snapshot_steps_ = twin_->steps().size();
    std::ifstream in(log_path_);
    std::string line;
    for (int lineno = 1; std::getline(in, line); ++lineno) {
      if (in.eof()) break;  // no line end: torn, dropped
      // A whole line that is not "<count>\t<step id of the plan>" was
      // changed after it was written: the twin cannot be rebuilt from it.
      auto damaged = [&](const std::string& what) {
        return InputError({log_path_, lineno, 0}, "",
                          "damaged twin step log: " + what + "; expected '<step count><TAB><step id>'");
      };
      auto tab = line.find('\t');
      if (tab == std::string::npos) throw damaged("no tab");
      size_t n = 0;
      auto [end, ec] = std::from_chars(line.data(), line.data() + tab, n);
      if (tab == 0 || ec != std::errc() || end != line.data() + tab) throw damaged("the step count is not a number");
      if (n <= twin_->steps().size()) continue;  // in the snapshot already
      std::string id = line.substr(tab + 1);
      const plan::Step* s = opts_.plan ? opts_.plan->find(id) : nullptr;
      if (!s) throw damaged("no step '" + id + "' in the plan");
      twin_->run_step(*s);
    }
  }

  TwinDriverOptions opts_;
  twin::FileLogSink sink_;
  sitedb::SqliteSiteDatabases dbs_;
  std::string log_path_;
  int log_fd_ = -1;
  size_t snapshot_steps_ = 0;
  std::unique_ptr<twin::Twin> twin_;
  std::vector<Finished> done_;
};

}  // namespace

std::unique_ptr<Driver> make_twin_driver(const TwinDriverOptions& opts) { return std::make_unique<TwinDriver>(opts); }

}  // namespace smsup::drivers
