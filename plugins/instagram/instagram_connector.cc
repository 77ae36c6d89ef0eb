#include "instagram/instagram_connector.h"

#include <algorithm>

#include "common/graph_versions.h"
#include "common/json_util.h"
#include "common/transport.h"

namespace herald::connectors::instagram {

namespace {

constexpr int64_t kFindSkewMs = 5 * 60 * 1000;
constexpr int kFindPages = 4;
// At the publishing cap the quota frees as the rolling 24 h window moves on;
// the platform does not say when, so try again in an hour.
constexpr int64_t kQuotaRetryMs = 60 * 60 * 1000;
// An Instagram Login token (60 days) is refreshed when it expires within this.
constexpr int64_t kRefreshWindowMs = 10LL * 24 * 3600 * 1000;
// How long a container may take to finish (settings.container_deadline_minutes):
// by default 30 minutes; at most a day, after which Instagram expires it anyway.
constexpr int64_t kDefaultContainerDeadlineMinutes = 30;
constexpr int64_t kMaxContainerDeadlineMinutes = 24 * 60;

std::string ConfigString(const herald::Account& account, const char* key) {
  std::optional<web::json::value> config = ParseJson(account.config_json);
  return config ? JsonString(*config, key) : std::string();
}

// IMAGE, REELS, STORIES or CAROUSEL for this post.
std::string KindOf(const herald::Post& post) {
  std::optional<web::json::value> j = ParseJson(post.post_json());
  const web::json::value* options = j ? JsonField(*j, "options") : nullptr;
  // The calendar's `instagram: {kind: story}`.
  if (options && JsonString(*options, "kind") == "story") return "STORIES";
  if (post.media_count() > 1) return "CAROUSEL";
  if (post.media_count() == 1 && post.media(0).kind() == herald::MediaKind::kVideo) return "REELS";
  return "IMAGE";
}

std::string StatusName(ContainerStatus s) {
  switch (s) {
    case ContainerStatus::kInProgress:
      return "IN_PROGRESS";
    case ContainerStatus::kFinished:
      return "FINISHED";
    case ContainerStatus::kError:
      return "ERROR";
    case ContainerStatus::kExpired:
      return "EXPIRED";
    case ContainerStatus::kPublished:
      return "PUBLISHED";
    case ContainerStatus::kUnreadable:
      break;
  }
  return "unreadable";
}

// settings.container_deadline_minutes in ms; nullopt when it is not a whole
// number of minutes from 1 to a day.
std::optional<int64_t> ContainerDeadlineMs(const std::string& setting) {
  if (setting.empty()) return kDefaultContainerDeadlineMinutes * 60'000;
  if (setting.size() > 4 ||
      !std::all_of(setting.begin(), setting.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  int64_t minutes = std::atoll(setting.c_str());
  if (minutes < 1 || minutes > kMaxContainerDeadlineMinutes) return std::nullopt;
  return minutes * 60'000;
}

}  // namespace

ContainerStatus ParseContainerStatus(std::string_view body, std::string* detail) {
  std::optional<web::json::value> v = ParseJson(body);
  if (!v || !v->is_object()) return ContainerStatus::kUnreadable;
  if (detail) *detail = JsonString(*v, "status");
  std::string code = JsonString(*v, "status_code");
  if (code == "IN_PROGRESS") return ContainerStatus::kInProgress;
  if (code == "FINISHED") return ContainerStatus::kFinished;
  if (code == "ERROR") return ContainerStatus::kError;
  if (code == "EXPIRED") return ContainerStatus::kExpired;
  if (code == "PUBLISHED") return ContainerStatus::kPublished;
  return ContainerStatus::kUnreadable;
}

std::optional<PublishingLimit> ParsePublishingLimit(std::string_view body) {
  std::optional<web::json::value> v = ParseJson(body);
  const web::json::value* data = v ? JsonField(*v, "data") : nullptr;
  if (!data || !data->is_array() || data->as_array().size() == 0) return std::nullopt;
  const web::json::value& item = data->as_array().at(0);
  const web::json::value* config = JsonField(item, "config");
  if (!config || !JsonField(item, "quota_usage")) return std::nullopt;
  PublishingLimit out;
  out.usage = JsonInt(item, "quota_usage", 0);
  out.total = JsonInt(*config, "quota_total", 0);
  out.duration_s = JsonInt(*config, "quota_duration", 86400);
  if (out.total <= 0) return std::nullopt;
  return out;
}

std::optional<MediaListing> ParseMediaListing(std::string_view body) {
  std::optional<web::json::value> v = ParseJson(body);
  const web::json::value* data = v ? JsonField(*v, "data") : nullptr;
  if (!data || !data->is_array()) return std::nullopt;
  MediaListing out;
  for (const auto& item : data->as_array()) {
    ListedMedia m;
    m.id = JsonString(item, "id");
    std::optional<int64_t> ts = ParseIsoTimeMs(JsonString(item, "timestamp"));
    if (m.id.empty() || !ts) return std::nullopt;
    m.timestamp_ms = *ts;
    m.caption = JsonString(item, "caption");
    m.permalink = JsonString(item, "permalink");
    out.media.push_back(std::move(m));
  }
  if (const web::json::value* paging = JsonField(*v, "paging")) {
    const web::json::value* cursors = JsonField(*paging, "cursors");
    if (cursors) out.next_after = JsonString(*cursors, "after");
  }
  return out;
}

std::optional<std::string> ParseMediaMetrics(std::string_view fields_body,
                                             std::string_view insights_body) {
  std::optional<web::json::value> fields = ParseJson(fields_body);
  if (!fields || !fields->is_object() || JsonString(*fields, "id").empty()) return std::nullopt;
  std::string out = "{\"likes\":" + std::to_string(JsonInt(*fields, "like_count", 0)) +
                    ",\"comments\":" + std::to_string(JsonInt(*fields, "comments_count", 0));
  std::optional<web::json::value> insights = ParseJson(insights_body);
  const web::json::value* data = insights ? JsonField(*insights, "data") : nullptr;
  if (data && data->is_array()) {
    for (const auto& metric : data->as_array()) {
      std::string name = JsonString(metric, "name");
      const web::json::value* values = JsonField(metric, "values");
      if (name.empty() || name == "likes" || name == "comments" || !values || !values->is_array() ||
          values->as_array().size() == 0) {
        continue;
      }
      bool safe = std::all_of(name.begin(), name.end(),
                              [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
      if (!safe) continue;
      out += ",\"" + name + "\":" + std::to_string(JsonInt(values->as_array().at(0), "value", 0));
    }
  }
  return out + "}";
}

int64_t PollDelayMs(int64_t n) {
  int64_t delay = 1000;
  for (int64_t i = 0; i < n && delay < 30'000; ++i) delay *= 2;
  return std::min<int64_t>(delay, 30'000);
}

std::optional<RefreshedToken> ParseRefreshedToken(std::string_view body) {
  std::optional<web::json::value> v = ParseJson(body);
  if (!v || !v->is_object()) return std::nullopt;
  RefreshedToken out;
  out.access_token = JsonString(*v, "access_token");
  out.expires_in_s = JsonInt(*v, "expires_in", 0);
  // The caller adds the lifetime to the clock: one beyond ten years (the
  // documented one is 60 days) is as malformed as none, and would overflow.
  constexpr int64_t kMaxLifetimeS = 10LL * 366 * 24 * 3600;
  if (out.access_token.empty() || out.expires_in_s <= 0 || out.expires_in_s > kMaxLifetimeS) {
    return std::nullopt;
  }
  return out;
}

InstagramConnector::InstagramConnector(herald::Host host, const herald::Account& account)
    : host_(host),
      instagram_login_(ConfigString(account, "login") == "instagram"),
      graph_(host,
             GraphBase(account.api_base, instagram_login_ ? "https://graph.instagram.com"
                                                          : "https://graph.facebook.com"),
             ConfigString(account, "api_version").empty() ? kDefaultGraphVersion
                                                          : ConfigString(account, "api_version")),
      ig_user_id_(ConfigString(account, "ig_user_id")),
      setting_problem_(GraphVersionProblem(graph_.version())) {
  std::string login = ConfigString(account, "login");
  if (!login.empty() && login != "instagram" && login != "facebook") {
    setting_problem_ = "account setting login must be facebook or instagram, not '" + login + "'";
  }
  const std::string deadline = ConfigString(account, "container_deadline_minutes");
  if (std::optional<int64_t> ms = ContainerDeadlineMs(deadline)) {
    container_deadline_ms_ = *ms;
  } else if (setting_problem_.empty()) {
    setting_problem_ =
        "account setting container_deadline_minutes must be a whole number of "
        "minutes from 1 to " +
        std::to_string(kMaxContainerDeadlineMinutes) + ", not '" + deadline + "'";
  }
}

std::optional<std::string> InstagramConnector::AccessToken(std::string* problem) {
  std::optional<std::string> token = host_.Credential("access_token");
  if (!token || token->empty()) {
    *problem = "no access_token stored for this Instagram account";
    return std::nullopt;
  }
  if (!instagram_login_) return token;  // a Page token: it does not expire
  std::optional<std::string> expires = host_.Credential("expires_at_ms");
  if (!expires) return token;
  const int64_t at = std::atoll(expires->c_str()), now = host_.NowMs();
  if (at <= now) {
    *problem = "the Instagram user token has expired: run heraldctl connect";
    return std::nullopt;
  }
  if (at - now > kRefreshWindowMs) return token;
  // GET graph.instagram.com/refresh_access_token: a long-lived token at least
  // 24 hours old and not expired gets 60 more days.
  Params q{{"grant_type", "ig_refresh_token"}, {"access_token", *token}};
  herald::Request req("GET", graph_.base() + "/refresh_access_token?" + FormEncode(q));
  req.Secret(*token);
  herald::HttpResult r = host_.Http(req);
  std::optional<RefreshedToken> fresh = r.ok() && !ParseGraphError(r.response())
                                            ? ParseRefreshedToken(r.response().body)
                                            : std::nullopt;
  if (!fresh) {
    std::optional<GraphError> e = r.ok() ? ParseGraphError(r.response()) : std::nullopt;
    if (e && e->code == 190) {
      *problem = "the Instagram user token was refused when refreshed: " + e->message;
      return std::nullopt;
    }
    host_.Warn("could not refresh the Instagram user token (" +
               (r.ok() ? (e ? e->message : std::string("unreadable answer")) : r.error().message) +
               "); using the current one until it expires");
    return token;
  }
  if (host_.StoreCredential("access_token", fresh->access_token) != HERALD_OK ||
      host_.StoreCredential("expires_at_ms", std::to_string(now + fresh->expires_in_s * 1000)) !=
          HERALD_OK) {
    host_.Warn("the refreshed Instagram user token could not be stored; using it for now");
  }
  host_.Info("refreshed the Instagram user token");
  return fresh->access_token;
}

// Sources (docs/connectors/instagram.md): captions up to 2,200 characters, 30
// hashtags and 20 @-mentions; carousels 2-10 items; images JPEG up to 8 MB;
// reels MOV/MP4 up to 300 MB and 15 minutes. Links in captions are not clickable.
herald::Limits InstagramConnector::Describe() const {
  herald::ImageLimits image;
  image.max_bytes = 8ull * 1024 * 1024;
  image.mime_types = {"image/jpeg"};
  // Content Publishing API image specs: 320 to 1440 pixels wide, 4:5 to 1.91:1.
  image.min_width = 320;
  image.max_width = 1440;
  image.min_aspect_ratio = 0.8;
  image.max_aspect_ratio = 1.91;
  herald::VideoLimits video;
  video.max_bytes = 300ull * 1024 * 1024;
  video.max_duration_s = 15 * 60;
  video.mime_types = {"video/mp4", "video/quicktime"};
  // Reels specs: MOV or MP4, HEVC or H.264, AAC, 3 s to 15 min, at most 1920
  // pixels wide, 0.01:1 to 10:1, 23 to 60 frames per second.
  video.containers = {"mp4", "mov"};
  video.video_codecs = {"h264", "hevc"};
  video.audio_codecs = {"aac"};
  video.min_duration_s = 3;
  video.max_width = 1920;
  video.min_aspect_ratio = 0.01;
  video.max_aspect_ratio = 10;
  video.max_frame_rate = 60;
  // A story is one image or video, shown for a day, with no caption.
  return herald::Limits()
      .TextMax(2200)
      .HashtagsMax(30)
      .MentionsMax(20)
      .LinkAllowed(false)
      .MediaRequired(true)
      .MediaMaxCount(10)
      .Image(image)
      .Video(video)
      .Kind("story", {.text = false, .media_required = true, .media_max_count = 1})
      .Api(GraphApiVersion(graph_.version()));
}

std::vector<herald::Issue> InstagramConnector::Validate(const herald::Post& post) {
  std::vector<herald::Issue> issues;
  if (post.media_count() == 0) issues.push_back({"media", "an Instagram post needs a medium"});
  if (KindOf(post) == "STORIES" && post.media_count() != 1) {
    issues.push_back({"media", "an Instagram story carries exactly one medium"});
  }
  if (post.media_count() > 10) issues.push_back({"media", "a carousel holds at most 10 items"});
  return issues;
}

herald::Outcome InstagramConnector::Step(const herald::Post& post,
                                         std::optional<std::string_view> checkpoint) {
  if (ig_user_id_.empty()) return herald::Outcome::Failed("account setting ig_user_id is missing");
  if (!setting_problem_.empty()) return herald::Outcome::Failed(setting_problem_);
  std::string problem;
  std::optional<std::string> token = AccessToken(&problem);
  if (!token) return herald::Outcome::AuthExpired(problem);
  if (std::vector<herald::Issue> issues = Validate(post); !issues.empty()) {
    return herald::Outcome::Failed(issues.front().message);
  }
  for (size_t i = 0; i < post.media_count(); ++i) {
    std::optional<std::string_view> url = post.media(i).public_url();
    if (!url || url->empty()) {
      return herald::Outcome::Failed(
          "medium " + std::to_string(i + 1) +
          " has no public URL: Instagram fetches media by URL, so the daemon's media staging "
          "(media.public_base_url) must serve it");
    }
  }
  if (!checkpoint) return Start(post, *token);
  std::optional<Checkpoint> cp = Checkpoint::Decode(*checkpoint);
  if (!cp || cp->Get("kind").empty()) {
    return herald::Outcome::Failed("unreadable checkpoint (not written by this connector)");
  }
  if (!cp->Get("c").empty()) return Wait(post, *token, *cp);
  if (cp->Get("kind") == "CAROUSEL") {
    if (cp->GetList("kids").size() < post.media_count()) return CreateChild(post, *token, *cp);
    return Wait(post, *token, *cp);
  }
  return CreateMain(post, *token, *cp);
}

herald::Outcome InstagramConnector::Start(const herald::Post& post, const std::string& token) {
  const char* what = "reading the content publishing limit";
  herald::HttpResult r = graph_.Get(ig_user_id_ + "/content_publishing_limit",
                                    {{"fields", "quota_usage,config"}}, token);
  if (!r.ok()) return FromTransport(r.error(), Effect::kRead, what);
  if (auto e = ParseGraphError(r.response())) {
    return ClassifyGraphError(*e, r.response(), host_.NowMs(), what);
  }
  std::optional<PublishingLimit> limit = ParsePublishingLimit(r.response().body);
  if (!limit) return herald::Outcome::Retry(0, std::string(what) + ": unreadable answer");
  if (limit->usage >= limit->total) {
    return herald::Outcome::Retry(
        host_.NowMs() + kQuotaRetryMs,
        "content publishing limit reached (" + std::to_string(limit->usage) + " of " +
            std::to_string(limit->total) + " posts in 24 h); waiting for the window to move");
  }
  Checkpoint cp;
  cp.Set("kind", KindOf(post));
  if (cp.Get("kind") == "CAROUSEL") return CreateChild(post, token, cp);
  return CreateMain(post, token, cp);
}

// Creating a container publishes nothing, so a lost answer is retried (the
// host keeps the checkpoint); the new id is recorded before anything else.
herald::Outcome InstagramConnector::CreateContainer(Params form, const std::string& token,
                                                    Checkpoint cp, const std::string& list_key,
                                                    std::string_view what) {
  herald::HttpResult r = graph_.Post(ig_user_id_ + "/media", std::move(form), token);
  if (!r.ok()) return FromTransport(r.error(), Effect::kRead, what);
  if (auto e = ParseGraphError(r.response())) {
    return ClassifyGraphError(*e, r.response(), host_.NowMs(), what);
  }
  std::optional<web::json::value> b = ParseJson(r.response().body);
  std::string id = b ? JsonString(*b, "id") : std::string();
  if (id.empty()) return herald::Outcome::Retry(0, std::string(what) + ": answer without an id");
  // When each container was created: the deadline runs from there.
  const std::string created = std::to_string(host_.NowMs());
  if (list_key == "c") {
    cp.Set("c", id).Set("ct", created).SetInt("n", 0);
  } else {
    std::vector<std::string> ids = cp.GetList(list_key);
    std::vector<std::string> times = cp.GetList("kt");
    times.resize(ids.size(), created);  // a checkpoint from before creation times were kept
    ids.push_back(id);
    times.push_back(created);
    cp.SetList(list_key, ids).SetList("kt", times).SetInt("n", 0);
  }
  return herald::Outcome::Continue(host_.NowMs() + (list_key == "c" ? PollDelayMs(0) : 0),
                                   cp.Encode());
}

herald::Outcome InstagramConnector::CreateChild(const herald::Post& post, const std::string& token,
                                                Checkpoint cp) {
  size_t index = cp.GetList("kids").size();
  herald::Media m = post.media(index);
  Params form{{"is_carousel_item", "true"}};
  if (m.kind() == herald::MediaKind::kVideo) {
    form.emplace_back("media_type", "VIDEO");
    form.emplace_back("video_url", std::string(*m.public_url()));
  } else {
    form.emplace_back("image_url", std::string(*m.public_url()));
  }
  return CreateContainer(std::move(form), token, std::move(cp), "kids",
                         "creating carousel item " + std::to_string(index + 1));
}

herald::Outcome InstagramConnector::CreateMain(const herald::Post& post, const std::string& token,
                                               Checkpoint cp) {
  const std::string kind = cp.Get("kind");
  Params form;
  if (kind == "CAROUSEL") {
    form.emplace_back("media_type", "CAROUSEL");
    form.emplace_back("children", cp.Get("kids"));
  } else {
    herald::Media m = post.media(0);
    bool video = m.kind() == herald::MediaKind::kVideo;
    if (kind == "REELS") {
      if (!video) return herald::Outcome::Failed("a reel needs a video");
      form.emplace_back("media_type", "REELS");
      form.emplace_back("share_to_feed", "true");
    } else if (kind == "STORIES") {
      form.emplace_back("media_type", "STORIES");
    } else if (video) {
      return herald::Outcome::Failed("a single video is published as a reel");
    }
    form.emplace_back(video ? "video_url" : "image_url", std::string(*m.public_url()));
  }
  // Stories take no caption.
  if (kind != "STORIES" && !post.text().empty())
    form.emplace_back("caption", std::string(post.text()));
  return CreateContainer(std::move(form), token, std::move(cp), "c",
                         "creating the " + kind + " container");
}

herald::Outcome InstagramConnector::Wait(const herald::Post& post, const std::string& token,
                                         Checkpoint cp) {
  const bool main = !cp.Get("c").empty();
  std::vector<std::string> ids = main ? std::vector<std::string>{cp.Get("c")} : cp.GetList("kids");
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string& id = ids[i];
    std::string what = "checking container " + id;
    herald::HttpResult r = graph_.Get(id, {{"fields", "status_code,status"}}, token);
    if (!r.ok()) return FromTransport(r.error(), Effect::kRead, what);
    if (auto e = ParseGraphError(r.response())) {
      return ClassifyGraphError(*e, r.response(), host_.NowMs(), what);
    }
    std::string detail;
    ContainerStatus s = ParseContainerStatus(r.response().body, &detail);
    switch (s) {
      case ContainerStatus::kFinished:
        continue;
      case ContainerStatus::kInProgress: {
        int64_t n = cp.GetInt("n", 0);
        if (std::optional<herald::Outcome> late = PastDeadline(cp, main, i, "IN_PROGRESS")) {
          return *late;
        }
        cp.SetInt("n", n + 1);
        return herald::Outcome::Continue(host_.NowMs() + PollDelayMs(n + 1), cp.Encode());
      }
      case ContainerStatus::kError:
        return herald::Outcome::Failed("Instagram could not process the medium: " + detail);
      case ContainerStatus::kExpired: {
        // Never published, so starting over cannot duplicate the post.
        host_.Warn("container " + id + " expired before publication; creating new containers");
        return herald::Outcome::Continue(host_.NowMs(),
                                         Checkpoint().Set("kind", cp.Get("kind")).Encode());
      }
      case ContainerStatus::kPublished:
        if (main) {
          return herald::Outcome::Unknown(
              "container " + id + " is already published but its media id was not recorded");
        }
        return herald::Outcome::Failed("carousel item " + id + " is in an unexpected state " +
                                       StatusName(s));
      case ContainerStatus::kUnreadable:
        return herald::Outcome::Retry(0, what + ": unreadable status");
    }
  }
  if (!main) return CreateMain(post, token, cp);
  return Publish(token, cp);
}

std::optional<herald::Outcome> InstagramConnector::PastDeadline(Checkpoint& cp, bool main,
                                                                size_t index,
                                                                std::string_view state) {
  const int64_t now = host_.NowMs();
  int64_t created = -1;
  std::string id;
  if (main) {
    id = cp.Get("c");
    created = cp.GetInt("ct", -1);
    // A checkpoint from before creation times were kept: count from now.
    if (created < 0) cp.SetInt("ct", created = now);
  } else {
    std::vector<std::string> kids = cp.GetList("kids");
    std::vector<std::string> times = cp.GetList("kt");
    id = index < kids.size() ? kids[index] : std::string();
    if (index < times.size()) created = std::atoll(times[index].c_str());
    if (created <= 0) {
      times.resize(std::max(times.size(), kids.size()), std::to_string(now));
      cp.SetList("kt", times);
      created = now;
    }
  }
  if (now - created < container_deadline_ms_) return std::nullopt;
  return herald::Outcome::Failed(
      "container " + id + " was still " + std::string(state) + " " +
      std::to_string((now - created) / 60'000) +
      " minutes after it was created (the deadline, "
      "settings.container_deadline_minutes, is " +
      std::to_string(container_deadline_ms_ / 60'000) +
      "); it is never published, so posting again later cannot duplicate it");
}

herald::Outcome InstagramConnector::Publish(const std::string& token, Checkpoint cp) {
  const char* what = "publishing the container";
  herald::HttpResult r =
      graph_.Post(ig_user_id_ + "/media_publish", {{"creation_id", cp.Get("c")}}, token);
  if (!r.ok()) return FromTransport(r.error(), Effect::kCreatesPost, what);
  if (auto e = ParseGraphError(r.response())) {
    if (e->code == 9007 && e->subcode == 2207027) {  // not ready yet
      if (std::optional<herald::Outcome> late = PastDeadline(cp, true, 0, "not ready to publish")) {
        return *late;
      }
      int64_t n = cp.GetInt("n", 0);
      cp.SetInt("n", n + 1);
      return herald::Outcome::Continue(host_.NowMs() + PollDelayMs(n + 1), cp.Encode());
    }
    if (e->code == 9 && e->subcode == 2207042) {  // the daily publishing cap
      return herald::Outcome::Retry(host_.NowMs() + kQuotaRetryMs,
                                    "content publishing limit reached: " + e->message)
          .WithHttpStatus(e->http_status)
          .WithPlatformCode(e->CodeText());
    }
    return ClassifyGraphError(*e, r.response(), host_.NowMs(), what);
  }
  std::optional<web::json::value> b = ParseJson(r.response().body);
  std::string media_id = b ? JsonString(*b, "id") : std::string();
  if (media_id.empty())
    return herald::Outcome::Unknown("media_publish answered without a media id");
  std::string permalink;
  herald::HttpResult p = graph_.Get(media_id, {{"fields", "permalink"}}, token);
  if (p.ok() && !ParseGraphError(p.response())) {
    if (auto pb = ParseJson(p.response().body)) permalink = JsonString(*pb, "permalink");
  }
  return herald::Outcome::Published(media_id, permalink);
}

herald::FindResult InstagramConnector::Find(const herald::Post& post) {
  if (ig_user_id_.empty())
    return herald::FindResult::CannotTell("account setting ig_user_id is missing");
  std::string problem;
  std::optional<std::string> token = AccessToken(&problem);
  if (!token) return herald::FindResult::CannotTell(problem);
  const bool story = KindOf(post) == "STORIES";
  const std::string expected(post.text());
  if (!story && expected.empty()) {
    return herald::FindResult::CannotTell("a post without caption cannot be recognised");
  }
  const int64_t window_start = post.due_ms() - kFindSkewMs;
  std::string after;
  for (int page = 0; page < kFindPages; ++page) {
    Params q{{"fields", "id,caption,timestamp,permalink"}, {"limit", "50"}};
    if (!after.empty()) q.emplace_back("after", after);
    herald::HttpResult r =
        graph_.Get(ig_user_id_ + (story ? "/stories" : "/media"), std::move(q), *token);
    if (!r.ok())
      return herald::FindResult::CannotTell("listing recent media: " + r.error().message);
    if (auto e = ParseGraphError(r.response())) {
      return herald::FindResult::CannotTell("listing recent media: " + e->message);
    }
    std::optional<MediaListing> listing = ParseMediaListing(r.response().body);
    if (!listing) return herald::FindResult::CannotTell("unreadable listing of recent media");
    for (const ListedMedia& m : listing->media) {
      if (m.timestamp_ms < window_start) {
        return herald::FindResult::NotFound("no media with this caption since the job was due");
      }
      // Stories carry no caption: one in the window may or may not be ours.
      if (story)
        return herald::FindResult::CannotTell("a story was published since the job was due");
      if (m.caption == expected) return herald::FindResult::Found(m.id, m.permalink);
    }
    if (listing->next_after.empty()) {
      return herald::FindResult::NotFound("no media with this caption on the account");
    }
    after = listing->next_after;
  }
  return herald::FindResult::CannotTell("too many media since the job was due to search them all");
}

std::string InstagramConnector::Metrics(const std::vector<std::string>& remote_ids) {
  std::string problem;
  std::optional<std::string> token = AccessToken(&problem);
  if (!token) throw herald::PluginError(HERALD_ERR_NOT_FOUND, problem);
  std::string out = "{";
  bool first = true;
  for (const std::string& id : remote_ids) {
    herald::HttpResult r = graph_.Get(id, {{"fields", "id,like_count,comments_count"}}, *token);
    if (!r.ok())
      throw herald::PluginError(HERALD_ERR_INTERNAL, "reading metrics: " + r.error().message);
    if (auto e = ParseGraphError(r.response())) {
      if (e->code == 100) continue;
      throw herald::PluginError(HERALD_ERR_INTERNAL, "reading metrics: " + e->message);
    }
    std::string fields = r.response().body;
    std::string insights;
    herald::HttpResult i =
        graph_.Get(id + "/insights", {{"metric", "reach,saved,shares,views"}}, *token);
    if (i.ok() && !ParseGraphError(i.response())) insights = i.response().body;
    std::optional<std::string> counters = ParseMediaMetrics(fields, insights);
    if (!counters) continue;
    if (!first) out += ",";
    first = false;
    out += herald::JsonQuote(id) + ":" + *counters;
  }
  return out + "}";
}

}  // namespace herald::connectors::instagram
