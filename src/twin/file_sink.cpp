#include "twin/file_sink.h"

#include <cstdio>
#include <fmt/format.h>
#include <stdexcept>

namespace smsup::twin {

FileLogSink::FileLogSink(std::filesystem::path dir, size_t flush_bytes)
    : dir_(std::move(dir)), flush_bytes_(flush_bytes) {}

FileLogSink::~FileLogSink() {
  try {
    flush();
  } catch (...) {
    // A destructor must not throw; callers who care call flush() themselves.
  }
}

void FileLogSink::write(std::string_view path, std::string_view line) {
  auto it = pending_.find(path);
  if (it == pending_.end()) it = pending_.emplace(std::string(path), std::string()).first;
  // Windows line ends, as the real logs have.
  it->second.append(line);
  it->second.append("\r\n");
  buffered_ += line.size() + 2;
  ++lines_;
  if (buffered_ >= flush_bytes_) flush();
}

void FileLogSink::flush() {
  for (auto& [rel, text] : pending_) {
    if (text.empty()) continue;
    auto full = dir_ / rel;
    std::error_code ec;
    std::filesystem::create_directories(full.parent_path(), ec);
    std::FILE* f = std::fopen(full.c_str(), "ab");
    if (f == nullptr) throw std::runtime_error(fmt::format("{}: cannot open for writing", full.string()));
    bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    ok = std::fclose(f) == 0 && ok;
    if (!ok) throw std::runtime_error(fmt::format("{}: write failed", full.string()));
    text.clear();
  }
  pending_.clear();
  buffered_ = 0;
}

}  // namespace smsup::twin
