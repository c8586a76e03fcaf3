// The fields of one entry, parsed when asked (see reader.h for the splitting).
#include <cctype>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <cstring>

#include "logs/reader.h"
#include "logs/time.h"
#include "util/text.h"

namespace smsup::logs {
namespace {

char lower(char c) { return static_cast<char>(c | 0x20); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::uint32_t> hex_number(std::string_view s) {
  std::uint64_t v = 0;
  std::size_t i = 0;
  for (; i < s.size() && std::isxdigit(static_cast<unsigned char>(s[i])); ++i) {
    v = v * 16 + static_cast<std::uint64_t>(util::is_digit(s[i]) ? s[i] - '0' : lower(s[i]) - 'a' + 10);
    if (v > 0xFFFFFFFFu) return std::nullopt;
  }
  if (i == 0 || i != s.size()) return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

// A thread id: "2216", "0x8A8", or hex without its prefix ("E0") as SMS 1.x
// writes it. `hex` says the writer is known to write hex (an SMS 1.x line);
// otherwise bare digits are decimal and hex letters make it hex.
std::optional<std::uint32_t> thread_number(std::string_view s, bool hex = false) {
  s = trim(s);
  if (s.size() > 2 && s[0] == '0' && lower(s[1]) == 'x') return hex_number(s.substr(2));
  bool letters = false;
  for (char c : s) letters |= std::isxdigit(static_cast<unsigned char>(c)) && !util::is_digit(c);
  if (hex || letters) return hex_number(s);
  std::uint64_t v = 0;
  std::size_t i = 0;
  for (; i < s.size() && util::is_digit(s[i]) && i < 10; ++i) v = v * 10 + static_cast<std::uint64_t>(s[i] - '0');
  if (i == 0 || i != s.size() || v > 0xFFFFFFFFu) return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

// "06-05-2006 10:02:11.453+420" (bias optional) or an SMS 2.0 date.
bool sms_date(std::string_view s, Entry& e) {
  if (s.size() >= 23 && s[10] == ' ' && util::is_digit(s[0])) {
    // The usual layout, read by position.
    std::string_view rest = s.substr(23);
    if (!rest.empty()) {
      e.bias_minutes = parse_bias(rest);
      if (!e.bias_minutes) return false;
    }
    e.local = parse_mdy_time(s.substr(0, 10), s.substr(11, 12));
    if (e.local) return true;
  }
  if (!s.empty() && util::is_digit(s[0])) {
    e.bias_minutes.reset();
    std::size_t sp = s.find(' ');
    if (sp == std::string_view::npos) return false;
    std::string_view time = s.substr(sp + 1);
    std::size_t sign = time.find_first_of("+-");
    if (sign != std::string_view::npos) {
      e.bias_minutes = parse_bias(time.substr(sign));
      if (!e.bias_minutes) return false;
      time = time.substr(0, sign);
    }
    e.local = parse_mdy_time(s.substr(0, sp), time);
    return e.local.has_value();
  }
  auto d = parse_sms20_date(s);
  if (!d) return false;
  e.local = d->local;
  e.bias_minutes = d->bias_minutes;
  return true;
}

// `<COMPONENT><DATE><thread=N (0xHEX)>`: the component first, then date and
// thread in whichever groups are present.
void sms_trailer(std::string_view s, Entry& e) {
  int group = 0;
  bool sms1 = false;  // an SMS 1.x date ("...1995~"): its thread ids are hex without "0x"
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n && s[i] == '<') {
    std::size_t gt = i + 1;
    while (gt < n && s[gt] != '>' && s[gt] != '<') ++gt;
    if (gt == n || s[gt] != '>') {
      e.unreadable = true;
      break;
    }
    std::string_view g = s.substr(i + 1, gt - i - 1);
    i = gt + 1;
    if (group++ == 0) {
      e.component = g;
    } else if (g.size() >= 7 && util::iequal(g.substr(0, 7), "thread=")) {
      // "2216 (0x8A8)": the hex part, when present, is the one to trust.
      std::string_view v = g.substr(7);
      std::size_t paren = v.find("(0x");
      if (paren != std::string_view::npos) {
        std::size_t close = v.find(')', paren);
        if (close != std::string_view::npos) e.thread = thread_number(v.substr(paren + 1, close - paren - 1));
      }
      if (!e.thread) e.thread = thread_number(v.substr(0, v.find(' ')), sms1);
      if (!e.thread && !trim(v).empty()) e.unreadable = true;
    } else if (sms_date(g, e)) {
      sms1 = !g.empty() && g.back() == '~';
    } else {
      e.unreadable = true;
    }
  }
  if (i != n) e.unreadable = true;
}

// key="value" pairs in any order and case; unknown keys ignored.
void cmtrace_attributes(std::string_view s, Entry& e) {
  std::string_view date, time;
  bool typed = false;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '<' || s[i] == '>' || s[i] == '\t')) ++i;
    std::size_t k = i;
    while (i < s.size() && s[i] != '=' && s[i] != ' ' && s[i] != '>') ++i;
    std::string_view key = s.substr(k, i - k);
    if (i + 1 >= s.size() || s[i] != '=' || s[i + 1] != '"') {
      ++i;
      continue;
    }
    i += 2;
    std::size_t q = s.find('"', i);
    if (q == std::string_view::npos) {
      e.unreadable = true;
      break;
    }
    std::string_view v = s.substr(i, q - i);
    i = q + 1;
    if (util::iequal(key, "time")) {
      time = v;
    } else if (util::iequal(key, "date")) {
      date = v;
    } else if (util::iequal(key, "component")) {
      e.component = v;
    } else if (util::iequal(key, "type")) {
      typed = v.size() == 1 && v[0] >= '0' && v[0] <= '3';
      if (typed) e.severity = v[0] == '0' ? Severity::Info : static_cast<Severity>(v[0] - '0');
    } else if (util::iequal(key, "thread")) {
      e.thread = thread_number(v);
    } else if (util::iequal(key, "file")) {
      std::size_t colon = v.rfind(':');
      if (colon != std::string_view::npos && colon + 1 < v.size() && util::is_digit(v[colon + 1])) {
        e.source_file = v.substr(0, colon);
        std::uint64_t n = 0;
        for (std::size_t j = colon + 1; j < v.size() && util::is_digit(v[j]) && n < 0xFFFFFFFFu; ++j)
          n = n * 10 + static_cast<std::uint64_t>(v[j] - '0');
        e.source_line = static_cast<std::uint32_t>(n > 0xFFFFFFFFu ? 0xFFFFFFFFu : n);
      } else {
        e.source_file = v;
      }
    }
  }
  if (!time.empty()) {
    std::size_t sign = time.find_first_of("+-");
    if (sign != std::string_view::npos) {
      e.bias_minutes = parse_bias(time.substr(sign));
      time = time.substr(0, sign);
    }
    if (!date.empty()) e.local = parse_mdy_time(date, time);
  }
  if (!typed) e.severity = severity_from_words(e.message);
}

// The words, checked from position i (any case): 3 error, 2 warn, 0 none.
int word_at(const char* p, std::size_t i, std::size_t n) {
  char c = lower(p[i]);
  if (c == 'e' && i + 5 <= n && lower(p[i + 1]) == 'r' && lower(p[i + 2]) == 'r' && lower(p[i + 3]) == 'o' &&
      lower(p[i + 4]) == 'r')
    return 3;
  if (c == 'f' && i + 4 <= n && lower(p[i + 1]) == 'a' && lower(p[i + 2]) == 'i' && lower(p[i + 3]) == 'l') return 3;
  if (c == 'w' && i + 4 <= n && lower(p[i + 1]) == 'a' && lower(p[i + 2]) == 'r' && lower(p[i + 3]) == 'n') return 2;
  return 0;
}

}  // namespace

