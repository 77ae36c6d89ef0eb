#include "youtube/resumable_upload.h"

#include <algorithm>
#include <cstdlib>
#include <random>

#include "common/json_util.h"
#include "common/origin.h"
#include "common/transport.h"
#include "youtube/google_errors.h"
#include "youtube/quota_costs.h"
#include "youtube/thumbnail.h"

namespace herald::connectors::youtube {

namespace {

constexpr int64_t kChunkUnit = 256 * 1024;
constexpr int64_t kDefaultChunk = 8 * 1024 * 1024;
constexpr int kMaxTransientUploads = 6;

}  // namespace

std::optional<int64_t> AcknowledgedOffset(const herald::Response& r) {
  std::optional<std::string> range = r.HeaderValue("Range");
  if (!range) return 0;
  const std::string prefix = "bytes=0-";
  if (range->rfind(prefix, 0) != 0) return std::nullopt;
  std::string last = range->substr(prefix.size());
  if (last.empty() || last.size() > 18 ||
      !std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::atoll(last.c_str()) + 1;
}

std::string ParseVideoId(std::string_view body) {
  std::optional<web::json::value> v = ParseJson(body);
  if (!v || JsonString(*v, "kind") != "youtube#video") return {};
  return JsonString(*v, "id");
}

int64_t UploadChunkBytes(const std::string& setting) {
  if (setting.empty()) return kDefaultChunk;
  return std::max<int64_t>(kChunkUnit, std::atoll(setting.c_str()) / kChunkUnit * kChunkUnit);
}

VideoUpload::VideoUpload(herald::Host host, OAuthTokens& tokens, std::string base,
                         VideoDefaults defaults, int64_t chunk_bytes)
    : host_(host),
      tokens_(tokens),
      base_(std::move(base)),
      defaults_(std::move(defaults)),
      chunk_bytes_(chunk_bytes) {
  NewInstance();
}

void VideoUpload::NewInstance() {
  std::random_device rd;
  instance_ = std::to_string(rd()) + std::to_string(rd());
}

herald::Outcome VideoUpload::Step(const herald::Post& post,
                                  std::optional<std::string_view> checkpoint) {
  if (!checkpoint) return StartSession(post);
  std::optional<Checkpoint> cp = Checkpoint::Decode(*checkpoint);
  if (!cp) return herald::Outcome::Failed("unreadable checkpoint (not written by this connector)");
  if (IsThumbnailCheckpoint(*cp)) {
    return SetThumbnail(host_, tokens_, base_, MetaOf(post, defaults_).cover, *cp);
  }
  if (cp->Get("u").empty()) return StartSession(post);
  return UploadStep(post, *cp);
}

// Opening a session publishes nothing (the video exists only once every byte
// has arrived), so a lost answer here is retried.
herald::Outcome VideoUpload::StartSession(const herald::Post& post) {
  const char* what = "starting the resumable upload";
  herald::Media media = post.media(0);
  VideoMeta meta = MetaOf(post, defaults_);
  herald::Request req("POST",
                      base_ + "/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status");
  req.AddHeader("Content-Type", "application/json; charset=UTF-8");
  req.Quota(kInsertBucket, kVideosInsertCost);
  req.AddHeader("X-Upload-Content-Length", std::to_string(media.size_bytes()));
  req.AddHeader("X-Upload-Content-Type",
                media.mime_type().empty() ? "video/*" : std::string(media.mime_type()));
  req.BodyMemory(MetadataJson(meta));
  auto sent = tokens_.Authorized(std::move(req));
  if (auto* o = std::get_if<herald::Outcome>(&sent)) return *o;
  const herald::HttpResult& r = std::get<herald::HttpResult>(sent);
  if (!r.ok()) return FromTransport(r.error(), Effect::kRead, what);
  if (auto e = ParseGoogleError(r.response())) {
    return ClassifyGoogleError(*e, r.response(), host_.NowMs(), what);
  }
  std::optional<std::string> location = r.response().HeaderValue("Location");
  if (!location || location->empty()) {
    return herald::Outcome::Retry(0, std::string(what) + ": answer without an upload URL");
  }
  // The session URL gets the token with every chunk: it must be on the API's
  // own origin (scheme, host and port), never where an answer points.
  std::optional<std::string> url = OnOrigin(*location, base_);
  if (!url) {
    std::optional<Origin> there = OriginOf(*location);
    return herald::Outcome::Failed(
        std::string(what) + ": the answer's upload URL is on " +
        (there ? there->Text() : std::string("no http(s) origin")) +
        ", not the API's origin; herald sends the channel's token only there");
  }
  Checkpoint cp;
  cp.Set("ph", "upload").Set("u", *url).SetInt("o", 0).Set("i", instance_);
  return herald::Outcome::Continue(host_.NowMs(), cp.Encode());
}

herald::Outcome VideoUpload::AfterTransientUpload(Checkpoint cp, const std::string& why,
                                                  int64_t not_before_ms) {
  int64_t t = cp.GetInt("t", 0) + 1;
  if (t > kMaxTransientUploads) {
    cp.SetInt("t", 0);
    return herald::Outcome::Retry(not_before_ms, why + " (several times in a row)");
  }
  cp.SetInt("t", t).SetInt("q", 1);
  const int64_t backoff = host_.NowMs() + (int64_t{500} << std::min<int64_t>(t, 6));
  return herald::Outcome::Continue(std::max(backoff, not_before_ms), cp.Encode());
}

herald::Outcome VideoUpload::UploadStep(const herald::Post& post, Checkpoint cp) {
  herald::Media media = post.media(0);
  const auto total = static_cast<int64_t>(media.size_bytes());
  const std::string url = cp.Get("u");
  int64_t offset = cp.GetInt("o", -1);
  if (offset < 0 || offset > total)
    return herald::Outcome::Failed("upload checkpoint holds an invalid offset");
  const bool query = cp.GetInt("q", 0) != 0 || cp.Get("i") != instance_;

  herald::Request req("PUT", url);
  std::string what;
  int64_t end = offset;
  if (query) {
    what = "asking the upload session where it stands";
    req.AddHeader("Content-Range", "bytes */" + std::to_string(total));
    req.BodyMemory("");
  } else {
    end = std::min(total, offset + chunk_bytes_);
    what = "uploading bytes " + std::to_string(offset) + "-" + std::to_string(end);
    req.AddHeader("Content-Type",
                  media.mime_type().empty() ? "video/*" : std::string(media.mime_type()));
    req.AddHeader("Content-Range", "bytes " + std::to_string(offset) + "-" +
                                       std::to_string(end - 1) + "/" + std::to_string(total));
    req.BodyFileRange(std::string(media.path()), static_cast<uint64_t>(offset),
                      static_cast<uint64_t>(end - offset));
  }
  auto sent = tokens_.Authorized(std::move(req));
  if (auto* o = std::get_if<herald::Outcome>(&sent)) return *o;
  const herald::HttpResult& r = std::get<herald::HttpResult>(sent);
  if (!r.ok()) {
    if (r.error().code == HERALD_ERR_HTTP_BODY)
      return FromTransport(r.error(), Effect::kRead, what);
    if (r.error().code == HERALD_ERR_HTTP_NOT_SENT && !query) {
      return AfterTransientUpload(cp.Erase("q"), what + ": " + r.error().message);
    }
    return AfterTransientUpload(cp, what + ": " + r.error().message);
  }
  const herald::Response& resp = r.response();
  cp.Set("i", instance_);
  if (resp.status == 308) {
    std::optional<int64_t> acked = AcknowledgedOffset(resp);
    if (!acked || *acked > total)
      return AfterTransientUpload(cp, what + ": unreadable Range header");
    cp.SetInt("o", *acked).Erase("q").Erase("t");
    return herald::Outcome::Continue(host_.NowMs(), cp.Encode());
  }
  if (resp.status == 200 || resp.status == 201) {
    std::string id = ParseVideoId(resp.body);
    if (id.empty())
      return AfterTransientUpload(cp, what + ": completed without a readable video id");
    return Uploaded(post, id);
  }
  if (resp.status == 404 || resp.status == 410) {
    host_.Warn("the upload session is gone; starting a new one");
    return herald::Outcome::Continue(host_.NowMs(), Checkpoint().Set("ph", "upload").Encode());
  }
  std::optional<GoogleError> e = ParseGoogleError(resp);
  if (!e) {
    // Another 2xx (202, 204, ...) is no answer the protocol gives a chunk or
    // a status query: ask the session where it stands, as after a lost answer.
    return AfterTransientUpload(
        cp, what + ": unexpected HTTP " + std::to_string(resp.status) + " from the upload session");
  }
  if (resp.status >= 500) {
    return AfterTransientUpload(cp, what + ": HTTP " + std::to_string(resp.status),
                                resp.RetryAfterMs(host_.NowMs()).value_or(0));
  }
  return ClassifyGoogleError(*e, resp, host_.NowMs(), what);
}

std::optional<herald::FindResult> VideoUpload::FindFromCheckpoint(const herald::Post& post,
                                                                  std::string_view checkpoint) {
  std::optional<Checkpoint> cp = Checkpoint::Decode(checkpoint);
  if (!cp || post.media_count() != 1) return std::nullopt;
  if (IsThumbnailCheckpoint(*cp)) {
    if (cp->Get("vid").empty()) return std::nullopt;
    return herald::FindResult::NotFound("the video " + cp->Get("vid") +
                                        " is uploaded; its thumbnail is still to be set");
  }
  const std::string url = cp->Get("u");
  if (url.empty()) {
    return herald::FindResult::NotFound(
        "no upload session was open, and opening one creates no video");
  }
  const auto total = static_cast<int64_t>(post.media(0).size_bytes());
  const std::string what = "asking the upload session where it stands";
  herald::Request req("PUT", url);
  req.AddHeader("Content-Range", "bytes */" + std::to_string(total));
  req.BodyMemory("");
  // Whatever it answers, the next step from a checkpoint written before now
  // asks the session again rather than sending the checkpoint's chunk.
  NewInstance();
  auto sent = tokens_.Authorized(std::move(req));
  if (auto* o = std::get_if<herald::Outcome>(&sent)) {
    return herald::FindResult::CannotTell(what + ": " + o->reason());
  }
  const herald::HttpResult& r = std::get<herald::HttpResult>(sent);
  if (!r.ok()) return herald::FindResult::CannotTell(what + ": " + r.error().message);
  const herald::Response& resp = r.response();
  if (resp.status == 308) {
    std::optional<int64_t> acked = AcknowledgedOffset(resp);
    if (!acked || *acked > total) {
      return herald::FindResult::CannotTell(what + ": unreadable Range header");
    }
    return herald::FindResult::NotFound("the upload session holds " + std::to_string(*acked) +
                                        " of " + std::to_string(total) +
                                        " bytes; the upload goes on from there");
  }
  if (resp.status == 200 || resp.status == 201) {
    std::string id = ParseVideoId(resp.body);
    if (id.empty()) {
      return herald::FindResult::CannotTell(what + ": completed without a readable video id");
    }
    if (!MetaOf(post, defaults_).cover.empty()) {
      return herald::FindResult::NotFound("the upload is complete as video " + id +
                                          "; its thumbnail is still to be set");
    }
    return herald::FindResult::Found(id, WatchUrl(id));
  }
  if (resp.status == 404 || resp.status == 410) {
    host_.Warn("the upload session is gone; looking for the video in the uploads playlist");
    return std::nullopt;
  }
  if (std::optional<GoogleError> e = ParseGoogleError(resp)) {
    return herald::FindResult::CannotTell(what + ": " + e->message);
  }
  return herald::FindResult::CannotTell(what + ": HTTP " + std::to_string(resp.status));
}

herald::Outcome VideoUpload::Uploaded(const herald::Post& post, const std::string& video_id) {
  VideoMeta meta = MetaOf(post, defaults_);
  if (meta.cover.empty()) return herald::Outcome::Published(video_id, WatchUrl(video_id));
  return herald::Outcome::Continue(host_.NowMs(), ThumbnailCheckpoint(video_id).Encode());
}

}  // namespace herald::connectors::youtube
