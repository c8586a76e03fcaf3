// smb://[DOMAIN;]USER@SERVER[:PORT]/SHARE/path: where a log or a site's
// system drive root lies on a server reached over SMB. The user part is
// optional (the authentication file names the user); a password is refused
// here: it belongs in the authentication file only (auth.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace smsup::smb {

struct Url {
  std::string domain, user;  // empty: from the authentication file
  std::string server;        // host name or address ([v6] without brackets)
  std::uint16_t port = 0;    // 0: the default (445)
  std::string share;
  std::string path;  // inside the share, '/'-separated, no leading '/'; may be empty

  // smb://SERVER[:PORT]/SHARE/path, decoded: what reports and messages show
  // (never the user, never a password).
  std::string display() const;
  // The same, percent-encoded where libsmbclient would decode, for the library.
  std::string library_url() const;
  // The file or folder `name` inside this folder.
  Url child(std::string_view name) const;
  // The folder holding this path (the share root stays the share root).
  Url parent() const;
  // The last path component ("" for the share root).
  std::string name() const;
  bool same_server(const Url& other) const { return server == other.server && port == other.port; }
};

// True when `text` begins with smb:// (in any case).
bool is_smb_url(std::string_view text);

// Parses an smb:// URL given as `field` (an option such as "--logs"). Throws
// smsup::InputError located at the column of the fault; the message never
// repeats a password written into the URL.
Url parse_url(std::string_view text, const std::string& field);

}  // namespace smsup::smb
