// The Instagram content-publishing part of the Graph API: media containers
// (image, REELS, CAROUSEL, STORIES) that download their media and move
// IN_PROGRESS -> FINISHED, media_publish, media listing and fields, insights
// and content_publishing_limit.
#include <algorithm>

#include "sandbox/engagement.h"
#include "sandbox/graph_common.h"
#include "sandbox/platform_errors.h"
#include "sandbox/platforms.h"

namespace herald::sandbox {

namespace {

using web::json::value;

constexpr size_t kMaxCaptionChars = 2200;
constexpr int kMaxHashtags = 30;

HttpResponse IgError(int code, int subcode, const std::string& message) {
  return GraphError(400, code, subcode, "OAuthException", message);
}

ContainerState StateOf(const EmulatorContext& ctx, const Container& c) {
  if (!c.media_id.empty()) return ContainerState::kPublished;
  if (!c.error_status.empty()) return ContainerState::kError;
  if (ctx.now >= c.created + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                 std::chrono::duration<double, std::ratio<3600>>(
                                     ctx.config.instagram_container_expiry_hours))) {
    return ContainerState::kExpired;
  }
  if (c.stuck || ctx.now < c.ready_at) return ContainerState::kInProgress;
  return ContainerState::kFinished;
}

int PublishedToday(const EmulatorContext& ctx, const std::string& account_id) {
  int count = 0;
  for (const Post* post : ctx.store.PostsOf(account_id)) {
    if (ctx.now - post->created < std::chrono::hours(24)) ++count;
  }
  return count;
}

// Downloads the container's media with the lock released, like the platform
// fetching image_url/video_url; returns the error status text, "" when fine.
struct FetchOutcome {
  std::optional<HttpResponse> reject;  // image problems are reported at creation
  std::string video_error;             // video problems put the container in ERROR
};

FetchOutcome FetchMedia(EmulatorContext& ctx, const std::string& url, bool video) {
  int64_t max_bytes = video ? ctx.config.max_video_bytes : ctx.config.max_image_bytes;
  ctx.lock.unlock();
  Result<FetchedMedia> fetched = ctx.fetcher.Fetch(url, max_bytes);
  ctx.lock.lock();
  FetchOutcome out;
  if (!fetched) {
    const Error& e = fetched.error();
    if (video) {
      out.video_error = "ERROR: 2207052 The media could not be fetched from this uri: " + url;
    } else if (e.code() == ErrorCode::kUnavailable &&
               e.message().find("timed out") != std::string::npos) {
      out.reject = IgError(-2, 2207003, "It takes too long to download the media.");
    } else if (e.code() == ErrorCode::kInvalidArgument &&
               e.message().find("larger") != std::string::npos) {
      out.reject = IgError(36000, 2207004, "The image size is too large.");
    } else {
      out.reject = IgError(9004, 2207052,
                           "Only photo or video can be accepted as media type. The media could "
                           "not be fetched from this uri: " +
                               url);
    }
    return out;
  }
  if (video && fetched->type != MediaType::kMp4 && fetched->type != MediaType::kQuickTime) {
    out.video_error = "ERROR: 2207026 Unsupported video format (" +
                      std::string(MediaTypeName(fetched->type)) + ")";
  } else if (!video && fetched->type != MediaType::kJpeg) {
    out.reject = IgError(36001, 2207005,
                         std::string("The image format is not supported: ") +
                             MediaTypeName(fetched->type) + "; only JPEG is accepted.");
  }
  return out;
}

HttpResponse CreateContainer(const HttpRequest& request, EmulatorContext& ctx,
                             const AccountConfig& account) {
  std::string media_type = request.Param("media_type");
  std::string image_url = request.Param("image_url");
  std::string video_url = request.Param("video_url");
  std::string caption = request.Param("caption");
  bool carousel_item = request.Param("is_carousel_item") == "true";
  if (caption.size() > kMaxCaptionChars) {
    return IgError(100, 2207010, "The caption is longer than 2200 characters.");
  }
  if (std::count(caption.begin(), caption.end(), '#') > kMaxHashtags) {
    return IgError(100, 2207010, "The caption has more than 30 hashtags.");
  }
  Container c;
  c.account_id = account.id;
  c.caption = caption;
  c.is_carousel_item = carousel_item;
  std::string media_url;
  bool video = false;
  if (media_type == "CAROUSEL") {
    std::vector<std::string> children = SplitCommas(request.Param("children"));
    if (children.size() < 2 || children.size() > 10) {
      return IgError(100, 2207028, "A carousel needs between 2 and 10 children.");
    }
    for (const std::string& child : children) {
      auto it = ctx.store.containers.find(child);
      if (it == ctx.store.containers.end() || it->second.account_id != account.id ||
          !it->second.is_carousel_item) {
        return IgError(
            100, 2207028,
            "Carousel child " + child + " is not a carousel item container of this account.");
      }
      if (StateOf(ctx, it->second) != ContainerState::kFinished) {
        return IgError(9007, 2207027,
                       "Carousel child " + child + " is not ready (status " +
                           ContainerStateName(StateOf(ctx, it->second)) + ").");
      }
      c.media_url = it->second.media_url;
    }
    c.children = children;
  } else if (media_type == "REELS" || media_type == "STORIES" || media_type.empty() ||
             (media_type == "VIDEO" && carousel_item) || (media_type == "IMAGE" && carousel_item)) {
    video = !video_url.empty();
    if (media_type == "REELS" && video_url.empty()) {
      return GraphParamError("The parameter video_url is required.");
    }
    if (media_type.empty() && image_url.empty()) {
      return GraphParamError("The parameter image_url is required.");
    }
    if (media_type == "STORIES" && image_url.empty() && video_url.empty()) {
      return GraphParamError("The parameter image_url or video_url is required.");
    }
    media_url = video ? video_url : image_url;
  } else if (media_type == "VIDEO") {
    return IgError(100, 2207023,
                   "The VIDEO media type is no longer supported; use REELS to publish videos.");
  } else {
    return IgError(100, 2207023, "The media type " + media_type + " is unknown.");
  }
  if (!media_url.empty()) {
    FetchOutcome fetched = FetchMedia(ctx, media_url, video);
    if (fetched.reject) return *fetched.reject;
    c.error_status = fetched.video_error;
    c.media_url = media_url;
  }
  c.media_type = media_type.empty() ? (carousel_item ? "IMAGE" : "IMAGE") : media_type;
  if (video && media_type.empty()) c.media_type = "VIDEO";
  c.id = ctx.store.NextNumericId(17);
  c.created = ctx.now;
  c.ready_at = ctx.now + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                             std::chrono::duration<double>(ctx.config.instagram_container_seconds));
  if (ctx.fault && ctx.fault->kind == FaultKind::kContainerError) {
    c.error_status = "ERROR: 2207053 unknown upload error";
  }
  if (ctx.fault && ctx.fault->kind == FaultKind::kContainerStuck) c.stuck = true;
  ctx.store.containers[c.id] = c;
  value body = value::object();
  body["id"] = JsonStr(c.id);
  return HttpResponse::Json(200, body);
}

