#include "util/error.h"

#include <fmt/format.h>

namespace smsup {

InputError::InputError(SourceLoc loc, std::string field, std::string message)
    : std::runtime_error(format_error(loc, field, message)),
      loc_(std::move(loc)),
      field_(std::move(field)),
      message_(std::move(message)) {}

std::string format_error(const SourceLoc& loc, const std::string& field,
                         const std::string& message) {
  std::string out;
  if (!loc.file.empty()) {
    out += loc.file;
    if (loc.line > 0) {
      out += fmt::format(":{}", loc.line);
      if (loc.column > 0) out += fmt::format(":{}", loc.column);
    }
    out += ": ";
  }
  if (!field.empty()) out += field + ": ";
  out += message;
  return out;
}

}  // namespace smsup
