#include "calendar/platform_limits.h"

#include <cpprest/json.h>

#include <exception>

namespace herald::calendar {
namespace {

using web::json::value;

Error Bad(const std::string& what) {
  return Error(ErrorCode::kInvalidArgument, "platform limits: " + what);
}

// Reads an optional integer field; returns false (and sets err) on a wrong type.
bool ReadInt(const value& obj, const char* key, std::optional<std::int64_t>& out,
             std::string& err) {
  if (!obj.has_field(key)) return true;
  const value& v = obj.at(key);
  if (!v.is_integer() || v.as_number().to_int64() < 0) {
    err = std::string("`") + key + "` must be a non-negative whole number";
    return false;
  }
  out = v.as_number().to_int64();
  return true;
}

bool ReadBool(const value& obj, const char* key, std::optional<bool>& out, std::string& err) {
  if (!obj.has_field(key)) return true;
  const value& v = obj.at(key);
  if (!v.is_boolean()) {
    err = std::string("`") + key + "` must be true or false";
    return false;
  }
  out = v.as_bool();
  return true;
}

bool ReadKind(const value& media, const char* kind, std::optional<MediaKindLimits>& out,
              std::string& err) {
  if (!media.has_field(kind)) return true;
  const value& v = media.at(kind);
  if (!v.is_object()) {
    err = std::string("`media.") + kind + "` must be an object";
    return false;
  }
  MediaKindLimits k;
  if (!ReadInt(v, "max_bytes", k.max_bytes, err)) return false;
  if (!ReadInt(v, "max_duration_s", k.max_duration_s, err)) return false;
  if (v.has_field("mime_types")) {
    const value& m = v.at("mime_types");
    if (!m.is_array()) {
      err = std::string("`media.") + kind + ".mime_types` must be a list of strings";
      return false;
    }
    for (const value& t : m.as_array()) {
      if (!t.is_string()) {
        err = std::string("`media.") + kind + ".mime_types` must be a list of strings";
        return false;
      }
      k.mime_types.push_back(t.as_string());
    }
  }
  out = std::move(k);
  return true;
}

}  // namespace

Result<PlatformLimits> ParsePlatformLimits(std::string_view json) {
  value root;
  try {
    root = value::parse(std::string(json));
  } catch (const std::exception& e) {
    return Bad(std::string("malformed JSON: ") + e.what());
  }
  if (!root.is_object()) return Bad("the document must be a JSON object");
  PlatformLimits l;
  std::string err;
  bool ok = ReadInt(root, "text_max", l.text_max, err) &&
            ReadInt(root, "title_max", l.title_max, err) &&
            ReadInt(root, "description_max", l.description_max, err) &&
            ReadInt(root, "tags_max_total_chars", l.tags_max_total_chars, err) &&
            ReadInt(root, "hashtags_max", l.hashtags_max, err) &&
            ReadInt(root, "mentions_max", l.mentions_max, err) &&
            ReadBool(root, "link_allowed", l.link_allowed, err) &&
            ReadBool(root, "media_required", l.media_required, err) &&
            ReadInt(root, "media_max_count", l.media_max_count, err);
  if (ok && root.has_field("media")) {
    const value& media = root.at("media");
    if (!media.is_object()) return Bad("`media` must be an object");
    l.media_rules = true;
    ok = ReadKind(media, "image", l.image, err) && ReadKind(media, "video", l.video, err);
  }
  if (!ok) return Bad(err);
  return l;
}

}  // namespace herald::calendar
