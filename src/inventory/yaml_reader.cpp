#include "inventory/yaml_reader.h"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <charconv>
#include <sstream>
#include <stdexcept>

#include "util/closest.h"
#include "util/printable.h"

namespace smsup::inventory {

namespace {

// Counts the documents a parse starts, remembering where the second begins;
// builds nothing.
struct DocumentStarts : YAML::EventHandler {
  int docs = 0;
  YAML::Mark second = YAML::Mark::null_mark();
  void OnDocumentStart(const YAML::Mark& m) override {
    if (++docs == 2) second = m;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

[[noreturn]] void not_yaml(const YAML::Exception& e, const std::string& file, const std::string& expected) {
  // yaml-cpp says "bad file" when nesting exceeds its depth limit.
  std::string why = e.msg == "bad file" ? "nested too deeply or malformed" : e.msg;
  throw InputError({file, e.mark.line + 1, e.mark.column + 1}, "",
                   fmt::format("not valid YAML ({}); expected {}", why, expected));
}

}  // namespace

YAML::Node load_one_document(const std::string& text, const std::string& file, const std::string& expected) {
  YAML::Node root;
  DocumentStarts starts;
  try {
    root = YAML::Load(text);
    // Is there a second document? Asked of the parser one document at a
    // time, at most two: YAML::LoadAll loops for ever, taking memory, on a
    // stray ']' or ',' after the first document (found by fuzzing).
    std::istringstream in(text);
    YAML::Parser parser(in);
    for (int i = 0; i < 2 && parser.HandleNextDocument(starts); ++i) {
    }
  } catch (const YAML::Exception& e) {
    not_yaml(e, file, expected);
  }
  if (starts.docs > 1) {
    const auto& m = starts.second;
    throw InputError({file, m.line >= 0 ? m.line + 1 : 0, m.column >= 0 ? m.column + 1 : 0}, "",
                     fmt::format("a second YAML document starts here (after a '---' line, or a stray ']', "
                                 "'}}' or ','); expected one document ({})",
                                 expected));
  }
  return root;
}

MapReader::MapReader(const YAML::Node& node, std::string file, std::string path)
    : node_(node), file_(std::move(file)), path_(std::move(path)) {
  if (!node_.IsMap()) {
    fail_at(node_, path_, "expected a mapping of keys to values");
  }
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    if (!it->first.IsScalar()) fail_at(it->first, path_, "expected a plain key");
    const auto& k = it->first.Scalar();
    if (!keys_.emplace(k, Entry{it->first, it->second}).second) {
      fail_at(it->first, field(k), "key appears twice");
    }
  }
}

MapReader::MapReader(const YAML::Node& node, std::string file, std::string path, schema::Object object)
    : MapReader(node, std::move(file), std::move(path)) {
  object_ = object;
}

const schema::Key& MapReader::spec(const std::string& key) const {
  const schema::Key* k = object_ ? schema::find(*object_, key) : nullptr;
  if (k == nullptr) {
    throw std::logic_error(fmt::format("inventory key '{}' of {} is not in inventory/schema.h", key,
                                       object_ ? schema::object_name(*object_) : "an unnamed mapping"));
  }
  return *k;
}

void MapReader::mark(const std::string& key) {
  if (object_) spec(key);  // a key the table lacks is a reader bug
  read_.insert(key);
}

SourceLoc loc_of(const YAML::Node& n, const std::string& file) {
  auto m = n.Mark();
  if (m.is_null()) return {file, 0, 0};
  return {file, m.line + 1, m.column + 1};
}

SourceLoc MapReader::loc_of(const YAML::Node& n) const { return inventory::loc_of(n, file_); }

SourceLoc MapReader::value_loc(const std::string& key) const {
  if (const auto* n = find(key)) return loc_of(*n);
  return loc();
}

std::string MapReader::field(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

void MapReader::fail(const std::string& key, const std::string& message) const {
  if (const auto* n = find(key)) fail_at(*n, field(key), message);
  throw InputError(loc(), field(key), message);
}

void MapReader::fail_at(const YAML::Node& n, const std::string& f, const std::string& message) const {
  throw InputError(loc_of(n), f, message);
}

const YAML::Node* MapReader::find(const std::string& key) const {
  auto it = keys_.find(key);
  return it == keys_.end() ? nullptr : &it->second.value;
}

bool MapReader::has(const std::string& key) const {
  const auto* n = find(key);
  return n != nullptr && !n->IsNull();
}

bool MapReader::is_unknown(const std::string& key) const {
  if (object_) {
    if (!spec(key).unknown) {
      throw std::logic_error(fmt::format("inventory key '{}' may not be ~ (unknown) in inventory/schema.h", key));
    }
    asked_unknown_.insert(key);
  }
  const auto* n = find(key);
  return n != nullptr && n->IsNull();
}

// An inventory's values are names, versions and words that reports and
// terminals show: one line of text each. ("a\nb" or "\e[2J" in quotes is
// YAML, and a site name read from the site database may hold anything.)
// HOSTS.yaml (no schema) may: a command's argument can be a script.
void MapReader::text_only(const YAML::Node& n, const std::string& f) const {
  if (object_ && has_control(n.Scalar()))
    fail_at(
        n, f,
        "'" + n.Scalar() + "' holds a control character (a line break, a tab, an escape); expected one line of text");
}

std::string MapReader::scalar(const std::string& key, const YAML::Node& n) const {
  if (!n.IsScalar()) fail_at(n, field(key), "expected a single value, not a list or mapping");
  text_only(n, field(key));
  return n.Scalar();
}

std::string MapReader::str(const std::string& key) {
  mark(key);
  const auto* n = find(key);
  if (n == nullptr || n->IsNull()) {
    if (!object_) fail(key, "required key is missing");
    const auto& k = spec(key);
    fail(key, fmt::format("required key is missing; expected {}: {}", k.type, k.allowed));
  }
  return scalar(key, *n);
}

std::optional<std::string> MapReader::opt_str(const std::string& key) {
  mark(key);
  const auto* n = find(key);
  if (n == nullptr || n->IsNull()) return std::nullopt;
  return scalar(key, *n);
}

bool MapReader::boolean(const std::string& key, bool def) {
  auto v = opt_str(key);
  if (!v) return def;
  if (*v == "true" || *v == "True" || *v == "yes") return true;
  if (*v == "false" || *v == "False" || *v == "no") return false;
  fail(key, fmt::format("'{}' is not a boolean; expected {}", *v, object_ ? spec(key).allowed : schema::kBoolean));
}

int64_t MapReader::integer(const std::string& key, int64_t def) {
  const auto& k = spec(key);
  return integer(key, def, k.min, k.max);
}

int64_t MapReader::integer(const std::string& key, int64_t def, int64_t min, int64_t max) {
  auto v = opt_str(key);
  if (!v) return def;
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size()) {
    fail(key, fmt::format("'{}' is not a whole number; expected {} to {}", *v, min, max));
  }
  if (out < min || out > max) {
    fail(key, fmt::format("{} is out of range; expected {} to {}", out, min, max));
  }
  return out;
}

std::vector<std::string> MapReader::str_list(const std::string& key) {
  mark(key);
  std::vector<std::string> out;
  const auto* n = find(key);
  if (n == nullptr || n->IsNull()) return out;
  YAML::Node list = *n;
  if (!list.IsSequence()) fail(key, "expected a list, like [a, b]");
  for (size_t i = 0; i < list.size(); ++i) {
    if (!list[i].IsScalar()) {
      fail_at(list[i], fmt::format("{}[{}]", field(key), i), "expected a single value");
    }
    text_only(list[i], fmt::format("{}[{}]", field(key), i));
    out.push_back(list[i].Scalar());
  }
  return out;
}

std::optional<YAML::Node> MapReader::child(const std::string& key) {
  mark(key);
  const auto* n = find(key);
  if (n == nullptr || n->IsNull()) return std::nullopt;
  return *n;
}

void MapReader::finish() const {
  if (object_) {
    // The table is the reader's list of keys: a key it has and the reader
    // did not read is a reader bug, like one the reader reads and it lacks.
    for (const auto& key : schema::keys()) {
      if (key.object != *object_ || key.name == "extra") continue;
      if (!read_.contains(std::string(key.name))) {
        throw std::logic_error(fmt::format("inventory key '{}' of {} is in inventory/schema.h but not read", key.name,
                                           schema::object_name(*object_)));
      }
      if (key.unknown && !asked_unknown_.contains(std::string(key.name))) {
        throw std::logic_error(
            fmt::format("inventory key '{}' of {} may be ~ in inventory/schema.h but the "
                        "reader does not ask",
                        key.name, schema::object_name(*object_)));
      }
    }
    std::vector<std::string> known;
    for (const auto& key : schema::keys()) {
      if (key.object == *object_) known.emplace_back(key.name);
    }
    for (const auto& [k, e] : keys_) {
      if (schema::find(*object_, k) == nullptr) fail_at(e.key, field(k), "unknown key" + did_you_mean(k, known));
      if (k == "extra" && !e.value.IsMap() && !e.value.IsNull()) {
        fail_at(e.value, field(k), "expected a mapping (extra: holds free-form keys)");
      }
    }
    return;
  }
  for (const auto& [k, e] : keys_) {
    if (k == "extra") {
      if (!e.value.IsMap() && !e.value.IsNull()) {
        fail_at(e.value, field(k), "expected a mapping (extra: holds free-form keys)");
      }
      continue;
    }
    // The keys read are the ones this mapping knows: a typo is near one of them.
    if (!read_.contains(k)) fail_at(e.key, field(k), "unknown key" + did_you_mean(k, {read_.begin(), read_.end()}));
  }
}

}  // namespace smsup::inventory