HttpResponse Publish(const HttpRequest& request, EmulatorContext& ctx, const AccountConfig& account,
                     const std::string& version) {
  std::string creation_id = request.Param("creation_id");
  if (creation_id.empty()) return GraphParamError("The parameter creation_id is required.");
  auto it = ctx.store.containers.find(creation_id);
  if (it == ctx.store.containers.end() || it->second.account_id != account.id) {
    return IgError(24, 2207006, "The media with id " + creation_id + " cannot be found.");
  }
  Container& c = it->second;
  switch (StateOf(ctx, c)) {
    case ContainerState::kInProgress:
      return IgError(9007, 2207027,
                     "Media ID is not available: the media is not ready for publishing, please "
                     "wait for a moment.");
    case ContainerState::kError:
      return IgError(-1, 2207032,
                     "Create media fail, please try to re-create media (" + c.error_status + ")");
    case ContainerState::kExpired:
      return IgError(-2, 2207020,
                     "The media you are trying to access has expired. Please try to upload again.");
    case ContainerState::kPublished:
      return IgError(9007, 2207027,
                     "Media ID is not available: it was already published as " + c.media_id + ".");
    case ContainerState::kFinished:
      break;
  }
  if (c.is_carousel_item) {
    return IgError(100, 2207028, "A carousel item cannot be published on its own.");
  }
  if (ctx.config.instagram_posts_per_day > 0 &&
      PublishedToday(ctx, account.id) >= ctx.config.instagram_posts_per_day) {
    return IgError(9, 2207042,
                   "You reached maximum number of posts that is allowed to be published by "
                   "Content Publishing API.");
  }
  Post post;
  post.id = ctx.store.NextNumericId(17);
  post.account_id = account.id;
  post.platform = Platform::kInstagram;
  post.kind = c.media_type == "CAROUSEL" ? "CAROUSEL_ALBUM" : c.media_type;
  post.text = c.caption;
  if (c.children.empty()) {
    post.media_urls = {c.media_url};
  } else {
    for (const std::string& child : c.children) {
      post.media_urls.push_back(ctx.store.containers[child].media_url);
    }
  }
  post.api_version = version;
  post.created = ctx.now;
  post.permalink = ctx.base_url + "/#ig-" + post.id;
  c.media_id = post.id;
  value body = value::object();
  body["id"] = JsonStr(post.id);
  ctx.store.AddPost(std::move(post));
  return HttpResponse::Json(200, body);
}

