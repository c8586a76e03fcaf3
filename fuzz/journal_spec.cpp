// Fuzzes what --journal names (run::store::parse_spec): any bytes. Refused
// with an InputError that keeps the message contract, or a spec whose shown
// form holds no password and whose PostgreSQL schema is a plain identifier.
#include <cstddef>
#include <cstdint>
#include <string>

#include <libpq-fe.h>

#include "fuzz_support.h"
#include "run/store.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace smsup;
  std::string text(fuzz::bytes(data, size));
  try {
    run::store::Spec s = run::store::parse_spec(text);
    if (s.engine == run::store::Engine::postgresql) {
      fuzz::require(s.schema == "smsup_" + s.campaign, "the schema is the campaign's");
      for (char c : s.campaign)
        fuzz::require((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_',
                      "a campaign is letters, digits and _");
      // The password as libpq reads it from the same text.
      if (PQconninfoOption* opts = PQconninfoParse(s.conninfo.c_str(), nullptr)) {
        for (PQconninfoOption* o = opts; o->keyword; ++o)
          if (std::string(o->keyword) == "password" && o->val && std::string(o->val).size() >= 6)
            fuzz::require(s.shown.find(o->val) == std::string::npos, "the shown form holds no password");
        PQconninfoFree(opts);
      }
    } else {
      fuzz::require(s.path == text, "an SQLite journal is the path as given");
    }
  } catch (const InputError& e) {
    fuzz::check_message(e.what());
  }
  return 0;
}
