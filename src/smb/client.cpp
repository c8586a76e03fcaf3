#include "smb/client.h"

#include <libsmbclient.h>

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "util/error.h"

namespace smsup::smb {

struct Client::Context {
  SMBCCTX* ctx = nullptr;
  ~Context() {
    // 1: close the connections even if a file is still open (an exception
    // may have left one behind).
    if (ctx != nullptr) smbc_free_context(ctx, 1);
  }
};

namespace {

// Copies into a buffer libsmbclient gave, cut to fit and always terminated.
void put(char* out, int len, const std::string& value) {
  if (len <= 0) return;
  std::size_t n = std::min(value.size(), static_cast<std::size_t>(len - 1));
  std::memcpy(out, value.data(), n);
  out[n] = '\0';
}

struct Auth {
  std::string user, password, domain;
};

// libsmbclient asks for credentials through this callback each time it logs
// on to a server; the context's user data points to them (no global state,
// so several clients may run in several threads).
void auth_callback(SMBCCTX* c, const char* /*server*/, const char* /*share*/, char* workgroup, int wglen,
                   char* user, int userlen, char* password, int pwlen) {
  const auto* a = static_cast<const Auth*>(smbc_getOptionUserData(c));
  if (a == nullptr) return;
  if (!a->domain.empty()) put(workgroup, wglen, a->domain);
  put(user, userlen, a->user);
  put(password, pwlen, a->password);
}

// Owns one libsmbclient file or folder handle.
struct Handle {
  SMBCCTX* ctx;
  SMBCFILE* file;
  bool folder;
  ~Handle() {
    if (file == nullptr) return;
    if (folder)
      smbc_getFunctionClosedir(ctx)(ctx, file);
    else
      smbc_getFunctionClose(ctx)(ctx, file);
  }
};

std::string seconds(std::chrono::milliseconds ms) {
  return ms.count() % 1000 == 0 ? fmt::format("{} s", ms.count() / 1000) : fmt::format("{} ms", ms.count());
}

}  // namespace

Client::Client(const Url& server, Credentials credentials, ClientOptions options)
    : server_(server), credentials_(std::move(credentials)), options_(options), ctx_(std::make_unique<Context>()) {
  if (!server_.user.empty()) credentials_.user = server_.user;
  if (!server_.domain.empty()) credentials_.domain = server_.domain;
  auto auth = std::make_unique<Auth>(Auth{credentials_.user, credentials_.password, credentials_.domain});
  ctx_->ctx = smbc_new_context();
  if (ctx_->ctx == nullptr) throw InputError({server_.display()}, "", "cannot create an SMB client context (out of memory?)");
  SMBCCTX* c = ctx_->ctx;
  // Quiet: the library would otherwise write its debug lines to stdout,
  // into the JSON that verify and logs print.
  smbc_setDebug(c, 0);
  smbc_setOptionDebugToStderr(c, 1);
  smbc_setFunctionAuthDataWithContext(c, auth_callback);
  // A refused password must be a logon failure, not a silent guest session.
  smbc_setOptionNoAutoAnonymousLogin(c, 1);
  smbc_setOptionUseKerberos(c, 0);
  smbc_setOptionFallbackAfterKerberos(c, 1);
  smbc_setOptionUseCCache(c, 0);
  smbc_setTimeout(c, static_cast<int>(std::min<std::chrono::milliseconds::rep>(options_.timeout.count(), 1 << 30)));
  if (server_.port != 0) smbc_setPort(c, server_.port);
  if (smbc_init_context(c) == nullptr) {
    int err = errno;
    throw InputError({server_.display()}, "", fmt::format("cannot start the SMB client: {}", std::strerror(err)));
  }
  // The Auth lives as long as the context: it is freed with the Client.
  smbc_setOptionUserData(c, auth.release());
}

Client::~Client() {
  if (ctx_ && ctx_->ctx != nullptr) {
    std::unique_ptr<Auth> auth(static_cast<Auth*>(smbc_getOptionUserData(ctx_->ctx)));
    ctx_.reset();  // the context first: it may still call back while closing
  }
}

void Client::check_server(const Url& u) const {
  if (!u.same_server(server_))
    throw std::logic_error("smb::Client for " + server_.display() + " asked for " + u.display());
}

std::string Client::reason(const Url& where, int err) {
  std::string port = fmt::format("port {}", server_.port ? server_.port : 445);
  switch (err) {
    case ECONNREFUSED:
      return fmt::format("host unreachable: connection refused (nothing listens on {} of {})", port, server_.server);
    case ETIMEDOUT:
      return fmt::format("host unreachable: no answer within {} (the timeout)", seconds(options_.timeout));
    case EHOSTUNREACH:
    case ENETUNREACH:
    case EHOSTDOWN:
    case EADDRNOTAVAIL:
      return fmt::format("host unreachable: no route to {}", server_.server);
    case ECONNRESET:
    case EPIPE:
    case ECONNABORTED:
      return "the server closed the connection";
    case EACCES:
    case EPERM: {
      // libsmbclient reports a refused logon and a refused file alike. IPC$
      // tells them apart: any user who may log on may connect to it, and a
      // path in it never exists, so a logon that works answers "no such
      // file" there, and a refused one "access denied" again.
      SMBCCTX* c = ctx_->ctx;
      Url ipc = where;
      ipc.share = "IPC$";
      ipc.path = "smsup-logon-probe";
      struct stat st {};
      errno = 0;
      bool refused = smbc_getFunctionStat(c)(c, ipc.library_url().c_str(), &st) < 0 && (errno == EACCES || errno == EPERM);
      if (refused)
        return fmt::format("logon failure: the server refused the user name or password in {}",
                           credentials_.file.empty() ? std::string("the authentication file")
                                                     : credentials_.file.string());
      return "access denied: the user may not read this share, folder or file";
    }
    case ENOENT:
    case ENODEV:
    case ENXIO: {
      // No such share, or no such file in a share that exists.
      SMBCCTX* c = ctx_->ctx;
      Url root = where;
      root.path.clear();
      if (where.path.empty()) return "no such share";
      Handle h{c, smbc_getFunctionOpendir(c)(c, root.library_url().c_str()), true};
      if (h.file == nullptr && (errno == ENOENT || errno == ENODEV || errno == ENXIO)) return "no such share";
      return "no such file or folder";
    }
    case ENOTDIR:
      return "not a folder";
    case EISDIR:
      return "a folder, not a file";
    default:
      return std::strerror(err);
  }
}

void Client::fail(const Url& where, const char* doing, int err) {
  std::string why = reason(where, err);
  throw InputError({where.display()}, "", fmt::format("cannot {} over SMB: {}", doing, why));
}

std::vector<DirEntry> Client::list(const Url& folder) { return *list(folder, false); }

std::optional<std::vector<DirEntry>> Client::list_if_exists(const Url& folder) { return list(folder, true); }

std::optional<std::vector<DirEntry>> Client::list(const Url& folder, bool missing_ok) {
  check_server(folder);
  SMBCCTX* c = ctx_->ctx;
  errno = 0;
  Handle h{c, smbc_getFunctionOpendir(c)(c, folder.library_url().c_str()), true};
  if (h.file == nullptr) {
    int err = errno;
    if (missing_ok && (err == ENOTDIR || (err == ENOENT && reason(folder, err) == "no such file or folder")))
      return std::nullopt;
    fail(folder, "list the folder", err);
  }
  std::vector<DirEntry> out;
  // libsmbclient fetches the whole listing at opendir: the walk below
  // cannot fail halfway, and ends with a null.
  auto readdirplus = smbc_getFunctionReaddirPlus(c);
  while (const libsmb_file_info* info = readdirplus(c, h.file)) {
    std::string name = info->name != nullptr ? info->name : "";
    if (name.empty() || name == "." || name == "..") continue;
    out.push_back({name, (info->attrs & 0x10) != 0 /* FILE_ATTRIBUTE_DIRECTORY */, info->size});
  }
  return out;
}

std::optional<std::uint64_t> Client::size(const Url& file) {
  check_server(file);
  SMBCCTX* c = ctx_->ctx;
  struct stat st {};
  errno = 0;
  if (smbc_getFunctionStat(c)(c, file.library_url().c_str(), &st) < 0) {
    int err = errno;
    // A missing file is an answer (not yet written, or being rotated); a
    // missing share is not.
    if (err == ENOENT && reason(file, err) == "no such file or folder") return std::nullopt;
    fail(file, "read the size of", err);
  }
  if (S_ISDIR(st.st_mode)) fail(file, "read the size of", EISDIR);
  return static_cast<std::uint64_t>(st.st_size);
}

std::string Client::read(const Url& file) { return read(file, 0, static_cast<std::size_t>(-1)); }

std::string Client::read(const Url& file, std::uint64_t offset, std::size_t n) {
  check_server(file);
  SMBCCTX* c = ctx_->ctx;
  errno = 0;
  Handle h{c, smbc_getFunctionOpen(c)(c, file.library_url().c_str(), O_RDONLY, 0), false};
  if (h.file == nullptr) fail(file, "open", errno);
  struct stat st {};
  if (smbc_getFunctionFstat(c)(c, h.file, &st) < 0) fail(file, "read", errno);
  if (S_ISDIR(st.st_mode)) fail(file, "read", EISDIR);
  auto size = static_cast<std::uint64_t>(st.st_size);
  if (offset >= size && n != static_cast<std::size_t>(-1)) return {};
  if (offset > 0 && smbc_getFunctionLseek(c)(c, h.file, static_cast<off_t>(offset), SEEK_SET) < 0)
    fail(file, "seek in", errno);
  std::string out;
  // The size is a hint (the file may grow while it is read): read to the end
  // or to n bytes, whichever comes first.
  std::uint64_t want = offset < size ? size - offset : 0;
  out.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(want, n)));
  // libsmbclient keeps one read in flight per call: 256 KiB calls were the
  // quickest on loopback Samba (64 KiB: per-request cost; 1 MiB and more: slower).
  constexpr std::size_t kChunk = 256u << 10;
  auto reader = smbc_getFunctionRead(c);
  while (out.size() < n) {
    std::size_t chunk = std::min(kChunk, n - out.size());
    std::size_t at = out.size();
    out.resize(at + chunk);
    errno = 0;
    ssize_t got = reader(c, h.file, out.data() + at, chunk);
    if (got < 0) fail(file, "read", errno);
    out.resize(at + static_cast<std::size_t>(got));
    if (got == 0) break;
  }
  return out;
}

}  // namespace smsup::smb
