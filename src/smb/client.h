// A client for one SMB server through libsmbclient's thread-safe context API
// (one context per Client; a Client is used by one thread at a time). Every
// failure is a smsup::InputError (exit 2) naming the server, share and path
// and the SMB error in words; connect and each reply are bounded by a timeout
// so that nothing hangs on a dead or silent server.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "smb/auth.h"
#include "smb/url.h"

namespace smsup::smb {

struct ClientOptions {
  // Connecting, and waiting for each reply from the server.
  std::chrono::milliseconds timeout{15000};
};

struct DirEntry {
  std::string name;
  bool folder = false;
  std::uint64_t size = 0;
};

class Client {
 public:
  // For the server (and port) of `server`; the URL's user and domain, when
  // given, stand before those of the credentials.
  Client(const Url& server, Credentials credentials, ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // The entries of a folder ('.' and '..' left out).
  std::vector<DirEntry> list(const Url& folder);
  // The same, or nullopt when there is no such folder in a share that exists.
  std::optional<std::vector<DirEntry>> list_if_exists(const Url& folder);
  // Size of a file; nullopt when there is no such file (other errors throw).
  std::optional<std::uint64_t> size(const Url& file);
  // A whole file.
  std::string read(const Url& file);
  // Up to `n` bytes from `offset`; fewer at the end of the file.
  std::string read(const Url& file, std::uint64_t offset, std::size_t n);

  const Url& server() const { return server_; }

 private:
  struct Context;
  [[noreturn]] void fail(const Url& where, const char* doing, int err);
  std::string reason(const Url& where, int err);
  void check_server(const Url& u) const;
  std::optional<std::vector<DirEntry>> list(const Url& folder, bool missing_ok);

  Url server_;
  Credentials credentials_;
  ClientOptions options_;
  std::unique_ptr<Context> ctx_;
};

// The reading loop of Client::read, apart for its tests: up to `n` bytes
// through `read_some` (like read(2): the bytes it put at `into`, at most
// `max`, 0 at the end of the file; it throws on an error), from a file that
// had `expected` bytes left when it was opened. The file may have shrunk
// since (the bytes up to its new end are returned) or grown (read on to its
// new end or to `n`). Calls of `chunk` bytes; a buffer of min(expected, n)
// bytes allocated once.
std::string read_to_end(std::uint64_t expected, std::size_t n, std::size_t chunk,
                        const std::function<std::size_t(char* into, std::size_t max)>& read_some);

// A file on an SMB server read by offset, for following a log as it grows:
// size() and read(offset, n), each a fresh request so a file rotated and
// replaced on the server is the new one at the next call.
class RemoteFile {
 public:
  RemoteFile(Client& client, Url file) : client_(client), file_(std::move(file)) {}
  std::optional<std::uint64_t> size() { return client_.size(file_); }
  std::string read(std::uint64_t offset, std::size_t n) { return client_.read(file_, offset, n); }
  const Url& url() const { return file_; }

 private:
  Client& client_;
  Url file_;
};

}  // namespace smsup::smb
