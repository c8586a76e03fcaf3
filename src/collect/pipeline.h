// The client rows read in one thread and handled in another: a Source whose
// select() runs the wrapped source's select() in a thread of its own, which
// copies the rows into blocks handed over through a bounded queue, while the
// calling thread takes the blocks and calls `each` on every row, in order.
// On two cores the driver's fetch (about as much CPU as the engine's own
// shell exporting the rows) and the collector's mapping and writing of the
// same rows then run at the same time instead of one after the other.
//
// The wrapped source is used by the reading thread only, and only while
// select() runs: one connection, one thread at a time (see collect.cpp on
// what the ODBC drivers promise). Errors are those of a plain select(), in
// the order the rows give them: a row `each` refuses stops the reading at its
// next row and select() throws what `each` threw; a failure of the reading
// (QueryError, ...) is thrown after `each` has had every row read before it.
// stop(), from any thread, ends a select() in progress (or the next one) at
// its next row or block: it throws Stopped. select() always joins its
// reading thread before it returns or throws.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>

#include "collect/source.h"

namespace smsup::collect {

// Thrown by a stopped select(): not an error of its own, the one that asked
// for the stop has it.
struct Stopped {};

class PipelinedSource : public Source {
 public:
  // rows_per_block rows a block, at most `blocks` blocks read ahead.
  explicit PipelinedSource(Source& inner, size_t rows_per_block = 1024, size_t blocks = 8);
  ~PipelinedSource() override;

  void select(std::string_view sql, const RowFn& each) override;
  std::vector<std::string> columns(std::string_view table) override { return inner_.columns(table); }
  Dialect dialect() const override { return inner_.dialect(); }
  std::string server() const override { return inner_.server(); }
  std::string database() const override { return inner_.database(); }

  void stop();

 private:
  struct Block;
  Source& inner_;
  size_t rows_per_block_, max_blocks_;
  std::mutex m_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<Block>> full_, spare_;
  bool reading_done_ = false, stopped_ = false;
};

}  // namespace smsup::collect
