#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace smsup::test {

// A fresh folder under /tmp, removed with everything in it at scope end.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "smsup-test-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

}  // namespace smsup::test
