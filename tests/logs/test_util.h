// Helpers shared by the logs tests: a fresh temporary folder per test.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace smsup::logs::testing {

inline std::filesystem::path fresh_dir(const std::string& name) {
  auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  auto dir = std::filesystem::temp_directory_path() /
             ("smsup-logs-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" +
              info->name() + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline void write_file(const std::filesystem::path& p, const std::string& bytes) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

}  // namespace smsup::logs::testing
