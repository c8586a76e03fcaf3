// Where the collector reads from: one database, SELECTs only, rows streamed.
// The ODBC implementation (odbc_source.cpp) is the one in production; tests
// may put a fake in its place.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace smsup::collect {

// The SQL dialect of the engine behind a source: the statements differ
// (queries.cpp), the shape they return does not.
enum class Dialect { mssql, sqlite, postgresql };
std::string_view to_string(Dialect d);

// One row of a result: the columns as text, or null.
class Row {
 public:
  Row(const std::vector<std::string_view>& values, const std::vector<bool>& nulls) : values_(values), nulls_(nulls) {}
  size_t size() const { return values_.size(); }
  bool null(size_t i) const { return nulls_[i]; }
  std::string_view operator[](size_t i) const { return values_[i]; }
  std::string str(size_t i) const { return std::string(values_[i]); }

 private:
  const std::vector<std::string_view>& values_;
  const std::vector<bool>& nulls_;
};

using RowFn = std::function<void(const Row&)>;

// A statement the engine refused: the driver's message (no secret in it).
// The collector turns it into an InputError naming the server and the view.
struct QueryError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Source {
 public:
  virtual ~Source() = default;
  // Runs one SELECT (or catalog query) and calls `each` per row, in order.
  // Anything but a SELECT is refused before it reaches the driver.
  virtual void select(std::string_view sql, const RowFn& each) = 0;
  // The columns a table or view has (empty when it does not exist).
  virtual std::vector<std::string> columns(std::string_view table) = 0;
  virtual Dialect dialect() const = 0;
  // For messages and the collected: block: server and database, no secret.
  virtual std::string server() const = 0;
  virtual std::string database() const = 0;
};

// True when `sql` is a single SELECT: the guard of the read-only promise, in
// front of the driver's own read-only mode.
bool is_select(std::string_view sql);

}  // namespace smsup::collect
