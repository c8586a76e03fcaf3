// Fuzzes opening a journal (run::Journal(path, false), as status and
// `journal` do): any bytes as the journal file. A file that is not an smsup
// journal is refused with an InputError that keeps the message contract and
// is left byte for byte as it was; never a crash or another exception.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>

#include "fuzz_support.h"
#include "run/journal.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace smsup;
  std::string_view in = fuzz::bytes(data, size);
  std::string path = fuzz::write_scratch("journal.db", in);
  for (const char* suffix : {"-wal", "-shm", "-journal"}) std::remove((path + suffix).c_str());
  bool opened = false;
  try {
    run::Journal j(path, false);
    (void)j.has_plan();
    opened = true;
  } catch (const InputError& e) {
    fuzz::check_message(e.what());
  }
  if (!opened) {
    std::ifstream f(path, std::ios::binary);
    std::string after((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    fuzz::require(after == in, "a file refused as a journal is left untouched");
  }
  return 0;
}
