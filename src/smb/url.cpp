#include "smb/url.h"

#include <cctype>

#include <fmt/format.h>

#include "util/error.h"

namespace smsup::smb {
namespace {

constexpr std::string_view kScheme = "smb://";

bool iequal_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// libsmbclient percent-decodes the URLs it is given: anything outside this
// set is encoded so that a name holding '%', '#', '?' or a space arrives as is.
std::string encode(std::string_view s) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || std::string_view("-._~/$!&'()*+,=@").find(c) != std::string_view::npos)
      out += c;
    else
      out += fmt::format("%{:02X}", u);
  }
  return out;
}

// Everything the parser reports goes through here: located at `pos` (0-based)
// in the URL, shown with any password in it replaced.
[[noreturn]] void fail(std::string_view text, std::size_t pos, const std::string& field, const std::string& what) {
  std::string shown(text);
  // Any "user:secret@" in it, whatever the scheme or none ("http://u:pw@h/",
  // "//u:pw@h/share", "u:pw@h"), and a secret holding '/' or '@'
  // ("smb://u:pw//x@h/"): from the first ':' after the "//" (or the start)
  // to the last '@' is masked (found by fuzz/smb_url.cpp).
  std::size_t slashes = shown.find("//");
  std::size_t from = slashes == std::string::npos ? 0 : slashes + 2;
  std::size_t last_at = shown.rfind('@');
  std::size_t colon = shown.find(':', from);
  if (last_at != std::string::npos && last_at >= from && colon < last_at && last_at - colon > 1)
    shown.replace(colon + 1, last_at - colon - 1, "***");
  throw InputError({shown, 1, static_cast<int>(pos) + 1}, field,
                   what + " (expected smb://[DOMAIN;]USER@SERVER[:PORT]/SHARE/path)");
}

}  // namespace

bool is_smb_url(std::string_view text) { return iequal_prefix(text, kScheme); }

Url parse_url(std::string_view text, const std::string& field) {
  if (!is_smb_url(text)) fail(text, 0, field, "not an smb:// URL");
  // Percent-decodes text[from, to), failing at a bad escape.
  auto decode = [&](std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to; ++i) {
      if (text[i] != '%') {
        out += text[i];
        continue;
      }
      if (i + 2 >= to) fail(text, i, field, "a '%' not followed by two hex digits");
      int a = hex(text[i + 1]), b = hex(text[i + 2]);
      if (a < 0 || b < 0) fail(text, i, field, "a '%' not followed by two hex digits");
      out += static_cast<char>(a * 16 + b);
      i += 2;
    }
    return out;
  };
  Url u;
  std::size_t start = kScheme.size();
  std::size_t end = text.size();
  std::size_t slash = start;
  while (slash < end && text[slash] != '/' && text[slash] != '\\') ++slash;
  // User part: [DOMAIN;]USER@ (the last '@' before the host, as user names may hold one).
  std::size_t host = start;
  std::size_t at = text.substr(start, slash - start).rfind('@');
  if (at != std::string_view::npos) {
    at += start;
    std::size_t colon = text.substr(start, at - start).find(':');
    if (colon != std::string_view::npos)
      fail(text, start + colon, field, "a password does not belong in the URL: put it in the --smb-auth file");
    std::size_t semi = text.substr(start, at - start).find(';');
    if (semi != std::string_view::npos) {
      u.domain = decode(start, start + semi);
      if (u.domain.empty()) fail(text, start, field, "an empty domain before ';'");
      u.user = decode(start + semi + 1, at);
    } else {
      u.user = decode(start, at);
    }
    if (u.user.empty()) fail(text, at, field, "an empty user name before '@'");
    host = at + 1;
  }
  // Server: a name, an IPv4 address or a bracketed IPv6 one; then :PORT.
  std::size_t host_end = slash;
  std::size_t port_at = std::string_view::npos;
  if (host < slash && text[host] == '[') {
    std::size_t close = text.substr(host, slash - host).find(']');
    if (close == std::string_view::npos) fail(text, host, field, "an IPv6 address without its closing ']'");
    u.server = std::string(text.substr(host + 1, close - 1));
    if (host + close + 1 < slash) {
      if (text[host + close + 1] != ':') fail(text, host + close + 1, field, "':' or '/' expected after ']'");
      port_at = host + close + 1;
    }
  } else {
    std::size_t colon = text.substr(host, slash - host).find(':');
    if (colon != std::string_view::npos) port_at = host + colon, host_end = port_at;
    u.server = std::string(text.substr(host, host_end - host));
    for (std::size_t i = 0; i < u.server.size(); ++i) {
      char c = u.server[i];
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_')
        fail(text, host + i, field, fmt::format("'{}' is not allowed in a server name", c));
    }
  }
  if (u.server.empty()) fail(text, host, field, "no server");
  if (port_at != std::string_view::npos) {
    std::string_view digits = text.substr(port_at + 1, slash - port_at - 1);
    unsigned long port = 0;
    bool ok = !digits.empty() && digits.size() <= 5;
    for (char c : digits)
      ok = ok && std::isdigit(static_cast<unsigned char>(c)), port = port * 10 + static_cast<unsigned long>(c - '0');
    if (!ok || port == 0 || port > 65535) fail(text, port_at + 1, field, "the port must be a number from 1 to 65535");
    u.port = static_cast<std::uint16_t>(port);
  }
  // Share and path: components between '/' (or '\', as Windows writes them);
  // empty ones and '.' are dropped, '..' is refused rather than resolved.
  std::size_t pos = slash;
  bool first = true;
  while (pos < end) {
    ++pos;
    std::size_t next = pos;
    while (next < end && text[next] != '/' && text[next] != '\\') ++next;
    std::string part = decode(pos, next);
    if (part == "..") fail(text, pos, field, "'..' is not allowed in the path");
    if (!part.empty() && part != ".") {
      if (first) {
        u.share = part;
        first = false;
      } else {
        u.path += (u.path.empty() ? "" : "/") + part;
      }
    }
    pos = next;
  }
  if (u.share.empty()) fail(text, slash < end ? slash : end, field, "no share after the server");
  return u;
}

std::string Url::display() const {
  std::string host = server.find(':') != std::string::npos ? "[" + server + "]" : server;
  std::string out = "smb://" + host;
  if (port) out += fmt::format(":{}", port);
  out += "/" + share;
  if (!path.empty()) out += "/" + path;
  return out;
}

std::string Url::library_url() const {
  // The port is set on the library's context (client.cpp), not in the URL.
  std::string host = server.find(':') != std::string::npos ? "[" + server + "]" : server;
  std::string out = "smb://" + host + "/" + encode(share);
  if (!path.empty()) out += "/" + encode(path);
  return out;
}

Url Url::child(std::string_view name) const {
  Url u = *this;
  u.path += (u.path.empty() ? "" : "/") + std::string(name);
  return u;
}

Url Url::parent() const {
  Url u = *this;
  std::size_t slash = u.path.rfind('/');
  u.path = slash == std::string::npos ? std::string() : u.path.substr(0, slash);
  return u;
}

std::string Url::name() const {
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace smsup::smb
