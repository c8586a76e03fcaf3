#include "smb/client.h"

// For the types and prototypes only: the functions are called through the
// table below, loaded at run time.
#include <libsmbclient.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include <fmt/format.h>

#include "util/error.h"

namespace smsup::smb {

namespace {

// libsmbclient, loaded when an smb:// location is first used. Linked into the
// binary it pulls in some 110 shared libraries (Samba's private ones,
// Kerberos, GnuTLS, LDAP...) that the dynamic loader maps and relocates at
// every start of smsup, about 0.1 s of CPU for each `status` or `--version`
// that never reads over SMB. Written by hand because no Debian library loads
// a shared library lazily (glibc's lazy binding defers symbol lookups, not
// the loading of the libraries): dlopen once, then one dlsym per function.
struct Smbc {
  decltype(&smbc_new_context) new_context;
  decltype(&smbc_init_context) init_context;
  decltype(&smbc_free_context) free_context;
  decltype(&smbc_setDebug) setDebug;
  decltype(&smbc_setOptionDebugToStderr) setOptionDebugToStderr;
  decltype(&smbc_setFunctionAuthDataWithContext) setFunctionAuthDataWithContext;
  decltype(&smbc_setOptionNoAutoAnonymousLogin) setOptionNoAutoAnonymousLogin;
  decltype(&smbc_setOptionUseKerberos) setOptionUseKerberos;
  decltype(&smbc_setOptionFallbackAfterKerberos) setOptionFallbackAfterKerberos;
  decltype(&smbc_setOptionUseCCache) setOptionUseCCache;
  decltype(&smbc_setTimeout) setTimeout;
  decltype(&smbc_setPort) setPort;
  decltype(&smbc_setOptionUserData) setOptionUserData;
  decltype(&smbc_getOptionUserData) getOptionUserData;
  decltype(&smbc_getFunctionOpen) getFunctionOpen;
  decltype(&smbc_getFunctionRead) getFunctionRead;
  decltype(&smbc_getFunctionLseek) getFunctionLseek;
  decltype(&smbc_getFunctionFstat) getFunctionFstat;
  decltype(&smbc_getFunctionClose) getFunctionClose;
  decltype(&smbc_getFunctionStat) getFunctionStat;
  decltype(&smbc_getFunctionOpendir) getFunctionOpendir;
  decltype(&smbc_getFunctionReaddirPlus) getFunctionReaddirPlus;
  decltype(&smbc_getFunctionClosedir) getFunctionClosedir;
};

constexpr const char* kSmbclientLibrary = "libsmbclient.so.0";

// Set once, under load_smbc's lock, before the first context is made.
const Smbc* g_smbc = nullptr;
// The table, for code that runs only once a Client has loaded it.
const Smbc& api() { return *g_smbc; }

// The table, or null with `error` saying why. Loaded once; a failure is
// tried again at the next call (nothing is kept of it).
const Smbc* load_smbc(std::string& error) {
  static std::mutex mutex;
  static Smbc table{};
  std::lock_guard lock(mutex);
  if (g_smbc != nullptr) return g_smbc;
  // Never closed: the library stays for the life of the process.
  void* lib = ::dlopen(kSmbclientLibrary, RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* why = ::dlerror();
    error = fmt::format("cannot load {} ({}): install the Debian package libsmbclient to read over SMB",
                        kSmbclientLibrary, why != nullptr ? why : "unknown error");
    return nullptr;
  }
  Smbc t{};
  bool ok = true;
  auto get = [&](auto& slot, const char* name) {
    void* sym = ::dlsym(lib, name);
    if (sym == nullptr) {
      if (ok)
        error = fmt::format("cannot use {}: it has no {} (install the Debian package libsmbclient)", kSmbclientLibrary,
                            name);
      ok = false;
      return;
    }
    slot = reinterpret_cast<std::remove_reference_t<decltype(slot)>>(sym);
  };
  get(t.new_context, "smbc_new_context");
  get(t.init_context, "smbc_init_context");
  get(t.free_context, "smbc_free_context");
  get(t.setDebug, "smbc_setDebug");
  get(t.setOptionDebugToStderr, "smbc_setOptionDebugToStderr");
  get(t.setFunctionAuthDataWithContext, "smbc_setFunctionAuthDataWithContext");
  get(t.setOptionNoAutoAnonymousLogin, "smbc_setOptionNoAutoAnonymousLogin");
  get(t.setOptionUseKerberos, "smbc_setOptionUseKerberos");
  get(t.setOptionFallbackAfterKerberos, "smbc_setOptionFallbackAfterKerberos");
  get(t.setOptionUseCCache, "smbc_setOptionUseCCache");
  get(t.setTimeout, "smbc_setTimeout");
  get(t.setPort, "smbc_setPort");
  get(t.setOptionUserData, "smbc_setOptionUserData");
  get(t.getOptionUserData, "smbc_getOptionUserData");
  get(t.getFunctionOpen, "smbc_getFunctionOpen");
  get(t.getFunctionRead, "smbc_getFunctionRead");
  get(t.getFunctionLseek, "smbc_getFunctionLseek");
  get(t.getFunctionFstat, "smbc_getFunctionFstat");
  get(t.getFunctionClose, "smbc_getFunctionClose");
  get(t.getFunctionStat, "smbc_getFunctionStat");
  get(t.getFunctionOpendir, "smbc_getFunctionOpendir");
  get(t.getFunctionReaddirPlus, "smbc_getFunctionReaddirPlus");
  get(t.getFunctionClosedir, "smbc_getFunctionClosedir");
  if (!ok) return nullptr;
  table = t;
  g_smbc = &table;
  return g_smbc;
}

}  // namespace

struct Client::Context {
  SMBCCTX* ctx = nullptr;
  ~Context() {
    // 1: close the connections even if a file is still open (an exception
    // may have left one behind).
    if (ctx != nullptr) api().free_context(ctx, 1);
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
void auth_callback(SMBCCTX* c, const char* /*server*/, const char* /*share*/, char* workgroup, int wglen, char* user,
                   int userlen, char* password, int pwlen) {
  const auto* a = static_cast<const Auth*>(api().getOptionUserData(c));
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
      api().getFunctionClosedir(ctx)(ctx, file);
    else
      api().getFunctionClose(ctx)(ctx, file);
  }
};

// A string of `size` bytes, to be overwritten. std::string zero-fills what it
// grows by (C++20 has no resize_and_overwrite), and that first touch of fresh
// memory costs a page fault per 4 KiB page: with the zero-filling, half the
// CPU of reading a 64 MB log over loopback SMB (perf, docs/PERFORMANCE.md).
// A big buffer is asked to be backed by transparent huge pages before that
// first touch (MADV_HUGEPAGE: one fault per 2 MiB; a no-op where huge pages
// are off), which leaves the kernel's clearing of the pages as the cost.
std::string buffer_of(std::size_t size) {
  constexpr std::uintptr_t kHugePage = 2u << 20;
  std::string out;
  out.reserve(size);
  if (size >= 2 * kHugePage) {
    auto begin = reinterpret_cast<std::uintptr_t>(out.data());
    std::uintptr_t from = (begin + kHugePage - 1) & ~(kHugePage - 1);
    std::uintptr_t to = (begin + size) & ~(kHugePage - 1);
    // Advice only: a refusal (no transparent huge pages) changes nothing.
    if (to > from) (void)::madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
  }
  out.resize(size);
  return out;
}

std::string seconds(std::chrono::milliseconds ms) {
  return ms.count() % 1000 == 0 ? fmt::format("{} s", ms.count() / 1000) : fmt::format("{} ms", ms.count());
}

}  // namespace

Client::Client(const Url& server, Credentials credentials, ClientOptions options)
    : server_(server), credentials_(std::move(credentials)), options_(options), ctx_(std::make_unique<Context>()) {
  if (!server_.user.empty()) credentials_.user = server_.user;
  if (!server_.domain.empty()) credentials_.domain = server_.domain;
  auto auth = std::make_unique<Auth>(Auth{credentials_.user, credentials_.password, credentials_.domain});
  std::string why;
  if (load_smbc(why) == nullptr) throw InputError({server_.display()}, "", why);
  ctx_->ctx = api().new_context();
  if (ctx_->ctx == nullptr)
    throw InputError({server_.display()}, "", "cannot create an SMB client context (out of memory?)");
  SMBCCTX* c = ctx_->ctx;
  // Quiet: the library would otherwise write its debug lines to stdout,
  // into the JSON that verify and logs print.
  api().setDebug(c, 0);
  api().setOptionDebugToStderr(c, 1);
  api().setFunctionAuthDataWithContext(c, auth_callback);
  // A refused password must be a logon failure, not a silent guest session.
  api().setOptionNoAutoAnonymousLogin(c, 1);
  api().setOptionUseKerberos(c, 0);
  api().setOptionFallbackAfterKerberos(c, 1);
  api().setOptionUseCCache(c, 0);
  api().setTimeout(c, static_cast<int>(std::min<std::chrono::milliseconds::rep>(options_.timeout.count(), 1 << 30)));
  if (server_.port != 0) api().setPort(c, server_.port);
  if (api().init_context(c) == nullptr) {
    int err = errno;
    throw InputError({server_.display()}, "", fmt::format("cannot start the SMB client: {}", std::strerror(err)));
  }
  // The Auth lives as long as the context: it is freed with the Client.
  api().setOptionUserData(c, auth.release());
}

Client::~Client() {
  if (ctx_ && ctx_->ctx != nullptr) {
    std::unique_ptr<Auth> auth(static_cast<Auth*>(api().getOptionUserData(ctx_->ctx)));
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
    case ENETRESET:  // what libsmbclient says of a server that died
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
      bool refused =
          api().getFunctionStat(c)(c, ipc.library_url().c_str(), &st) < 0 && (errno == EACCES || errno == EPERM);
      if (refused)
        return fmt::format(
            "logon failure: the server refused the user name or password in {}",
            credentials_.file.empty() ? std::string("the authentication file") : credentials_.file.string());
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
      Handle h{c, api().getFunctionOpendir(c)(c, root.library_url().c_str()), true};
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
  Handle h{c, api().getFunctionOpendir(c)(c, folder.library_url().c_str()), true};
  if (h.file == nullptr) {
    int err = errno;
    if (missing_ok && (err == ENOTDIR || (err == ENOENT && reason(folder, err) == "no such file or folder")))
      return std::nullopt;
    fail(folder, "list the folder", err);
  }
  std::vector<DirEntry> out;
  // libsmbclient fetches the whole listing at opendir: the walk below
  // cannot fail halfway, and ends with a null.
  auto readdirplus = api().getFunctionReaddirPlus(c);
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
  if (api().getFunctionStat(c)(c, file.library_url().c_str(), &st) < 0) {
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
  Handle h{c, api().getFunctionOpen(c)(c, file.library_url().c_str(), O_RDONLY, 0), false};
  if (h.file == nullptr) fail(file, "open", errno);
  struct stat st {};
  if (api().getFunctionFstat(c)(c, h.file, &st) < 0) fail(file, "read", errno);
  if (S_ISDIR(st.st_mode)) fail(file, "read", EISDIR);
  auto size = static_cast<std::uint64_t>(st.st_size);
  if (offset >= size && n != static_cast<std::size_t>(-1)) return {};
  if (offset > 0 && api().getFunctionLseek(c)(c, h.file, static_cast<off_t>(offset), SEEK_SET) < 0)
    fail(file, "seek in", errno);
  // One read in flight, of 256 KiB per call. libsmbclient's read is
  // synchronous: each call is one SMB2 READ and its round trip; a bigger call
  // is split by the library into reads of the server's maximum (8 MiB for
  // Samba) kept in flight together, which measured slower here (8 MiB calls
  // 1.1-1.4x, 16 MiB 3x, 64 MiB 6-8x the time of 256 KiB calls; 1 MiB calls
  // the same as 256 KiB). Several reads in flight through several contexts
  // in threads are not safe with Samba 4.17's libsmbclient: the way its
  // header gives to use it from threads, smbc_thread_posix(), is not exported
  // by this version, and without it every call of every thread shares one
  // process-wide talloc stack (talloc_stackframe). Through processes they
  // measured slower on two cores (1, 2, 4, 8 connections: see "Logs over SMB"
  // in docs/PERFORMANCE.md), and one read in flight is already as quick as
  // smbclient's get, which keeps several.
  constexpr std::size_t kChunk = 256u << 10;
  auto reader = api().getFunctionRead(c);
  std::uint64_t left = offset < size ? size - offset : 0;
  return read_to_end(left, n, kChunk, [&](char* into, std::size_t max) {
    errno = 0;
    ssize_t got = reader(c, h.file, into, max);
    if (got < 0) fail(file, "read", errno);
    return static_cast<std::size_t>(got);
  });
}

std::string read_to_end(std::uint64_t expected, std::size_t n, std::size_t chunk,
                        const std::function<std::size_t(char* into, std::size_t max)>& read_some) {
  // The size the file had is a hint: the bytes are read into a buffer of that
  // size, then on to the end (a file written while it is read).
  std::string out = buffer_of(static_cast<std::size_t>(std::min<std::uint64_t>(expected, n)));
  std::size_t at = 0;
  while (at < out.size()) {
    std::size_t got = read_some(out.data() + at, std::min(chunk, out.size() - at));
    if (got == 0) break;  // shrunk since
    at += got;
  }
  if (at < out.size()) {
    out.resize(at);
    return out;
  }
  // Grown since: the rest through a second buffer, appended. Growing `out`
  // by a chunk to read into it would reallocate it (doubling) and copy it all,
  // for a file that had not grown at all: it cost as much as the reading.
  std::string more;
  while (out.size() < n) {
    more.resize(std::min(chunk, n - out.size()));
    std::size_t got = read_some(more.data(), more.size());
    if (got == 0) break;
    out.append(more, 0, got);
  }
  return out;
}

}  // namespace smsup::smb
