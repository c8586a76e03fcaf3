// The generator's model of a site's data: which tables, how many rows per
// client and what they hold. Engine-neutral: rows go to a RowSink (SQLite
// prepared inserts, PostgreSQL COPY). Deterministic per (seed, client).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dbtest/site_db.h"

namespace smsup::dbtest {

struct Field {
  bool is_int = true;
  int64_t i = 0;
  std::string_view s;
  static Field of(int64_t v) { return Field{true, v, {}}; }
  static Field of(std::string_view v) { return Field{false, 0, v}; }
};

class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void begin_table(std::string_view table, const std::vector<std::string_view>& columns) = 0;
  virtual void row(std::span<const Field> fields) = 0;
  virtual void end_table() = 0;
};

// Writes every table's rows for opts into sink; returns the row count.
int64_t fill_site(RowSink& sink, const GenerateOptions& opts);

}  // namespace smsup::dbtest
