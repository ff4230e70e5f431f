#include "services/sandbox/text_entities.h"

#include <algorithm>
#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "services/sandbox/errors.h"

namespace subguard::sandbox {
namespace {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

size_t WordEnd(std::string_view text, size_t pos) {
  while (pos < text.size() && IsWordChar(text[pos])) ++pos;
  return pos;
}

// Appends the code point as UTF-8.
void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

absl::Status ParseError(std::string_view what) {
  return BadRequest(absl::StrCat("Can't parse entities: ", base::ToAbsl(what)));
}

// The entity type an HTML tag stands for, or "" when Telegram does not support the tag.
std::string_view EntityTypeOfTag(std::string_view tag) {
  if (tag == "b" || tag == "strong") return "bold";
  if (tag == "i" || tag == "em") return "italic";
  if (tag == "u" || tag == "ins") return "underline";
  if (tag == "s" || tag == "strike" || tag == "del") return "strikethrough";
  if (tag == "code") return "code";
  if (tag == "pre") return "pre";
  if (tag == "tg-spoiler" || tag == "span") return "spoiler";
  if (tag == "a") return "text_link";
  if (tag == "blockquote") return "blockquote";
  return "";
}

// Decodes "&lt;" and friends at html[pos] ('&'); returns the bytes consumed, 0 when it is not a reference.
size_t DecodeReference(std::string_view html, size_t pos, std::string& out) {
  const size_t semicolon = html.find(';', pos);
  if (semicolon == std::string_view::npos || semicolon - pos > 10) return 0;
  const std::string_view name = html.substr(pos + 1, semicolon - pos - 1);
  if (name == "lt")
    out.push_back('<');
  else if (name == "gt")
    out.push_back('>');
  else if (name == "amp")
    out.push_back('&');
  else if (name == "quot")
    out.push_back('"');
  else if (absl::StartsWith(base::ToAbsl(name), "#")) {
    uint32_t cp = 0;
    const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    const std::string digits(name.substr(hex ? 2 : 1));
    if (!(hex ? absl::SimpleHexAtoi(digits, &cp) : absl::SimpleAtoi(digits, &cp)) || cp > 0x10FFFF) return 0;
    AppendUtf8(out, cp);
  } else {
    return 0;
  }
  return semicolon - pos + 1;
}

// The value of attribute `name` in a start tag's attribute text, e.g. href="..." ("" when absent).
std::string Attribute(std::string_view attributes, std::string_view name) {
  const size_t at = attributes.find(name);
  if (at == std::string_view::npos) return "";
  size_t pos = attributes.find('=', at);
  if (pos == std::string_view::npos) return "";
  ++pos;
  while (pos < attributes.size() && attributes[pos] == ' ') ++pos;
  if (pos >= attributes.size()) return "";
  const char quote = attributes[pos];
  if (quote == '"' || quote == '\'') {
    const size_t end = attributes.find(quote, pos + 1);
    return std::string(attributes.substr(pos + 1, end == std::string_view::npos ? end : end - pos - 1));
  }
  const size_t end = attributes.find(' ', pos);
  return std::string(attributes.substr(pos, end == std::string_view::npos ? end : end - pos));
}

struct OpenTag {
  std::string name;
  Entity entity;
};

}  // namespace

int64_t Utf16Length(std::string_view utf8) {
  int64_t length = 0;
  for (const char c : utf8) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0) != 0x80) ++length;  // each code point's first byte
    if ((byte & 0xF8) == 0xF0) ++length;  // four-byte sequences are surrogate pairs in UTF-16
  }
  return length;
}

std::vector<Entity> DetectEntities(std::string_view text) {
  std::vector<Entity> entities;
  size_t pos = 0;
  while (pos < text.size()) {
    if (pos > 0 && IsWordChar(text[pos - 1])) {
      ++pos;
      continue;
    }
    size_t end = pos;
    std::string_view type;
    if (text[pos] == '/' && pos + 1 < text.size() && IsWordChar(text[pos + 1])) {
      end = WordEnd(text, pos + 1);
      if (end + 1 < text.size() && text[end] == '@' && IsWordChar(text[end + 1])) end = WordEnd(text, end + 1);
      type = "bot_command";
    } else if (text[pos] == '@' && WordEnd(text, pos + 1) - pos - 1 >= 5) {
      end = WordEnd(text, pos + 1);
      type = "mention";
    } else if (absl::StartsWith(base::ToAbsl(text.substr(pos)), "http://") ||
               absl::StartsWith(base::ToAbsl(text.substr(pos)), "https://") ||
               absl::StartsWith(base::ToAbsl(text.substr(pos)), "t.me/")) {
      end = text.find_first_of(" \t\n", pos);
      if (end == std::string_view::npos) end = text.size();
      type = "url";
    }
    if (type.empty()) {
      ++pos;
      continue;
    }
    entities.push_back({std::string(type), Utf16Length(text.substr(0, pos)), Utf16Length(text.substr(pos, end - pos))});
    pos = end;
  }
  return entities;
}

absl::StatusOr<FormattedText> ParseHtml(std::string_view html) {
  FormattedText result;
  std::vector<OpenTag> open;
  size_t pos = 0;
  while (pos < html.size()) {
    const char c = html[pos];
    if (c == '&') {
      const size_t used = DecodeReference(html, pos, result.text);
      if (used > 0) {
        pos += used;
        continue;
      }
    }
    if (c != '<') {
      result.text.push_back(c);
      ++pos;
      continue;
    }
    const size_t close = html.find('>', pos);
    if (close == std::string_view::npos) {
      return ParseError(absl::StrCat("Unclosed start tag at byte offset ", pos));
    }
    const bool is_end = pos + 1 < html.size() && html[pos + 1] == '/';
    const std::string_view inside = html.substr(pos + (is_end ? 2 : 1), close - pos - (is_end ? 2 : 1));
    const size_t name_end = inside.find_first_of(" \t\n");
    const std::string name = absl::AsciiStrToLower(base::ToAbsl(inside.substr(0, name_end)));
    if (is_end) {
      if (open.empty() || open.back().name != name) {
        return ParseError(absl::StrCat("Unmatched end tag at byte offset ", pos, ", expected \"</",
                                       open.empty() ? "" : open.back().name, ">\", found \"</", name, ">\""));
      }
      Entity entity = std::move(open.back().entity);
      open.pop_back();
      entity.length = Utf16Length(result.text) - entity.offset;
      if (entity.length > 0) result.entities.push_back(std::move(entity));
    } else {
      const std::string_view type = EntityTypeOfTag(name);
      if (type.empty()) return ParseError(absl::StrCat("Unsupported start tag \"", name, "\" at byte offset ", pos));
      Entity entity{std::string(type), Utf16Length(result.text), 0, ""};
      if (name == "a") entity.url = Attribute(inside, "href");
      open.push_back({name, std::move(entity)});
    }
    pos = close + 1;
  }
  if (!open.empty()) {
    return ParseError(absl::StrCat("Can't find end tag corresponding to start tag \"", open.back().name, "\""));
  }
  // Outer entities first, as Telegram orders them.
  std::sort(result.entities.begin(), result.entities.end(), [](const Entity& a, const Entity& b) {
    return a.offset != b.offset ? a.offset < b.offset : a.length > b.length;
  });
  return result;
}

}  // namespace subguard::sandbox
