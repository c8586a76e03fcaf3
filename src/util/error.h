// Errors that reach users: where (file, line, column), which field, what was
// expected. One type for every bad input, formatted in one place (what()).
#pragma once

#include <stdexcept>
#include <string>

namespace smsup {

struct SourceLoc {
  std::string file;
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based; 0 = unknown
};

// Bad input: a file, option or value that breaks the contract. The CLI turns
// it into one message on stderr and exit status 2.
class InputError : public std::runtime_error {
 public:
  InputError(SourceLoc loc, std::string field, std::string message);
  const SourceLoc& loc() const { return loc_; }
  const std::string& field() const { return field_; }
  const std::string& message() const { return message_; }

 private:
  SourceLoc loc_;
  std::string field_;
  std::string message_;
};

// "file:line:col: field: message", leaving out the parts that are unknown.
std::string format_error(const SourceLoc& loc, const std::string& field, const std::string& message);

}  // namespace smsup
