// Fuzzes the smb:// URL parser (smb::parse_url): any bytes. Refused with an
// InputError that keeps the message contract and never repeats a password
// written into the URL; accepted URLs have a server and a share, and what
// they display parses back to the same place.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "smb/url.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace smsup;
  std::string text(fuzz::bytes(data, size));
  // A password the input may carry (smb://user:SECRET@...): long enough to
  // be told apart from the rest of a message.
  std::string secret;
  if (auto at = text.find('@'); at != std::string::npos) {
    auto colon = text.rfind(':', at);
    auto slashes = text.find("//");
    if (colon != std::string::npos && slashes != std::string::npos && colon > slashes + 2)
      secret = text.substr(colon + 1, at - colon - 1);
  }
  try {
    smb::Url u = smb::parse_url(text, "--logs");
    fuzz::require(!u.server.empty() && !u.share.empty(), "an accepted URL has a server and a share");
    smb::Url back = smb::parse_url(u.display(), "--logs");
    fuzz::require(back.server == u.server && back.port == u.port && back.share == u.share && back.path == u.path,
                  "display() parses back to the same place");
    fuzz::require(u.parent().share == u.share, "the parent stays in the share");
  } catch (const InputError& e) {
    fuzz::check_message(e.what());
    // The refusal ends with the URL's grammar, "(expected
    // smb://[DOMAIN;]USER@SERVER[:PORT]/SHARE/path)": a guessed secret copied
    // from it (fuzz/findings/smb_url-ipv6-bracket-hint.bin guesses
    // "//[DOMAIN;]USER") is the hint, not a password repeated.
    std::string message = e.what();
    const std::string hint = "smb://[DOMAIN;]USER@SERVER[:PORT]/SHARE/path";
    for (auto p = message.find(hint); p != std::string::npos; p = message.find(hint)) message.erase(p, hint.size());
    if (secret.size() >= 6)
      fuzz::require(message.find(secret) == std::string::npos,
                    "a password in the URL is never repeated in the message");
  }
  return 0;
}
