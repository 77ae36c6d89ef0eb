#include "youtube/video_metadata.h"

#include "common/json_util.h"

namespace herald::connectors::youtube {

VideoMeta MetaOf(const herald::Post& post, const VideoDefaults& defaults) {
  VideoMeta m;
  std::optional<web::json::value> j = ParseJson(post.post_json());
  const web::json::value* options = j ? JsonField(*j, "options") : nullptr;
  const web::json::value* media = j ? JsonField(*j, "media") : nullptr;
  const web::json::value* first = media && media->is_array() && media->as_array().size() > 0
                                      ? &media->as_array().at(0)
                                      : nullptr;
  if (options) {
    m.title = JsonString(*options, "title");
    m.description = JsonString(*options, "description");
    m.privacy = JsonString(*options, "privacy");
    m.category = JsonString(*options, "category");
    if (const web::json::value* tags = JsonField(*options, "tags"); tags && tags->is_array()) {
      for (const auto& t : tags->as_array()) {
        if (t.is_string()) m.tags.push_back(t.as_string());
      }
    }
    if (const web::json::value* kids = JsonField(*options, "made_for_kids");
        kids && kids->is_boolean()) {
      m.made_for_kids = kids->as_bool();
    }
  }
  if (first) {
    if (m.title.empty()) m.title = JsonString(*first, "title");
    m.cover = JsonString(*first, "cover");
  }
  if (m.title.empty()) m.title = std::string(post.text().substr(0, 100));
  if (m.description.empty()) m.description = std::string(post.text());
  if (m.privacy.empty()) m.privacy = defaults.privacy.empty() ? "private" : defaults.privacy;
  if (m.category.empty()) m.category = defaults.category.empty() ? "22" : defaults.category;
  return m;
}

std::string MetadataJson(const VideoMeta& m) {
  web::json::value snippet = web::json::value::object();
  snippet["title"] = web::json::value::string(m.title);
  snippet["description"] = web::json::value::string(m.description);
  snippet["categoryId"] = web::json::value::string(m.category);
  if (!m.tags.empty()) {
    web::json::value tags = web::json::value::array(m.tags.size());
    for (size_t i = 0; i < m.tags.size(); ++i) tags[i] = web::json::value::string(m.tags[i]);
    snippet["tags"] = tags;
  }
  web::json::value status = web::json::value::object();
  status["privacyStatus"] = web::json::value::string(m.privacy);
  if (m.made_for_kids)
    status["selfDeclaredMadeForKids"] = web::json::value::boolean(*m.made_for_kids);
  web::json::value body = web::json::value::object();
  body["snippet"] = snippet;
  body["status"] = status;
  return body.serialize();
}

std::string WatchUrl(const std::string& id) { return "https://www.youtube.com/watch?v=" + id; }

}  // namespace herald::connectors::youtube
