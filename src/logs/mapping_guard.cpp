#include "logs/mapping_guard.h"

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <mutex>

namespace smsup::logs {
namespace {

// Enough for every file one command maps at once (logs stats over a site's
// logs); past it, files are read instead of mapped.
constexpr int kSlots = 256;

struct Slot {
  std::atomic<std::uintptr_t> start{0};
  std::atomic<std::uintptr_t> len{0};
  std::atomic<bool> used{false};
  std::atomic<bool> lost{false};
};

Slot g_slots[kSlots];
std::uintptr_t g_page = 4096;
struct sigaction g_previous {};

// Async-signal-safe: atomics and mmap(2) only.
void on_sigbus(int sig, siginfo_t* info, void* context) {
  auto a = reinterpret_cast<std::uintptr_t>(info->si_addr);
  for (auto& s : g_slots) {
    std::uintptr_t start = s.start.load(std::memory_order_acquire);
    std::uintptr_t len = s.len.load(std::memory_order_acquire);
    if (start == 0 || a < start || a >= start + len) continue;
    std::uintptr_t page = a & ~(g_page - 1);
    void* zeros = mmap(reinterpret_cast<void*>(page), start + len - page, PROT_READ,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (zeros != MAP_FAILED) {
      s.lost.store(true, std::memory_order_release);
      return;  // the faulting read runs again, on zeros
    }
  }
  // Not one of ours: whatever handled SIGBUS before does.
  if ((g_previous.sa_flags & SA_SIGINFO) != 0 && g_previous.sa_sigaction != nullptr) {
    g_previous.sa_sigaction(sig, info, context);
    return;
  }
  sigaction(SIGBUS, &g_previous, nullptr);  // default: the fault repeats and ends the process
}

void install() {
  static std::once_flag once;
  std::call_once(once, [] {
    long page = sysconf(_SC_PAGESIZE);
    if (page > 0) g_page = static_cast<std::uintptr_t>(page);
    struct sigaction sa {};
    sa.sa_sigaction = on_sigbus;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGBUS, &sa, &g_previous);
  });
}

}  // namespace

int guard_mapping(const void* addr, std::size_t len) {
  install();
  for (int i = 0; i < kSlots; ++i) {
    bool expected = false;
    if (!g_slots[i].used.compare_exchange_strong(expected, true)) continue;
    g_slots[i].lost.store(false);
    g_slots[i].len.store(len, std::memory_order_release);
    g_slots[i].start.store(reinterpret_cast<std::uintptr_t>(addr), std::memory_order_release);
    return i;
  }
  return -1;
}

void unguard_mapping(int slot) {
  if (slot < 0 || slot >= kSlots) return;
  g_slots[slot].start.store(0, std::memory_order_release);
  g_slots[slot].len.store(0, std::memory_order_release);
  g_slots[slot].used.store(false, std::memory_order_release);
}

bool mapping_lost_bytes(int slot) {
  return slot >= 0 && slot < kSlots && g_slots[slot].lost.load(std::memory_order_acquire);
}

}  // namespace smsup::logs
