#include "facebook/facebook_connector.h"

#include <algorithm>
#include <random>

#include "common/graph_versions.h"
#include "common/json_util.h"
#include "common/transport.h"

namespace herald::connectors::facebook {

namespace {

// Video bytes per upload request; settings.chunk_bytes overrides (at least kMinChunk).
constexpr int64_t kDefaultChunk = 8 * 1024 * 1024;
constexpr int64_t kMinChunk = 1024;
// A post found by find() must be no older than the job's due time minus this
// (clock skew between herald and the platform).
constexpr int64_t kFindSkewMs = 5 * 60 * 1000;
constexpr int kFindPages = 4;

std::string ConfigString(const herald::Account& account, const char* key) {
  std::optional<web::json::value> config = ParseJson(account.config_json);
  return config ? JsonString(*config, key) : std::string();
}

std::string ConfigOr(const herald::Account& account, const char* key, const char* fallback) {
  std::string v = ConfigString(account, key);
  return v.empty() ? std::string(fallback) : v;
}

}  // namespace

std::optional<PostListing> ParsePostListing(std::string_view body, const char* text_field) {
  std::optional<web::json::value> v = ParseJson(body);
  const web::json::value* data = v ? JsonField(*v, "data") : nullptr;
  if (!data || !data->is_array()) return std::nullopt;
  PostListing out;
  for (const auto& item : data->as_array()) {
    ListedPost p;
    p.id = JsonString(item, "id");
    if (p.id.empty()) return std::nullopt;
    p.message = JsonString(item, text_field);
    p.permalink = JsonString(item, "permalink_url");
    std::optional<int64_t> created = ParseIsoTimeMs(JsonString(item, "created_time"));
    if (!created) return std::nullopt;
    p.created_ms = *created;
    out.posts.push_back(std::move(p));
  }
  if (const web::json::value* paging = JsonField(*v, "paging")) {
    bool has_next = !JsonString(*paging, "next").empty();
    const web::json::value* cursors = JsonField(*paging, "cursors");
    if (has_next && cursors) out.next_after = JsonString(*cursors, "after");
  }
  return out;
}

std::string ParseCreatedPostId(std::string_view body) {
  std::optional<web::json::value> v = ParseJson(body);
  if (!v || !v->is_object()) return {};
  std::string post_id = JsonString(*v, "post_id");
  return post_id.empty() ? JsonString(*v, "id") : post_id;
}

std::optional<std::string> ParsePostMetrics(std::string_view body) {
  std::optional<web::json::value> v = ParseJson(body);
  if (!v || !v->is_object() || JsonString(*v, "id").empty()) return std::nullopt;
  auto summary_count = [&](const char* edge) -> int64_t {
    const web::json::value* e = JsonField(*v, edge);
    const web::json::value* summary = e ? JsonField(*e, "summary") : nullptr;
    return summary ? JsonInt(*summary, "total_count", 0) : 0;
  };
  const web::json::value* shares = JsonField(*v, "shares");
  int64_t share_count = shares ? JsonInt(*shares, "count", 0) : 0;
  return "{\"likes\":" + std::to_string(summary_count("likes")) +
         ",\"comments\":" + std::to_string(summary_count("comments")) +
         ",\"shares\":" + std::to_string(share_count) + "}";
}

std::string BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

VideoText VideoTextOf(const herald::Post& post) {
  VideoText out;
  std::optional<web::json::value> j = ParseJson(post.post_json());
  if (const web::json::value* options = j ? JsonField(*j, "options") : nullptr) {
    out.title = JsonString(*options, "title");
    out.description = JsonString(*options, "description");
  }
  const web::json::value* media = j ? JsonField(*j, "media") : nullptr;
  if (out.title.empty() && media && media->is_array() && media->as_array().size() > 0) {
    out.title = JsonString(media->as_array().at(0), "title");
  }
  if (out.description.empty()) out.description = CaptionWithLink(post.text(), post.link());
  return out;
}

std::string CaptionWithLink(std::string_view text, std::optional<std::string_view> link) {
  std::string out(text);
  if (link && !link->empty() && out.find(*link) == std::string::npos) {
    if (!out.empty()) out += "\n";
    out += *link;
  }
  return out;
}

std::optional<std::string> ParseUploadSession(std::string_view body) {
  std::optional<web::json::value> v = ParseJson(body);
  std::string id = v ? JsonString(*v, "id") : std::string();
  if (id.rfind("upload:", 0) != 0 || id.size() == 7) return std::nullopt;
  return id;
}

std::optional<UploadProgress> ParseUploadProgress(std::string_view body) {
  std::optional<web::json::value> v = ParseJson(body);
  if (!v || !v->is_object()) return std::nullopt;
  UploadProgress out;
  out.handle = JsonString(*v, "h");
  if (JsonField(*v, "file_offset")) {
    out.file_offset = JsonInt(*v, "file_offset", -1);
    if (out.file_offset < 0) return std::nullopt;
  }
  return out;
}

FacebookConnector::FacebookConnector(herald::Host host, const herald::Account& account)
    : host_(host),
      graph_(host, GraphBase(account.api_base),
             ConfigOr(account, "api_version", kDefaultGraphVersion)),
      // The video host; with an api_base (the sandbox) and no video_api_base,
      // the api_base serves both.
      video_graph_(
          host,
          GraphBase(ConfigString(account, "video_api_base").empty()
                        ? account.api_base
                        : std::optional<std::string>(ConfigString(account, "video_api_base")),
                    "https://graph-video.facebook.com"),
          graph_.version()),
      page_id_(ConfigString(account, "page_id")),
      version_problem_(GraphVersionProblem(graph_.version())),
      app_id_(ConfigString(account, "app_id")),
      permalink_base_(ConfigOr(account, "permalink_base", "https://www.facebook.com/")),
      chunk_bytes_(kDefaultChunk) {
  if (std::string chunk = ConfigString(account, "chunk_bytes"); !chunk.empty()) {
    chunk_bytes_ = std::max<int64_t>(kMinChunk, std::atoll(chunk.c_str()));
  }
  std::random_device rd;
  instance_ = std::to_string(rd()) + std::to_string(rd());
}

// Sources (see docs/connectors/facebook.md): message up to 63,206 characters;
// photos JPEG/BMP/PNG/GIF/TIFF up to 10 MB (Page photos reference); videos up
// to 10 GB and 4 hours (Page videos), MP4 only (the Resumable Upload API's
// file_type takes video/mp4 and no other video type); up to 10 photos per post.
herald::Limits FacebookConnector::Describe() const {
  herald::ImageLimits image;
  image.max_bytes = 10ull * 1024 * 1024;
  image.mime_types = {"image/jpeg", "image/bmp", "image/png", "image/gif", "image/tiff"};
  herald::VideoLimits video;
  video.max_bytes = 10ull * 1024 * 1024 * 1024;
  video.max_duration_s = 4 * 60 * 60;
  video.mime_types = {"video/mp4"};
  // Page video specs: 9:16 (portrait) to 16:9 (landscape).
  video.containers = {"mp4"};
  video.min_aspect_ratio = 9.0 / 16.0;
  video.max_aspect_ratio = 16.0 / 9.0;
  return herald::Limits()
      .TextMax(63206)
      .LinkAllowed(true)
      .MediaRequired(false)
      .MediaMaxCount(10)
      .Image(image)
      .Video(video)
      .Api(GraphApiVersion(graph_.version()));
}

std::vector<herald::Issue> FacebookConnector::Validate(const herald::Post& post) {
  std::vector<herald::Issue> issues;
  size_t videos = 0;
  for (const herald::Media& m : post.media()) videos += m.kind() == herald::MediaKind::kVideo;
  if (videos > 0 && post.media_count() > 1) {
    issues.push_back({"media", "a Facebook post carries either photos or one video, not both"});
  }
  if (post.text().empty() && !post.link() && post.media_count() == 0) {
    issues.push_back({"text", "a Facebook post needs a text, a link or a medium"});
  }
  return issues;
}

std::optional<std::string> FacebookConnector::PageToken() const {
  for (const char* key : {"access_token", "page_access_token"}) {
    std::optional<std::string> token = host_.Credential(key);
    if (token && !token->empty()) return token;
  }
  return std::nullopt;
}

std::string FacebookConnector::PostUrl(const std::string& post_id) const {
  return permalink_base_ + post_id;
}

herald::Outcome FacebookConnector::Step(const herald::Post& post,
                                        std::optional<std::string_view> checkpoint) {
  if (page_id_.empty()) return herald::Outcome::Failed("account setting page_id is missing");
  if (!version_problem_.empty()) return herald::Outcome::Failed(version_problem_);
  std::optional<std::string> token = PageToken();
  if (!token) return herald::Outcome::AuthExpired("no access_token stored for this Page");
  std::optional<Checkpoint> cp;
  if (checkpoint) {
    cp = Checkpoint::Decode(*checkpoint);
    if (!cp)
      return herald::Outcome::Failed("unreadable checkpoint (not written by this connector)");
  }
  if (std::vector<herald::Issue> issues = Validate(post); !issues.empty()) {
    return herald::Outcome::Failed(issues.front().message);
  }
  size_t count = post.media_count();
  if (count == 0) return FeedPost(post, *token, {});
  if (post.media(0).kind() == herald::MediaKind::kVideo) {
    return VideoStep(post, *token, cp.value_or(Checkpoint()));
  }
  if (count == 1) return SinglePhoto(post, *token);
  return MultiPhotoStep(post, *token, cp.value_or(Checkpoint()));
}

herald::Outcome FacebookConnector::FeedPost(const herald::Post& post, const std::string& token,
                                            const std::vector<std::string>& photo_ids) {
  Params form;
  std::string message =
      photo_ids.empty() ? std::string(post.text()) : CaptionWithLink(post.text(), post.link());
  if (!message.empty()) form.emplace_back("message", message);
  if (photo_ids.empty() && post.link() && !post.link()->empty()) {
    form.emplace_back("link", std::string(*post.link()));
  }
  for (size_t i = 0; i < photo_ids.size(); ++i) {
    form.emplace_back("attached_media[" + std::to_string(i) + "]",
                      "{\"media_fbid\":\"" + photo_ids[i] + "\"}");
  }
  const char* what = "creating the feed post";
  herald::HttpResult r = graph_.Post(page_id_ + "/feed", std::move(form), token);
  if (!r.ok()) return FromTransport(r.error(), Effect::kCreatesPost, what);
  if (auto err = GraphErrorOutcome(r.response(), host_.NowMs(), what)) return *err;
  std::string id = ParseCreatedPostId(r.response().body);
  if (id.empty()) return herald::Outcome::Unknown("the feed post was accepted without a post id");
  return herald::Outcome::Published(id, PostUrl(id));
}

herald::HttpResult FacebookConnector::UploadPhoto(const herald::Media& media,
                                                  const std::string& caption, bool published,
                                                  const std::string& token) {
  if (std::optional<std::string_view> url = media.public_url(); url && !url->empty()) {
    Params form{{"url", std::string(*url)}};
    if (!caption.empty()) form.emplace_back("message", caption);
    if (!published) form.emplace_back("published", "false");
    return graph_.Post(page_id_ + "/photos", std::move(form), token);
  }
  std::vector<herald::MultipartPart> parts;
  if (!caption.empty()) parts.push_back(herald::MultipartPart::Field("message", caption));
  if (!published) parts.push_back(herald::MultipartPart::Field("published", "false"));
  parts.push_back(herald::MultipartPart::File(
      "source", BaseName(media.path()), std::string(media.mime_type()), std::string(media.path())));
  return graph_.PostMultipart(page_id_ + "/photos", std::move(parts), token);
}

herald::Outcome FacebookConnector::SinglePhoto(const herald::Post& post, const std::string& token) {
  const char* what = "publishing the photo";
  herald::HttpResult r =
      UploadPhoto(post.media(0), CaptionWithLink(post.text(), post.link()), true, token);
  if (!r.ok()) return FromTransport(r.error(), Effect::kCreatesPost, what);
  if (auto err = GraphErrorOutcome(r.response(), host_.NowMs(), what)) return *err;
  std::string id = ParseCreatedPostId(r.response().body);
  if (id.empty()) return herald::Outcome::Unknown("the photo was accepted without a post id");
  return herald::Outcome::Published(id, PostUrl(id));
}

// One unpublished photo per step; the checkpoint lists the uploaded ids in
// order. A lost upload answer leaves at most an unpublished photo, which
// nobody sees: it is retried, not reported unknown.
herald::Outcome FacebookConnector::MultiPhotoStep(const herald::Post& post,
                                                  const std::string& token, Checkpoint cp) {
  std::vector<std::string> ids = cp.GetList("photos");
  if (ids.size() > post.media_count()) {
    return herald::Outcome::Failed("checkpoint lists more photos than the post has");
  }
  if (ids.size() == post.media_count()) return FeedPost(post, token, ids);
  herald::Media m = post.media(ids.size());
  if (m.kind() != herald::MediaKind::kImage) {
    return herald::Outcome::Failed("a multi-photo post accepts only images");
  }
  std::string what = "uploading photo " + std::to_string(ids.size() + 1) + " of " +
                     std::to_string(post.media_count());
  herald::HttpResult r = UploadPhoto(m, "", false, token);
  if (!r.ok()) return FromTransport(r.error(), Effect::kRead, what);
  if (auto err = GraphErrorOutcome(r.response(), host_.NowMs(), what)) return *err;
  std::optional<web::json::value> body = ParseJson(r.response().body);
  std::string id = body ? JsonString(*body, "id") : std::string();
  if (id.empty()) return herald::Outcome::Retry(0, what + ": answer without a photo id");
  ids.push_back(id);
  cp.Set("ph", "photos").SetList("photos", ids);
  return herald::Outcome::Continue(host_.NowMs(), cp.Encode());
}

herald::FindResult FacebookConnector::Find(const herald::Post& post) {
  if (page_id_.empty()) return herald::FindResult::CannotTell("account setting page_id is missing");
  std::optional<std::string> token = PageToken();
  if (!token) return herald::FindResult::CannotTell("no access_token stored for this Page");
  if (post.media_count() > 0 && post.media(0).kind() == herald::MediaKind::kVideo) {
    // A video is an object of the Page's videos edge, with the description it was given.
    VideoText text = VideoTextOf(post);
    if (text.description.empty()) {
      return herald::FindResult::CannotTell("a video without description cannot be recognised");
    }
    return SearchListing("videos", "id,description,created_time,permalink_url", "description",
                         text.description, post.due_ms(), *token);
  }
  const bool has_media = post.media_count() > 0;
  const std::string expected =
      has_media ? CaptionWithLink(post.text(), post.link()) : std::string(post.text());
  if (expected.empty()) {
    return herald::FindResult::CannotTell("a post without text cannot be recognised");
  }
  return SearchListing("published_posts", "id,message,created_time,permalink_url", "message",
                       expected, post.due_ms(), *token);
}

herald::FindResult FacebookConnector::SearchListing(const std::string& edge, const char* fields,
                                                    const char* text_field,
                                                    const std::string& expected, int64_t due_ms,
                                                    const std::string& token) {
  const int64_t window_start = due_ms - kFindSkewMs;
  const std::string what = "listing the Page's " + edge;
  std::string after;
  for (int page = 0; page < kFindPages; ++page) {
    Params q{{"fields", fields}, {"limit", "50"}};
    if (!after.empty()) q.emplace_back("after", after);
    herald::HttpResult r = graph_.Get(page_id_ + "/" + edge, std::move(q), token);
    if (!r.ok()) return herald::FindResult::CannotTell(what + ": " + r.error().message);
    if (auto e = ParseGraphError(r.response())) {
      return herald::FindResult::CannotTell(what + ": " + e->message);
    }
    std::optional<PostListing> listing = ParsePostListing(r.response().body, text_field);
    if (!listing) return herald::FindResult::CannotTell("unreadable " + what.substr(8));
    for (const ListedPost& p : listing->posts) {
      if (p.created_ms < window_start) {
        return herald::FindResult::NotFound("nothing with this text since the job was due");
      }
      if (p.message == expected) {
        return herald::FindResult::Found(p.id, p.permalink.empty() ? PostUrl(p.id) : p.permalink);
      }
    }
    if (listing->next_after.empty()) {
      return herald::FindResult::NotFound("nothing with this text on the Page");
    }
    after = listing->next_after;
  }
  return herald::FindResult::CannotTell("too many posts since the job was due to search them all");
}

std::string FacebookConnector::Metrics(const std::vector<std::string>& remote_ids) {
  std::optional<std::string> token = PageToken();
  if (!token)
    throw herald::PluginError(HERALD_ERR_NOT_FOUND, "no access_token stored for this Page");
  std::string out = "{";
  bool first = true;
  for (const std::string& id : remote_ids) {
    herald::HttpResult r = graph_.Get(
        id, {{"fields", "id,likes.summary(true),comments.summary(true),shares"}}, *token);
    if (!r.ok())
      throw herald::PluginError(HERALD_ERR_INTERNAL, "reading metrics: " + r.error().message);
    if (auto e = ParseGraphError(r.response())) {
      if (e->code == 100) continue;  // the post is gone or unknown: left out
      throw herald::PluginError(HERALD_ERR_INTERNAL, "reading metrics: " + e->message);
    }
    std::optional<std::string> counters = ParsePostMetrics(r.response().body);
    if (!counters) continue;
    if (!first) out += ",";
    first = false;
    out += herald::JsonQuote(id) + ":" + *counters;
  }
  return out + "}";
}

}  // namespace herald::connectors::facebook
