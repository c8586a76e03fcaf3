#include "util/checked_output.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace smsup {

FdOutput::FdOutput(int fd) : fd_(fd) { setp(buf_, buf_ + sizeof buf_); }

std::streambuf::int_type FdOutput::overflow(int_type ch) {
  if (sync() != 0) return traits_type::eof();
  if (!traits_type::eq_int_type(ch, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(ch);
    pbump(1);
  }
  return traits_type::not_eof(ch);
}

int FdOutput::sync() {
  const char* p = pbase();
  int status = 0;
  while (p < pptr() && error_ == 0) {
    ssize_t n = ::write(fd_, p, static_cast<size_t>(pptr() - p));
    if (n >= 0) {
      p += n;
    } else if (errno != EINTR) {
      error_ = errno;
    }
  }
  if (error_ != 0) status = -1;  // and what was buffered is dropped: it can go nowhere
  setp(buf_, buf_ + sizeof buf_);
  return status;
}

void flush_checked(std::ostream& out) {
  out.flush();
  if (out) return;
  const auto* fd = dynamic_cast<const FdOutput*>(out.rdbuf());
  int why = fd != nullptr ? fd->error() : 0;
  std::string reason = why != 0 ? std::strerror(why) : "a write was refused";
  throw OutputError("could not write the output: " + reason);
}

}  // namespace smsup
