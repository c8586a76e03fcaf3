// The README's runnable examples, run as a newcomer would: every fenced block
// marked `<!-- runnable -->` on the line before it, in order, in one fresh
// folder holding a copy of examples/, with the built smsup first on PATH.
// In a block, `$ ` starts a command (a trailing `\` continues it); the lines
// after it are its output as the README shows it, `...`/`…` standing for
// lines left out. Each shown line must come out of the command, in that
// order. So that timings and the folder do not make the README lie, both
// sides are normalized the same way: seconds ("0.4 s") become "# s", the
// folder becomes /home/you (the README's), dbtest's copy names lose their
// process id and clock. Unlike the rest of test_cli this runs the binary:
// the README is about the binary. Mark only quick blocks (the whole test
// stays within seconds).
#include <gtest/gtest.h>

#include <filesystem>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support.h"

namespace smsup::cli {
namespace {

namespace fs = std::filesystem;

struct Command {
  int line = 0;                    // the README's line of the `$ `
  std::string text;                // the command, continuations joined
  std::vector<std::string> shown;  // the output lines the README shows
};

std::string trim_right(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

// The commands of every runnable block, in the README's order.
std::vector<Command> runnable_commands(const std::string& readme, int& blocks) {
  std::vector<std::string> lines;
  std::stringstream in(readme);
  for (std::string l; std::getline(in, l);) lines.push_back(trim_right(l));
  std::vector<Command> out;
  blocks = 0;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    // The mark is a line of its own (prose may name it).
    if (lines[i].empty() || lines[i].substr(lines[i].find_first_not_of(' ')) != "<!-- runnable -->") continue;
    const std::string& fence = lines[i + 1];
    auto indent = fence.find("```");
    EXPECT_NE(indent, std::string::npos) << "README.md:" << i + 1 << ": a runnable mark is not followed by a block";
    if (indent == std::string::npos) continue;
    ++blocks;
    size_t j = i + 2;
    for (; j < lines.size() && lines[j].find("```") == std::string::npos; ++j) {
      std::string l = lines[j].size() >= indent ? lines[j].substr(indent) : std::string();
      if (l.starts_with("$ ")) {
        out.push_back({static_cast<int>(j + 1), l.substr(2), {}});
        while (out.back().text.ends_with("\\") && j + 1 < lines.size()) {
          out.back().text.pop_back();
          ++j;
          out.back().text += lines[j].substr(std::min(indent, lines[j].size()));
        }
      } else if (auto bare = l.substr(std::min(l.size(), l.find_first_not_of(' ')));
                 !out.empty() && !bare.empty() && bare != "..." && bare != "…") {
        out.back().shown.push_back(l);
      }
    }
    i = j;
  }
  return out;
}

std::string normalized(std::string s, const std::string& folder) {
  for (auto at = s.find(folder); !folder.empty() && at != std::string::npos; at = s.find(folder, at)) {
    s.replace(at, folder.size(), "/home/you");
  }
  static const std::regex seconds(R"(\b[0-9]+(\.[0-9]+)? s\b)");
  static const std::regex copy_name(R"(smsup-dbtest-[0-9]+-[0-9]+)");
  s = std::regex_replace(s, seconds, "# s");
  return std::regex_replace(s, copy_name, "smsup-dbtest-#");
}

TEST(Readme, RunnableExamplesRunAndSayWhatTheReadmeShows) {
  std::ifstream in(SMSUP_SOURCE_DIR "/README.md");
  std::stringstream text;
  text << in.rdbuf();
  int blocks = 0;
  auto commands = runnable_commands(text.str(), blocks);
  ASSERT_GE(blocks, 8) << "the README's runnable blocks are gone";

  const fs::path folder = fs::canonical(test::fresh_dir("newcomer"));
  fs::copy(SMSUP_SOURCE_DIR "/examples", folder / "examples", fs::copy_options::recursive);
  const std::string bin = fs::path(SMSUP_BINARY).parent_path().string();
  // A bound on each command, so that a hang fails rather than stalls: 60 s,
  // or SMSUP_README_TIMEOUT seconds (`make test-sanitize` sets more: under
  // ASan a `twin make` of the example took over 60 s on a loaded machine).
  const char* bound_env = std::getenv("SMSUP_README_TIMEOUT");
  const std::string bound = bound_env && std::atoi(bound_env) > 0 ? std::to_string(std::atoi(bound_env)) : "60";
  for (const auto& c : commands) {
    // A shell, as the reader's: the examples use pipes, `;` and `echo $?`.
    std::string script = "cd '" + folder.string() + "' && PATH='" + bin +
                         "':\"$PATH\" && export PATH NO_COLOR=1 && exec 2>&1\n" + c.text;
    auto r = test::run({"/usr/bin/timeout", bound, "/bin/sh", "-c", script});
    ASSERT_NE(r.status, 124) << "README.md:" << c.line << ": `" << c.text << "` took over " << bound << " s";
    ASSERT_GE(r.status, 0) << "README.md:" << c.line << ": `" << c.text << "` died of a signal";
    std::vector<std::string> got;
    std::stringstream lines(normalized(r.out, folder.string()));
    for (std::string l; std::getline(lines, l);) got.push_back(trim_right(l));
    size_t at = 0;
    for (const auto& want : c.shown) {
      auto line = normalized(want, folder.string());
      while (at < got.size() && got[at] != line) ++at;
      if (at == got.size()) {
        ADD_FAILURE() << "README.md:" << c.line << ": `" << c.text << "` does not print, where the README shows it:\n  "
                      << want << "\nIt printed (exit " << r.status << "):\n"
                      << r.out;
        break;
      }
      ++at;
    }
  }
}

}  // namespace
}  // namespace smsup::cli
