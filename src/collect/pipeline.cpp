#include "collect/pipeline.h"

#include <cstdint>
#include <exception>
#include <string>
#include <thread>
#include <vector>

namespace smsup::collect {

// Rows copied out of the driver's buffers: the values back to back, where
// each ends, whether it is null. A block is reused once handled (spare_), so
// that a million rows do not cost a thousand allocations.
struct PipelinedSource::Block {
  std::string bytes;
  std::vector<uint32_t> ends;
  std::vector<uint8_t> nulls;
  size_t columns = 0, rows = 0;
  void clear() {
    bytes.clear();
    ends.clear();
    nulls.clear();
    columns = rows = 0;
  }
};

PipelinedSource::PipelinedSource(Source& inner, size_t rows_per_block, size_t blocks)
    : inner_(inner), rows_per_block_(rows_per_block == 0 ? 1 : rows_per_block), max_blocks_(blocks == 0 ? 1 : blocks) {}

PipelinedSource::~PipelinedSource() = default;

void PipelinedSource::stop() {
  std::lock_guard lock(m_);
  stopped_ = true;
  changed_.notify_all();
}

void PipelinedSource::select(std::string_view sql, const RowFn& each) {
  {
    std::lock_guard lock(m_);
    if (stopped_) throw Stopped{};
    full_.clear();
    reading_done_ = false;
  }
  bool abandoned = false;  // `each` threw: the reader stops (guarded by m_)
  std::exception_ptr read_error;
  std::string text(sql);

  std::thread reader([&] {
    std::unique_ptr<Block> block;
    auto quit = [&] { return stopped_ || abandoned; };
    try {
      inner_.select(text, [&](const Row& r) {
        if (!block) {
          std::lock_guard lock(m_);
          if (quit()) throw Stopped{};
          if (spare_.empty()) {
            block = std::make_unique<Block>();
          } else {
            block = std::move(spare_.back());
            spare_.pop_back();
          }
        }
        if (block->rows == 0) block->columns = r.size();
        for (size_t i = 0; i < block->columns; ++i) {
          bool null = r.null(i);
          if (!null) block->bytes += r[i];
          block->ends.push_back(static_cast<uint32_t>(block->bytes.size()));
          block->nulls.push_back(null ? 1 : 0);
        }
        if (++block->rows == rows_per_block_) {
          std::unique_lock lock(m_);
          changed_.wait(lock, [&] { return quit() || full_.size() < max_blocks_; });
          if (quit()) throw Stopped{};
          full_.push_back(std::move(block));
          changed_.notify_all();
        }
      });
      if (block && block->rows > 0) {
        std::lock_guard lock(m_);
        full_.push_back(std::move(block));
      }
    } catch (...) {
      read_error = std::current_exception();
    }
    std::lock_guard lock(m_);
    // The rows read before an error are handled before it, as they would
    // be without the pipeline (one of them may be refused first).
    if (block && block->rows > 0 && !quit()) full_.push_back(std::move(block));
    reading_done_ = true;
    changed_.notify_all();
  });
  // Whatever happens here, the reader is told to stop and joined.
  struct Join {
    PipelinedSource& self;
    std::thread& reader;
    bool& abandoned;
    ~Join() {
      {
        std::lock_guard lock(self.m_);
        abandoned = true;
        self.changed_.notify_all();
      }
      reader.join();
    }
  } join{*this, reader, abandoned};

  std::vector<std::string_view> values;
  std::vector<bool> nulls;
  Row row(values, nulls);
  while (true) {
    std::unique_ptr<Block> block;
    {
      std::unique_lock lock(m_);
      changed_.wait(lock, [&] { return stopped_ || !full_.empty() || reading_done_; });
      if (stopped_) throw Stopped{};
      if (full_.empty()) break;  // read to the end (or to an error), every block handled
      block = std::move(full_.front());
      full_.pop_front();
      changed_.notify_all();
    }
    values.assign(block->columns, {});
    nulls.assign(block->columns, false);
    size_t k = 0;
    uint32_t start = 0;
    for (size_t r = 0; r < block->rows; ++r) {
      for (size_t i = 0; i < block->columns; ++i, ++k) {
        uint32_t end = block->ends[k];
        nulls[i] = block->nulls[k] != 0;
        values[i] = std::string_view(block->bytes.data() + start, end - start);
        start = end;
      }
      each(row);
    }
    block->clear();
    std::lock_guard lock(m_);
    spare_.push_back(std::move(block));
  }
  // The reader has finished (reading_done_): joined by `join` as this returns.
  if (read_error) std::rethrow_exception(read_error);
}

}  // namespace smsup::collect
