// Results that never reached the user are a failure, not a success: a
// command whose standard output is a full disk (> /dev/full), a file past
// its quota or a pipe whose reader is gone (with SIGPIPE ignored) must not
// exit 0 as if the report, the plan or the JSON had been delivered, and
// must say why the system refused the bytes.
//
// std::ostream only sets a flag when a write fails, and the streambufs the
// standard library puts under std::cout keep no errno: the reason is lost
// by the time anyone looks. FdOutput is the few lines that keep it (there is
// no library for this; standard C++ cannot attach a filebuf to a
// descriptor), and flush_checked turns the flag into an error with the
// reason at the points where smsup flushes.
#pragma once

#include <ostream>
#include <stdexcept>
#include <streambuf>

namespace smsup {

// What the CLI reports as "smsup: could not write the output: ..." with
// exit status 2 ("could not do it").
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A buffered stream buffer over a file descriptor that remembers the errno
// of the first write(2) that failed. After a failure it drops what it is
// given (the stream is failed and writes nothing more).
class FdOutput : public std::streambuf {
 public:
  explicit FdOutput(int fd);
  int error() const { return error_; }  // 0: every write went through

 protected:
  int_type overflow(int_type ch) override;
  int sync() override;

 private:
  int fd_;
  int error_ = 0;
  char buf_[1 << 16];
};

// Flushes `out` and throws OutputError when the stream failed, now or at an
// earlier write, with the system's reason when `out` writes through an
// FdOutput.
void flush_checked(std::ostream& out);

}  // namespace smsup
