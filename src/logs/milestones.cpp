#include "logs/milestones.h"

#include <hs/hs.h>

#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdexcept>
#include <string>

namespace smsup::logs {

const std::array<Milestone, 6>& milestones() {
  // Quotes may be straight or typographic (the checklist prints the latter);
  // the path inside them is whatever the site's install folder is.
  static const std::array<Milestone, 6> list{{
      {1, "SMSSetup.log", true, "setup completed", "SMS Setup completed successfully", "setup has done its part",
       "sms setup completed successfully"},
      {2, "sitecomp.log", false, "site shutdown began", "Processing site shutdown transaction", "the site reset began",
       "processing site shutdown transaction"},
      {3, "sitecomp.log", false, "site shutdown complete", "Site shutdown complete",
       "services stopped; components are being reinstalled", "site shutdown complete"},
      {4, "sitecomp.log", false, "site component manager done",
       "Waiting for changes to the \"...Sitectrl.box\" or \"...Sitecomp.box\" directories",
       "Site Component Manager finished",
       "waiting for changes to the (?:\"|\\xE2\\x80\\x9C)[^\\r\\n]*sitectrl\\.box(?:\"|\\xE2\\x80\\x9D)"
       " or (?:\"|\\xE2\\x80\\x9C)[^\\r\\n]*sitecomp\\.box(?:\"|\\xE2\\x80\\x9D) directories"},
      {5, "hman.log", false, "hierarchy manager done", "Wait for site control changes for maximum 3600 seconds",
       "Hierarchy Manager finished (site published to Active Directory)",
       "wait for site control changes for maximum 3600 seconds"},
      {6, "inboxmgr.log", false, "inbox manager done",
       "Waiting for changes inbox definition, inbox rules and inbox replication files, max wait "
       "= 3600 seconds",
       "Inbox Manager finished (inboxes on the site server and the CAP)",
       "waiting for changes inbox definition, inbox rules and inbox replication files, max wait "
       "= 3600 seconds"},
  }};
  return list;
}

struct MilestoneScanner::Impl {
  hs_database_t* db = nullptr;
  hs_scratch_t* scratch = nullptr;
};

MilestoneScanner::MilestoneScanner() : impl_(std::make_unique<Impl>()) {
  std::vector<std::string> exprs;
  std::vector<const char*> ptrs;
  std::vector<unsigned> flags, ids;
  for (const auto& m : milestones()) exprs.emplace_back(m.pattern);
  for (std::size_t i = 0; i < exprs.size(); ++i) {
    ptrs.push_back(exprs[i].c_str());
    flags.push_back(HS_FLAG_CASELESS);
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(ptrs.data(), flags.data(), ids.data(), static_cast<unsigned>(ptrs.size()), HS_MODE_BLOCK,
                       nullptr, &impl_->db, &err) != HS_SUCCESS) {
    std::string what = err != nullptr && err->message != nullptr ? err->message : "unknown";
    hs_free_compile_error(err);
    throw std::logic_error("milestone patterns do not compile: " + what);
  }
  if (hs_alloc_scratch(impl_->db, &impl_->scratch) != HS_SUCCESS)
    throw std::runtime_error("vectorscan: cannot allocate scratch");
}

MilestoneScanner::~MilestoneScanner() {
  if (impl_->scratch != nullptr) hs_free_scratch(impl_->scratch);
  if (impl_->db != nullptr) hs_free_database(impl_->db);
}

namespace {
struct Collect {
  std::vector<Hit>* hits;
  unsigned mask;
  std::uint64_t base;
};

int on_match(unsigned id, unsigned long long, unsigned long long to, unsigned, void* ctx) {
  auto* c = static_cast<Collect*>(ctx);
  if ((c->mask >> id) & 1u) c->hits->push_back({static_cast<int>(id), c->base + to});
  return 0;
}
}  // namespace

std::vector<Hit> MilestoneScanner::scan(std::string_view text, unsigned mask) const {
  std::vector<Hit> hits;
  // Block mode takes at most 4 GiB at once; milestones never span a line, so
  // cut larger texts at line breaks.
  constexpr std::size_t kChunk = std::size_t{1} << 30;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t len = std::min(kChunk, text.size() - pos);
    if (pos + len < text.size()) {
      const void* nl = memrchr(text.data() + pos, '\n', len);
      if (nl != nullptr) len = static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) - pos + 1;
    }
    Collect c{&hits, mask, pos};
    hs_scan(impl_->db, text.data() + pos, static_cast<unsigned>(len), 0, impl_->scratch, on_match, &c);
    pos += len;
  }
  return hits;
}

std::uint64_t count_lines(std::string_view s) {
  std::uint64_t n = 0;
  std::size_t i = 0;
#if defined(__SSE2__)
  // Byte counters (0 - -1 per match) summed into 64-bit lanes every 255 blocks.
  const __m128i nl = _mm_set1_epi8('\n');
  const __m128i zero = _mm_setzero_si128();
  while (i + 16 <= s.size()) {
    __m128i acc = zero;
    for (int k = 0; k < 255 && i + 16 <= s.size(); ++k, i += 16)
      acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i)), nl));
    __m128i sums = _mm_sad_epu8(acc, zero);
    n += static_cast<std::uint64_t>(_mm_cvtsi128_si64(sums)) +
         static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
  }
#endif
  for (; i < s.size(); ++i) n += s[i] == '\n';
  return n;
}

}  // namespace smsup::logs