value MediaJson(EmulatorContext& ctx, const Post& post, const std::string& fields_param) {
  std::string fields = fields_param.empty() ? "id" : fields_param;
  Engagement e = EngagementAt(ctx.config, post.id, post.created, ctx.now);
  const AccountConfig* account = ctx.config.FindAccount(post.account_id);
  value out = value::object();
  for (const GraphField& field : ParseFields(fields)) {
    const std::string& f = field.name;
    if (f == "id") out["id"] = JsonStr(post.id);
    if (f == "caption" && !post.text.empty()) out["caption"] = JsonStr(post.text);
    if (f == "media_type") {
      out["media_type"] =
          JsonStr(post.kind == "REELS" || post.kind == "VIDEO" ? "VIDEO"
                  : post.kind == "STORIES" ? (post.media_urls.empty() ? "IMAGE" : "IMAGE")
                                           : post.kind);
    }
    if (f == "media_product_type") {
      out[f] = JsonStr(post.kind == "REELS" ? "REELS" : post.kind == "STORIES" ? "STORY" : "FEED");
    }
    if (f == "media_url" && !post.media_urls.empty()) out[f] = JsonStr(post.media_urls.front());
    if (f == "permalink") out[f] = JsonStr(post.permalink);
    if (f == "timestamp") out[f] = JsonStr(GraphTime(post.created));
    if (f == "like_count") out[f] = value::number(e.likes);
    if (f == "comments_count") out[f] = value::number(e.comments);
    if (f == "username" && account) out[f] = JsonStr(account->name);
  }
  return out;
}

HttpResponse Insights(const HttpRequest& request, EmulatorContext& ctx, const Post& post) {
  // impressions and plays were deprecated in v22.0 (all versions since 2025-04-21).
  static const std::vector<std::string> known = {"reach", "likes", "comments",          "shares",
                                                 "saved", "views", "total_interactions"};
  std::vector<std::string> metrics = SplitCommas(request.Param("metric"));
  if (metrics.empty()) return GraphParamError("The parameter metric is required.");
  Engagement e = EngagementAt(ctx.config, post.id, post.created, ctx.now);
  value data = value::array();
  size_t i = 0;
  for (const std::string& metric : metrics) {
    if (std::find(known.begin(), known.end(), metric) == known.end()) {
      return GraphParamError("metric[" + std::to_string(i) +
                                 "] must be one of the following values: reach, likes, comments, "
                                 "shares, saved, views, total_interactions",
                             2108006);
    }
    int64_t number = metric == "reach"                ? e.reach
                     : metric == "likes"              ? e.likes
                     : metric == "comments"           ? e.comments
                     : metric == "shares"             ? e.shares
                     : metric == "saved"              ? e.saved
                     : metric == "total_interactions" ? e.likes + e.comments + e.shares + e.saved
                                                      : e.views;
    value item = value::object();
    item["name"] = JsonStr(metric);
    item["period"] = JsonStr("lifetime");
    value v = value::object();
    v["value"] = value::number(number);
    item["values"] = value::array({v});
    item["id"] = JsonStr(post.id + "/insights/" + metric + "/lifetime");
    data[i++] = item;
  }
  value body = value::object();
  body["data"] = data;
  return HttpResponse::Json(200, body);
}