// Sixteen positions at a time: a position is a candidate when it starts one
// of "err", "fai", "war" (any case); only candidates are checked in full.
Severity severity_from_words(std::string_view m) {
  const char* p = m.data();
  const std::size_t n = m.size();
  bool warn = false;
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i k20 = _mm_set1_epi8(0x20);
  const __m128i ke = _mm_set1_epi8('e'), kf = _mm_set1_epi8('f'), kw = _mm_set1_epi8('w');
  const __m128i kr = _mm_set1_epi8('r'), ka = _mm_set1_epi8('a'), ki = _mm_set1_epi8('i');
  for (; i + 18 <= n; i += 16) {
    __m128i c0 = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)), k20);
    __m128i c1 = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 1)), k20);
    __m128i c2 = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 2)), k20);
    __m128i err = _mm_and_si128(_mm_cmpeq_epi8(c0, ke), _mm_and_si128(_mm_cmpeq_epi8(c1, kr), _mm_cmpeq_epi8(c2, kr)));
    __m128i a1 = _mm_cmpeq_epi8(c1, ka);
    __m128i fai = _mm_and_si128(_mm_cmpeq_epi8(c0, kf), _mm_and_si128(a1, _mm_cmpeq_epi8(c2, ki)));
    __m128i war = _mm_and_si128(_mm_cmpeq_epi8(c0, kw), _mm_and_si128(a1, _mm_cmpeq_epi8(c2, kr)));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(err, _mm_or_si128(fai, war))));
    while (mask != 0) {
      int w = word_at(p, i + static_cast<std::size_t>(__builtin_ctz(mask)), n);
      if (w == 3) return Severity::Error;
      warn |= w == 2;
      mask &= mask - 1;
    }
  }
