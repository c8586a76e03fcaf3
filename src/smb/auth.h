// Credentials for SMB, from an authentication file in the smbclient -A
// format (username = ..., password = ..., domain = ...), named by
// --smb-auth FILE or the environment variable SMSUP_SMB_AUTH. Never from the
// command line (it shows in `ps` and shell history); the password is never
// printed, journaled or put in an error message.
#pragma once

#include <filesystem>
#include <string>

namespace smsup::smb {

struct Credentials {
  std::string user, password, domain;
  std::filesystem::path file;  // where they came from, for messages
};

// Reads an smbclient -A file: one `key = value` a line (keys in any case,
// spaces around '=' ignored, a trailing CR dropped), `username` may be
// DOMAIN\user or DOMAIN/user, lines without '=' and other keys are ignored as
// smbclient ignores them. Throws smsup::InputError naming the file (and the
// line) when it cannot be read or lacks a username or password.
Credentials read_auth_file(const std::filesystem::path& file);

// The file named by `option` (--smb-auth) or else by $SMSUP_SMB_AUTH, read;
// InputError saying how to give one when neither is set.
Credentials credentials_from(const std::string& option);

}  // namespace smsup::smb
