#include "drivers/twin_driver.h"

#include <fmt/format.h>

#include <filesystem>
#include <thread>

#include "twin/faults.h"
#include "twin/file_sink.h"
#include "twin/twin.h"

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

class TwinDriver : public Driver {
 public:
  explicit TwinDriver(const TwinDriverOptions& o) : opts_(o), sink_(o.logs_dir) {
    if (fs::exists(o.state_path)) {
      twin_ = std::make_unique<twin::Twin>(twin::Twin::load(o.state_path));
    } else {
      twin::TwinOptions to;
      to.seed = o.seed;
      to.faults = twin::parse_faults(o.faults);
      to.epoch_s = epoch_of(o.as_of);
      twin_ = std::make_unique<twin::Twin>(twin::Twin::from(*o.inventory, to));
    }
    twin_->set_log_sink(&sink_);
  }

  void validate(const plan::Plan&) override {}

  // The twin's clock moves with each step it runs (run_step), so steps go one
  // at a time: the same steps in the same order give the same twin, which
  // makes a resumed run end exactly as an uninterrupted one.
  int max_parallel() const override { return 1; }

  // The saved state exists before the journal records any start, so that a
  // resumed run always finds the twin as it was.
  void prepare() override {
    if (fs::exists(opts_.state_path)) return;
    fs::create_directories(opts_.logs_dir);
    twin_->save(opts_.state_path);
  }

  std::vector<std::string> describe(const plan::Step& s) override {
    return {"(twin)", s.kind, s.site, s.host.empty() ? "-" : s.host};
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
  // Runs the step in virtual time, writes the logs it produced, then saves
  // the state (write, fsync, rename) before anyone learns the outcome.
  Outcome run(const plan::Step& s) {
    auto wall = std::chrono::steady_clock::now();
    twin::StepResult r = twin_->run_step(s);
    sink_.flush();
    twin_->save(opts_.state_path);
    Outcome o;
    o.succeeded = r.ok;
    o.exit_code = r.ok ? 0 : 1;
    o.message = fmt::format("{}virtual {} to {}{}", r.ok ? "" : "failed, ", vclock(*twin_, r.start),
                            vclock(*twin_, r.end), r.message.empty() ? "" : ": " + r.message);
    o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
    return o;
  }

  TwinDriverOptions opts_;
  twin::FileLogSink sink_;
  std::unique_ptr<twin::Twin> twin_;
  std::vector<Finished> done_;
};

}  // namespace

std::unique_ptr<Driver> make_twin_driver(const TwinDriverOptions& opts) {
  return std::make_unique<TwinDriver>(opts);
}

}  // namespace smsup::drivers
