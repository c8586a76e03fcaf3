// The crash tests' common part: run `args` once to the end as the reference,
// then start them `rounds` times more, each killed with SIGKILL after a random
// 2 ms to a fortieth of the reference run (so that kills land mid-run however
// fast the machine is), stopping early when a run ends before its kill. The
// pause before each kill is the instant chosen at random, not a wait for an
// event.
#pragma once

#include <signal.h>

#include <chrono>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "support.h"

namespace smsup::test {

struct Kills {
  Ran reference;
  int span_ms = 0;
  int killed = 0;
  std::optional<int> ended_status;  // a run that ended before its kill
};

inline Kills kill_at_random_instants(const std::vector<std::string>& ref_args,
                                     const std::vector<std::string>& args,
                                     const std::string& out_file, int rounds, unsigned seed) {
  Kills k;
  auto began = std::chrono::steady_clock::now();
  k.reference = run_smsup(ref_args);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began);
  k.span_ms = std::max(10, static_cast<int>(ms.count() / 40));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> delay_ms(2, k.span_ms);
  for (int i = 0; i < rounds; ++i) {
    pid_t pid = start_smsup(args, out_file);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    kill(pid, SIGKILL);
    int st = wait_status(pid);
    if (st != -SIGKILL) {
      k.ended_status = st;
      break;
    }
    ++k.killed;
  }
  return k;
}

}  // namespace smsup::test
