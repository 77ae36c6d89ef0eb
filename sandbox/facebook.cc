// The Facebook Pages part of the Graph API: feed, photos, videos (published
// from a Resumable Upload API file handle, resumable_upload.cc, or in one go
// from file_url/source), published_posts and the Page's videos, and reading
// posts with likes/comments/shares summaries and insights.
#include <algorithm>

#include "sandbox/engagement.h"
#include "sandbox/graph_common.h"
#include "sandbox/platform_errors.h"
#include "sandbox/platforms.h"

namespace herald::sandbox {

namespace {

using web::json::value;

constexpr size_t kMaxMessageChars = 63206;  // the longest Facebook post text

bool IsHttpUrl(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

std::string PostPermalink(const EmulatorContext& ctx, const Post& post) {
  return ctx.base_url + "/#post-" + post.id;
}

value Summary(int64_t total, const char* can_key) {
  value summary = value::object();
  summary["total_count"] = value::number(total);
  summary[can_key] = value::boolean(true);
  value out = value::object();
  out["data"] = value::array();
  out["summary"] = summary;
  return out;
}

value InsightsValue(const std::string& object_id, const std::vector<std::string>& metrics,
                    const Engagement& e) {
  value data = value::array();
  size_t i = 0;
  for (const std::string& metric : metrics) {
    int64_t number = 0;
    if (metric == "post_impressions" || metric == "post_impressions_unique") {
      number = metric == "post_impressions" ? e.views : e.reach;
    } else if (metric == "post_engaged_users" || metric == "post_clicks") {
      number = e.likes + e.comments + e.shares;
    } else if (metric == "post_reactions_like_total") {
      number = e.likes;
    } else {
      continue;
    }
    value item = value::object();
    item["name"] = JsonStr(metric);
    item["period"] = JsonStr("lifetime");
    value v = value::object();
    v["value"] = value::number(number);
    item["values"] = value::array({v});
    item["id"] = JsonStr(object_id + "/insights/" + metric + "/lifetime");
    data[i++] = item;
  }
  value out = value::object();
  out["data"] = data;
  return out;
}

const std::vector<std::string>& KnownPostMetrics() {
  static const std::vector<std::string> metrics = {"post_impressions", "post_impressions_unique",
                                                   "post_engaged_users", "post_clicks",
                                                   "post_reactions_like_total"};
  return metrics;
}

value PostJson(EmulatorContext& ctx, const Post& post, const std::string& fields_param) {
  std::string fields = fields_param.empty() ? "created_time,message,id" : fields_param;
  Engagement e = EngagementAt(ctx.config, post.id, post.created, ctx.now);
  value out = value::object();
  for (const GraphField& field : ParseFields(fields)) {
    const std::string& f = field.name;
    if (f == "id") {
      out["id"] = JsonStr(post.id);
    } else if (f == "message" && !post.text.empty()) {
      out["message"] = JsonStr(post.text);
    } else if (f == "description" && post.kind == "video" && !post.text.empty()) {
      out["description"] = JsonStr(post.text);
    } else if (f == "title" && post.kind == "video" && !post.title.empty()) {
      out["title"] = JsonStr(post.title);
    } else if (f == "created_time" || f == "updated_time") {
      out[f] = JsonStr(GraphTime(post.created));
    } else if (f == "permalink_url") {
      out["permalink_url"] = JsonStr(PostPermalink(ctx, post));
    } else if (f == "full_picture" && !post.media_urls.empty()) {
      out["full_picture"] = JsonStr(post.media_urls.front());
    } else if (f == "status_type") {
      out["status_type"] = JsonStr(post.kind == "photo" || post.kind == "album" ? "added_photos"
                                   : post.kind == "video"                       ? "added_video"
                                   : post.kind == "link"                        ? "shared_story"
                                                         : "mobile_status_update");
    } else if (f == "is_published") {
      out["is_published"] = value::boolean(true);
    } else if (f == "likes") {
      out["likes"] = Summary(e.likes, "can_like");
    } else if (f == "comments") {
      out["comments"] = Summary(e.comments, "can_comment");
    } else if (f == "shares" && e.shares > 0) {  // the Graph API omits shares at zero
      value shares = value::object();
      shares["count"] = value::number(e.shares);
      out["shares"] = shares;
    } else if (f == "insights") {
      std::vector<std::string> metrics = ModifierList(field.modifiers, "metric");
      out["insights"] = InsightsValue(post.id, metrics.empty() ? KnownPostMetrics() : metrics, e);
    } else if (f == "attachments" && !post.media_urls.empty()) {
      value data = value::array();
      for (size_t i = 0; i < post.media_urls.size(); ++i) {
        value media = value::object();
        value image = value::object();
        image["src"] = JsonStr(post.media_urls[i]);
        media["image"] = image;
        value attachment = value::object();
        attachment["media"] = media;
        attachment["type"] = JsonStr("photo");
        data[i] = attachment;
      }
      value attachments = value::object();
      attachments["data"] = data;
      out["attachments"] = attachments;
    }
  }
  return out;
}

// attached_media arrives as attached_media[0]={"media_fbid":"1"}, ... or as
// one JSON array; returns the photo ids in order.
Result<std::vector<std::string>> AttachedMedia(const HttpRequest& request) {
  std::vector<std::string> raw;
  if (request.HasParam("attached_media")) {
    std::error_code error;
    value parsed = value::parse(request.Param("attached_media"), error);
    if (error || !parsed.is_array()) {
      return Error(ErrorCode::kInvalidArgument, "attached_media must be an array");
    }
    for (const value& item : parsed.as_array()) raw.push_back(item.serialize());
  }
  for (int i = 0; i < 100; ++i) {
    std::string key = "attached_media[" + std::to_string(i) + "]";
    if (!request.HasParam(key)) break;
    raw.push_back(request.Param(key));
  }
  std::vector<std::string> ids;
  for (const std::string& text : raw) {
    std::error_code error;
    value item = value::parse(text, error);
    if (error || !item.is_object() || JsonString(item, "media_fbid").empty()) {
      return Error(ErrorCode::kInvalidArgument, "each attached_media item needs a media_fbid");
    }
    ids.push_back(JsonString(item, "media_fbid"));
  }
  return ids;
}

HttpResponse CreateFeedPost(const HttpRequest& request, EmulatorContext& ctx,
                            const AccountConfig& page, const std::string& version) {
  std::string message = request.Param("message");
  std::string link = request.Param("link");
  Result<std::vector<std::string>> attached = AttachedMedia(request);
  if (!attached) return GraphParamError(attached.error().message());
  if (message.empty() && link.empty() && attached->empty()) {
    return GraphParamError("Missing message or attachment.");
  }
  if (message.size() > kMaxMessageChars) {
    return GraphParamError("Param message must be at most 63206 characters long.");
  }
  if (!link.empty() && !IsHttpUrl(link)) return GraphParamError("Param link must be a valid URL.");
  if (request.Param("published") == "false" || request.HasParam("scheduled_publish_time")) {
    return GraphError(400, 100, 0, "OAuthException",
                      "(#100) herald-sandbox does not emulate unpublished or scheduled feed posts");
  }
  std::vector<std::string> urls;
  for (const std::string& id : *attached) {
    auto photo = ctx.store.photos.find(id);
    if (photo == ctx.store.photos.end() || photo->second.page_id != page.id ||
        photo->second.published || !photo->second.post_id.empty()) {
      return GraphParamError("Param attached_media[" + id +
                             "] must be an unpublished photo of this page that is not yet used.");
    }
    urls.push_back(photo->second.url);
  }
  Post post;
  post.id = page.id + "_" + ctx.store.NextNumericId(15);
  post.account_id = page.id;
  post.platform = Platform::kFacebook;
  post.kind = !attached->empty() ? (attached->size() > 1 ? "album" : "photo")
              : link.empty()     ? "status"
                                 : "link";
  post.text = message;
  post.link = link;
  post.media_urls = urls;
  post.api_version = version;
  post.created = ctx.now;
  post.permalink = PostPermalink(ctx, post);
  for (const std::string& id : *attached) ctx.store.photos[id].post_id = post.id;
  value body = value::object();
  body["id"] = JsonStr(post.id);
  ctx.store.AddPost(std::move(post));
  return HttpResponse::Json(200, body);
}

HttpResponse CreatePhoto(const HttpRequest& request, EmulatorContext& ctx,
                         const AccountConfig& page, const std::string& version) {
  std::string url = request.Param("url");
  auto source = request.files.find("source");
  if (url.empty() && source == request.files.end()) {
    return GraphError(400, 324, 2069019, "OAuthException", "(#324) Requires upload file");
  }
  if (!url.empty() && !IsHttpUrl(url)) return GraphParamError("Param url must be a valid URL.");
  if (source != request.files.end()) {
    MediaType type = SniffMediaType(source->second.data);
    if (type == MediaType::kUnknown || type == MediaType::kMp4 || type == MediaType::kQuickTime) {
      return GraphError(400, 324, 2069019, "OAuthException",
                        "(#324) Missing or invalid image file");
    }
    url = ctx.base_url + "/_sandbox/uploads/" + UrlEncode(source->second.filename);
  }
  std::string message =
      request.HasParam("message") ? request.Param("message") : request.Param("caption");
  bool published = request.Param("published") != "false";
  Photo photo;
  photo.id = ctx.store.NextNumericId(15);
  photo.page_id = page.id;
  photo.url = url;
  photo.published = published;
  value body = value::object();
  body["id"] = JsonStr(photo.id);
  if (published) {
    Post post;
    post.id = page.id + "_" + photo.id;
    post.account_id = page.id;
    post.platform = Platform::kFacebook;
    post.kind = "photo";
    post.text = message;
    post.media_urls = {url};
    post.api_version = version;
    post.created = ctx.now;
    post.permalink = PostPermalink(ctx, post);
    photo.post_id = post.id;
    body["post_id"] = JsonStr(post.id);
    ctx.store.AddPost(std::move(post));
  }
  ctx.store.photos[photo.id] = photo;
  return HttpResponse::Json(200, body);
}

std::string PublishVideo(EmulatorContext& ctx, const AccountConfig& page,
                         const std::string& version, const std::string& title,
                         const std::string& description, int64_t bytes) {
  Post post;
  post.id = ctx.store.NextNumericId(15);
  post.account_id = page.id;
  post.platform = Platform::kFacebook;
  post.kind = "video";
  post.title = title;
  post.text = description;
  post.api_version = version;
  post.bytes = bytes;
  post.created = ctx.now;
  post.permalink = PostPermalink(ctx, post);
  std::string id = post.id;
  ctx.store.AddPost(std::move(post));
  return id;
}

// POST /{page-id}/videos: the Video API's publishing guide sends a file
// handle of the Resumable Upload API (fbuploader_video_file_chunk) with title
// and description; file_url and source (one request) are accepted too. Each
// accepted request publishes a video: repeating it publishes another.
HttpResponse Videos(const HttpRequest& request, EmulatorContext& ctx, const AccountConfig& page,
                    const std::string& version) {
  if (request.HasParam("upload_phase")) {
    return GraphParamError(
        "upload_phase is not emulated: herald-sandbox follows the Video API's publishing guide "
        "(a Resumable Upload API handle in fbuploader_video_file_chunk).");
  }
  int64_t bytes = 0;
  if (request.HasParam("fbuploader_video_file_chunk")) {
    auto handle = ctx.store.upload_handles.find(request.Param("fbuploader_video_file_chunk"));
    if (handle == ctx.store.upload_handles.end()) {
      return GraphParamError(
          "Invalid fbuploader_video_file_chunk: no uploaded file has this handle.");
    }
    const ResumableUpload& upload = ctx.store.resumable_uploads.at(handle->second);
    if (upload.account_id != page.id || upload.file_type != "video/mp4") {
      return GraphParamError(
          "The file handle is not an MP4 video uploaded with this Page's token.");
    }
    bytes = upload.total_bytes;
  } else {
    auto source = request.files.find("source");
    if (source == request.files.end() && request.Param("file_url").empty()) {
      return GraphParamError(
          "The parameter fbuploader_video_file_chunk, file_url or source is required.");
    }
    if (source != request.files.end()) bytes = static_cast<int64_t>(source->second.data.size());
  }
  value body = value::object();
  body["id"] = JsonStr(PublishVideo(ctx, page, version, request.Param("title"),
                                    request.Param("description"), bytes));
  return HttpResponse::Json(200, body);
}

HttpResponse PublishedPosts(const HttpRequest& request, EmulatorContext& ctx,
                            const AccountConfig& page, bool videos_only) {
  std::vector<const Post*> posts = ctx.store.PostsOf(page.id);
  if (videos_only) {
    posts.erase(std::remove_if(posts.begin(), posts.end(),
                               [](const Post* p) { return p->kind != "video"; }),
                posts.end());
  }
  return GraphPage(request, ctx, posts.size(),
                   [&](size_t i) { return PostJson(ctx, *posts[i], request.Param("fields")); });
}

}  // namespace

HttpResponse HandleFacebook(const HttpRequest& request, EmulatorContext& ctx,
                            const std::vector<std::string>& segments, const std::string& version) {
  const std::string& id = segments[0];
  const AccountConfig* page = ctx.config.FindAccount(id);
  const Post* post = page ? nullptr : ctx.store.FindPost(id);
  auto photo = ctx.store.photos.find(id);
  std::string owner = page                              ? page->id
                      : post                            ? post->account_id
                      : photo != ctx.store.photos.end() ? photo->second.page_id
                                                        : "";
  if (owner.empty()) return GraphUnknownObject(id);
  if (auto denied = CheckGraphAccess(request, ctx, owner)) return *denied;

  HttpResponse response = [&]() -> HttpResponse {
    std::string edge = segments.size() > 1 ? segments[1] : "";
    if (segments.size() > 2) return GraphUnknownObject(id);
    if (page) {
      if (edge.empty() && request.method == "GET") {
        value body = value::object();
        body["id"] = JsonStr(page->id);
        body["name"] = JsonStr(page->name);
        return HttpResponse::Json(200, body);
      }
      if (edge == "feed" && request.method == "POST")
        return CreateFeedPost(request, ctx, *page, version);
      if (edge == "photos" && request.method == "POST")
        return CreatePhoto(request, ctx, *page, version);
      if (edge == "videos" && request.method == "POST") return Videos(request, ctx, *page, version);
      if ((edge == "published_posts" || edge == "feed" || edge == "posts") &&
          request.method == "GET") {
        return PublishedPosts(request, ctx, *page, false);
      }
      if (edge == "videos" && request.method == "GET") {
        return PublishedPosts(request, ctx, *page, true);
      }
      return GraphError(
          400, 100, 0, "OAuthException",
          "(#100) Unknown edge or method: " + request.method + " /" + id + "/" + edge);
    }
    if (post && edge.empty() && request.method == "GET") {
      return HttpResponse::Json(200, PostJson(ctx, *post, request.Param("fields")));
    }
    if (post && edge == "insights" && request.method == "GET") {
      std::vector<std::string> metrics = SplitCommas(request.Param("metric"));
      for (const std::string& metric : metrics) {
        if (std::find(KnownPostMetrics().begin(), KnownPostMetrics().end(), metric) ==
            KnownPostMetrics().end()) {
          return GraphParamError("The value must be a valid insights metric", 2108006);
        }
      }
      Engagement e = EngagementAt(ctx.config, post->id, post->created, ctx.now);
      return HttpResponse::Json(
          200, InsightsValue(post->id, metrics.empty() ? KnownPostMetrics() : metrics, e));
    }
    if (!post && edge.empty() && request.method == "GET") {
      value body = value::object();
      body["id"] = JsonStr(photo->second.id);
      body["images"] = value::array({[&] {
        value image = value::object();
        image["source"] = JsonStr(photo->second.url);
        return image;
      }()});
      return HttpResponse::Json(200, body);
    }
    return GraphUnknownObject(id);
  }();
  AddUsage(response, ctx, owner);
  return response;
}

}  // namespace herald::sandbox
