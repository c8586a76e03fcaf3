// The crash tests' common part: run `args` once to the end as the reference,
// then start them `rounds` times more, each killed with SIGKILL after a random
// 2 ms to a fortieth of the reference run (so that kills land mid-run however
// fast the machine is), stopping early when a run ends before its kill. The
// pause before each kill is the instant chosen at random, not a wait for an
// event.
//
// `mid_step`, when given, is asked after each kill whether the dead run left
// a step running (it reads the journal): a kill counts as interrupting only
// then, so that tests can require a share of kills to land inside steps, not
// merely during start-up or between steps.
//
// `ready`, when given, is polled (every 10 ms, for at most 60 s) after each
// start until it holds (e.g. this run has started a step: a PostgreSQL apply
// spends its first few hundred ms connecting, taking the lease and asking
// about what the last run left, and kills that all land there test nothing),
// and the random instant is counted from there: an event waited for with a
// bound.
//
// With SMSUP_CRASH_PAUSES=1 (make soak), half of the runs are also stopped
// (SIGSTOP) for a random moment and continued (SIGCONT) before their kill:
// a pause the run must survive as if the host had stalled.
#pragma once

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "run/journal.h"
#include "support.h"

namespace smsup::test {

// An integer from the environment (the crash tests' sizes and seeds), or def.
inline int env_int(const char* name, int def) {
  const char* v = std::getenv(name);
  return v ? std::atoi(v) : def;
}

// Each step's state in a journal, by step id.
inline std::map<std::string, std::string> journal_states(const std::string& journal) {
  run::Journal j(journal, false);
  std::map<std::string, std::string> m;
  for (const auto& r : j.steps()) m[r.id] = std::string(run::to_string(r.state));
  return m;
}

// Whether a killed run left a step `running` in the journal: the kill landed
// inside a step (no journal yet, or one without steps: it did not).
inline bool left_a_step_running(const std::string& journal) {
  try {
    run::Journal j(journal, false);
    if (std::getenv("SMSUP_CRASH_DEBUG")) {
      std::map<std::string, int> n;
      for (const auto& r : j.steps()) ++n[std::string(run::to_string(r.state))];
      for (const auto& [st, c] : n) std::fprintf(stderr, "%s=%d ", st.c_str(), c);
      std::fprintf(stderr, "\n");
    }
    for (const auto& r : j.steps())
      if (r.state == run::State::running) return true;
  } catch (const std::exception& e) {
    if (std::getenv("SMSUP_CRASH_DEBUG")) std::fprintf(stderr, "journal after a kill: %s\n", e.what());
  }
  return false;
}

// How many times each step id was recorded, one line per run of a step, by
// the test helper's `record` (the steps' command in the crash tests).
inline std::map<std::string, int> record_counts(const std::string& record_file) {
  std::map<std::string, int> c;
  std::ifstream in(record_file);
  for (std::string line; std::getline(in, line);) ++c[line];
  return c;
}

struct Kills {
  Ran reference;
  int span_ms = 0;
  int killed = 0;
  int mid_step = 0;                 // kills after which the journal showed a step running
  int paused = 0;                   // runs stopped and continued before their kill
  std::optional<int> ended_status;  // a run that ended before its kill
};

inline Kills kill_at_random_instants(const std::vector<std::string>& ref_args, const std::vector<std::string>& args,
                                     const std::string& out_file, int rounds, unsigned seed,
                                     const std::function<bool()>& mid_step = {},
                                     const std::function<bool()>& ready = {}) {
  Kills k;
  auto began = std::chrono::steady_clock::now();
  k.reference = run_smsup(ref_args);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began);
  k.span_ms = std::max(10, static_cast<int>(ms.count() / 40));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> delay_ms(2, k.span_ms);
  const char* pauses_env = std::getenv("SMSUP_CRASH_PAUSES");
  bool pauses = pauses_env && std::string(pauses_env) == "1";
  for (int i = 0; i < rounds; ++i) {
    pid_t pid = start_smsup(args, out_file);
    if (ready) {
      auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      int st = 0;
      bool ended = false;
      while (!ready() && std::chrono::steady_clock::now() < until) {
        if (waitpid(pid, &st, WNOHANG) == pid) {
          ended = true;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      if (ended) {  // the run ended before it was ready to be killed
        k.ended_status = WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
        break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    if (pauses && rng() % 2 == 0) {
      kill(pid, SIGSTOP);
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
      kill(pid, SIGCONT);
      ++k.paused;
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    }
    kill(pid, SIGKILL);
    int st = wait_status(pid);
    if (st != -SIGKILL) {
      k.ended_status = st;
      break;
    }
    ++k.killed;
    if (mid_step && mid_step()) ++k.mid_step;
  }
  return k;
}

}  // namespace smsup::test
