#include "services/verifier/monitors/types.h"

namespace subguard::verifier::monitors {

std::string_view ModeName(Mode mode) {
  switch (mode) {
    case Mode::kForward:
      return "forward";
    case Mode::kCopy:
      return "copy";
    case Mode::kRecord:
      return "record";
  }
  return "forward";
}

std::optional<Mode> ParseMode(std::string_view name) {
  for (Mode mode : {Mode::kForward, Mode::kCopy, Mode::kRecord}) {
    if (ModeName(mode) == name) return mode;
  }
  return std::nullopt;
}

std::string_view MediaFilterName(MediaFilter filter) {
  switch (filter) {
    case MediaFilter::kAny:
      return "any";
    case MediaFilter::kText:
      return "text";
    case MediaFilter::kMedia:
      return "media";
  }
  return "any";
}

std::optional<MediaFilter> ParseMediaFilter(std::string_view name) {
  for (MediaFilter filter : {MediaFilter::kAny, MediaFilter::kText, MediaFilter::kMedia}) {
    if (MediaFilterName(filter) == name) return filter;
  }
  return std::nullopt;
}

}  // namespace subguard::verifier::monitors