#endif
  for (; i + 3 <= n; ++i) {
    int w = word_at(p, i, n);
    if (w == 3) return Severity::Error;
    warn |= w == 2;
  }
  return warn ? Severity::Warning : Severity::Info;
}

Entry parse_entry(std::string_view text, const Span& span) {
  Entry e;
  e.format = span.format;
  e.line = span.line;
  e.offset = span.offset;
  e.unreadable = span.unreadable;
  std::string_view s = text.substr(span.offset, span.end - span.offset);
  switch (span.format) {
    case Format::Plain:
      e.message = s;
      e.severity = severity_from_words(s);
      break;
    case Format::Sms: {
      // SMS writes a line break of the message as '~' (SMS Trace shows it as
      // one): the ones that open or close the message carry no text.
      std::string_view m = s.substr(0, span.mark);
      while (!m.empty() && (m.back() == ' ' || m.back() == '\t' || m.back() == '~')) m.remove_suffix(1);
      while (!m.empty() && m.front() == '~') m.remove_prefix(1);
      e.message = m;
      sms_trailer(s.substr(span.mark + 2), e);
      e.severity = severity_from_words(m);
      break;
    }
    case Format::CmTrace:
      e.message = s.substr(7, span.mark - 7);
      cmtrace_attributes(s.substr(span.mark + 7), e);
      break;
    case Format::Setup: {
      std::string_view inside = s.substr(1, span.mark - 1);
      std::size_t sp = inside.find(' ');
      e.local = parse_mdy_time(inside.substr(0, sp), inside.substr(sp + 1));
      std::string_view m = s.substr(span.mark + 1);
      while (!m.empty() && m.front() == ' ') m.remove_prefix(1);
      e.message = m;
      e.severity = severity_from_words(m);
      break;
    }
  }
  return e;
}

std::string_view to_string(Format f) {
  switch (f) {
    case Format::Plain:
      return "plain";
    case Format::Sms:
      return "sms";
    case Format::CmTrace:
      return "cmtrace";
    case Format::Setup:
      return "setup";
  }
  return "plain";
}

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::Info:
      return "info";
    case Severity::Warning:
      return "warning";
    case Severity::Error:
      return "error";
  }
  return "info";
}

std::optional<Severity> parse_severity(std::string_view s) {
  if (util::iequal(s, "error") || s == "3") return Severity::Error;
  if (util::iequal(s, "warning") || util::iequal(s, "warn") || s == "2") return Severity::Warning;
  if (util::iequal(s, "info") || s == "1") return Severity::Info;
  return std::nullopt;
}

}  // namespace smsup::logs
