// Fuzzes the log reader: any bytes (any encoding guess) split and parsed into
// fields, and the milestone scanner. Must never crash, hang or read out of
// bounds; every span must lie inside the text, in order.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "logs/milestones.h"
#include "logs/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace smsup::logs;
  Log log = Log::from_bytes(std::string(reinterpret_cast<const char*>(data), size), "fuzz");
  std::uint64_t last_end = 0, last_line = 0;
  for (std::size_t i = 0; i < log.size(); ++i) {
    const Span& s = log.span(i);
    if (s.offset > s.end || s.end > log.text().size() || s.offset < last_end || s.line <= last_line) std::abort();
    last_end = s.end;
    last_line = s.line;
    Entry e = log.entry(i);
    if (e.message.data() < log.text().data() ||
        e.message.data() + e.message.size() > log.text().data() + log.text().size())
      std::abort();
    (void)e.utc();
  }
  static MilestoneScanner scanner;
  for (const auto& h : scanner.scan(log.text()))
    if (h.end > log.text().size()) std::abort();
  return 0;
}
