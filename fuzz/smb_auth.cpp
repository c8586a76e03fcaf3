// Fuzzes the SMB authentication file reader (smb::read_auth_file, the
// smbclient -A format): any bytes as the file. Refused with an InputError that
// keeps the message contract and never holds the password; accepted files
// give a user.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "smb/auth.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace smsup;
  std::string path = fuzz::write_scratch("auth", fuzz::bytes(data, size));
  try {
    smb::Credentials c = smb::read_auth_file(path);
    // An empty password is accepted (a guest account); a user is not optional.
    fuzz::require(!c.user.empty(), "accepted credentials have a user");
  } catch (const InputError& e) {
    fuzz::check_message(e.what());
  }
  return 0;
}
