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

// Reads an optional positive number (whole or not).
bool ReadPositive(const value& obj, const std::string& where, const char* key,
                  std::optional<double>& out, std::string& err) {
  if (!obj.has_field(key)) return true;
  const value& v = obj.at(key);
  if (!v.is_number() || !(v.as_double() > 0)) {
    err = "`" + where + key + "` must be a positive number";
    return false;
  }
  out = v.as_double();
  return true;
}

bool ReadStrings(const value& obj, const std::string& where, const char* key,
                 std::vector<std::string>& out, std::string& err) {
  if (!obj.has_field(key)) return true;
  const value& m = obj.at(key);
  const std::string wrong = "`" + where + key + "` must be a list of strings";
  if (!m.is_array()) {
    err = wrong;
    return false;
  }
  for (const value& t : m.as_array()) {
    if (!t.is_string()) {
      err = wrong;
      return false;
    }
    out.push_back(t.as_string());
  }
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
  const std::string where = std::string("media.") + kind + ".";
  if (!ReadInt(v, "max_bytes", k.max_bytes, err) ||
      !ReadStrings(v, where, "mime_types", k.mime_types, err) ||
      !ReadInt(v, "min_width", k.min_width, err) || !ReadInt(v, "max_width", k.max_width, err) ||
      !ReadPositive(v, where, "min_aspect_ratio", k.min_aspect_ratio, err) ||
      !ReadPositive(v, where, "max_aspect_ratio", k.max_aspect_ratio, err) ||
      !ReadInt(v, "min_duration_s", k.min_duration_s, err) ||
      !ReadInt(v, "max_duration_s", k.max_duration_s, err) ||
      !ReadStrings(v, where, "containers", k.containers, err) ||
      !ReadStrings(v, where, "video_codecs", k.video_codecs, err) ||
      !ReadStrings(v, where, "audio_codecs", k.audio_codecs, err) ||
      !ReadPositive(v, where, "max_frame_rate", k.max_frame_rate, err)) {
    return false;
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
  if (ok && root.has_field("kinds")) {
    const value& kinds = root.at("kinds");
    if (!kinds.is_object()) return Bad("`kinds` must be an object");
    for (const auto& [name, k] : kinds.as_object()) {
      if (!k.is_object()) return Bad("`kinds." + name + "` must be an object");
      PostKindLimits kind;
      std::optional<bool> text;
      ok = ReadBool(k, "text", text, err) &&
           ReadBool(k, "media_required", kind.media_required, err) &&
           ReadInt(k, "media_max_count", kind.media_max_count, err);
      if (!ok) break;
      kind.text = text.value_or(true);
      l.kinds[name] = kind;
    }
  }
  if (!ok) return Bad(err);
  return l;
}

PlatformLimits PlatformLimits::ForKind(const PostKindLimits& kind) const {
  PlatformLimits l = *this;
  if (kind.media_required) l.media_required = kind.media_required;
  if (kind.media_max_count) l.media_max_count = kind.media_max_count;
  return l;
}

}  // namespace herald::calendar
