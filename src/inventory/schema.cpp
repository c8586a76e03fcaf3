#include "inventory/schema.h"

#include <fmt/format.h>

namespace smsup::inventory::schema {

std::string_view object_path(Object object) {
  switch (object) {
    case Object::top:
      return "";
    case Object::site:
      return "sites[]";
    case Object::database:
      return "sites[].database";
    case Object::dbtest:
      return "sites[].database.dbtest";
    case Object::system:
      return "sites[].systems[]";
    case Object::console:
      return "sites[].consoles[]";
    case Object::client:
      return "clients[]";
  }
  return "";
}

std::string_view object_name(Object object) {
  switch (object) {
    case Object::top:
      return "top level";
    case Object::site:
      return "site";
    case Object::database:
      return "site database";
    case Object::dbtest:
      return "database upgrade test result";
    case Object::system:
      return "site system";
    case Object::console:
      return "console";
    case Object::client:
      return "clients CSV column";
  }
  return "";
}

std::string path_of(const Key& key) {
  auto at = object_path(key.object);
  return at.empty() ? std::string(key.name) : fmt::format("{}.{}", at, key.name);
}

}  // namespace smsup::inventory::schema
