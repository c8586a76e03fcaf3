#include "util/json_input.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

#include <string>

#include "util/error.h"

namespace smsup {
namespace {

using nlohmann::json;

// A SAX reader that keeps nothing but where the parser gave up: nlohmann
// hands the byte position to the handler, not to the exception, for errors
// other than syntax errors.
struct WhereItFailed : nlohmann::json_sax<json> {
  size_t position = 0;
  std::string token;
  bool failed = false;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t pos, const std::string& last_token, const nlohmann::detail::exception&) override {
    position = pos;
    token = last_token;
    failed = true;
    return false;
  }
};

// 1-based line and column of the byte before `position` (nlohmann's
// positions count the byte that failed, from 1).
SourceLoc locate(std::string_view text, size_t position, const std::filesystem::path& path) {
  SourceLoc loc{path.string(), 1, 1};
  for (size_t i = 0; i < text.size() && i + 1 < position; ++i) {
    if (text[i] == '\n') {
      ++loc.line;
      loc.column = 1;
    } else {
      ++loc.column;
    }
  }
  return loc;
}

}  // namespace

json parse_json_input(std::string_view text, const std::filesystem::path& path, std::string_view option,
                      std::string_view expected) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(locate(text, e.byte, path), std::string(option),
                     fmt::format("not valid JSON; expected {}", expected));
  } catch (const json::exception&) {
    // Not a syntax error (a number too large for a double): find where.
    WhereItFailed where;
    json::sax_parse(text, &where);
    // The parser's position is just past the token; the column is its start.
    size_t start = where.position > where.token.size() ? where.position - where.token.size() + 1 : 1;
    SourceLoc loc = where.failed ? locate(text, start, path) : SourceLoc{path.string(), 0, 0};
    std::string token = where.token.size() > 40 ? where.token.substr(0, 40) + "..." : where.token;
    throw InputError(loc, std::string(option),
                     where.failed ? fmt::format("a number too large for JSON ('{}'); expected {}", token, expected)
                                  : fmt::format("not valid JSON; expected {}", expected));
  }
}

// nlohmann's values carry no position, so on this error path only the text
// is read again, by yaml-cpp (JSON is YAML's flow style), whose nodes have
// marks.
SourceLoc locate_json_field(std::string_view text, const std::filesystem::path& path, const std::string& field) {
  const std::string file = path.string();
  SourceLoc loc{file, 0, 0};
  try {
    YAML::Node node = YAML::Load(std::string(text));
    auto mark = [&](const YAML::Node& n) {
      if (n.Mark().line >= 0) loc = {file, n.Mark().line + 1, n.Mark().column + 1};
    };
    mark(node);
    std::size_t at = 0;
    while (at < field.size() && node.IsDefined()) {
      std::size_t end = field.find_first_of(".[", at);
      std::string key = field.substr(at, end == std::string::npos ? std::string::npos : end - at);
      if (!key.empty()) {
        if (!node.IsMap() || !node[key]) break;
        node = YAML::Node(node[key]);
        mark(node);
      }
      if (end == std::string::npos) break;
      if (field[end] == '[') {
        std::size_t close = field.find(']', end);
        if (close == std::string::npos) break;
        std::size_t i = std::stoul(field.substr(end + 1, close - end - 1));
        if (!node.IsSequence() || i >= node.size()) break;
        node = YAML::Node(node[i]);
        mark(node);
        at = close + 1;
        if (at < field.size() && field[at] == '.') ++at;
      } else {
        at = end + 1;
      }
    }
  } catch (const std::exception&) {
    // No position past what was found: the message still names the file and the field.
  }
  return loc;
}

}  // namespace smsup