HttpResponse ListMedia(const HttpRequest& request, EmulatorContext& ctx,
                       const AccountConfig& account, bool stories) {
  std::vector<const Post*> posts;
  for (const Post* post : ctx.store.PostsOf(account.id)) {
    if ((post->kind == "STORIES") == stories) posts.push_back(post);
  }
  return GraphPage(request, ctx, posts.size(),
                   [&](size_t i) { return MediaJson(ctx, *posts[i], request.Param("fields")); });
}

}  // namespace

HttpResponse HandleInstagram(const HttpRequest& request, EmulatorContext& ctx,
                             const std::vector<std::string>& segments, const std::string& version) {
  const std::string& id = segments[0];
  const AccountConfig* account = ctx.config.FindAccount(id);
  auto container = ctx.store.containers.find(id);
  const Post* media = ctx.store.FindPost(id);
  std::string owner = account                                   ? account->id
                      : container != ctx.store.containers.end() ? container->second.account_id
                      : media                                   ? media->account_id
                                                                : "";
  if (owner.empty()) return GraphUnknownObject(id);
  if (auto denied = CheckGraphAccess(request, ctx, owner)) return *denied;
  std::string edge = segments.size() > 1 ? segments[1] : "";
  HttpResponse response = [&]() -> HttpResponse {
    if (segments.size() > 2) return GraphUnknownObject(id);
    if (account) {
      if (edge == "media" && request.method == "POST")
        return CreateContainer(request, ctx, *account);
      if (edge == "media_publish" && request.method == "POST")
        return Publish(request, ctx, *account, version);
      if (edge == "media" && request.method == "GET")
        return ListMedia(request, ctx, *account, false);
      if (edge == "stories" && request.method == "GET")
        return ListMedia(request, ctx, *account, true);
      if (edge == "content_publishing_limit" && request.method == "GET") {
        value config = value::object();
        config["quota_total"] = value::number(ctx.config.instagram_posts_per_day);
        config["quota_duration"] = value::number(86400);
        value item = value::object();
        item["quota_usage"] = value::number(PublishedToday(ctx, account->id));
        item["config"] = config;
        value body = value::object();
        body["data"] = value::array({item});
        return HttpResponse::Json(200, body);
      }
      if (edge.empty() && request.method == "GET") {
        value body = value::object();
        body["id"] = JsonStr(account->id);
        body["username"] = JsonStr(account->name);
        body["media_count"] =
            value::number(static_cast<int64_t>(ctx.store.PostsOf(account->id).size()));
        return HttpResponse::Json(200, body);
      }
    } else if (container != ctx.store.containers.end() && edge.empty() && request.method == "GET") {
      const Container& c = container->second;
      ContainerState state = StateOf(ctx, c);
      value body = value::object();
      body["id"] = JsonStr(c.id);
      for (const GraphField& field : ParseFields(request.Param("fields"))) {
        if (field.name == "status_code") body["status_code"] = JsonStr(ContainerStateName(state));
        if (field.name == "status") {
          body["status"] =
              JsonStr(state == ContainerState::kError ? c.error_status
                      : state == ContainerState::kFinished
                          ? "Finished: Media has been uploaded and it is ready to be published."
                      : state == ContainerState::kInProgress
                          ? "In Progress: Media is still being processed."
                      : state == ContainerState::kExpired
                          ? "Expired: The container was not published within 24 hours."
                          : "Published: Media has been published.");
        }
      }
      return HttpResponse::Json(200, body);
    } else if (media) {
      if (edge.empty() && request.method == "GET") {
        return HttpResponse::Json(200, MediaJson(ctx, *media, request.Param("fields")));
      }
      if (edge == "insights" && request.method == "GET") return Insights(request, ctx, *media);
    }
    return GraphError(400, 100, 0, "OAuthException",
                      "(#100) Unknown edge or method: " + request.method + " /" + id + "/" + edge);
  }();
  AddUsage(response, ctx, owner);
  return response;
}

}  // namespace herald::sandbox
