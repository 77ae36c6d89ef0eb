// A Page video through Meta's Resumable Upload API, as the Video API's
// publishing guide documents it (docs/connectors/facebook.md, "Video"):
//
//   session  POST graph/{version}/{app-id}/uploads?file_name&file_length&file_type
//            -> {"id":"upload:..."}            (nothing visible exists yet)
//   bytes    POST graph/{version}/upload:...   Authorization: OAuth, file_offset: N,
//            the bytes from N, one chunk per step -> {"h": handle} / {"file_offset"}
//   offset   GET  graph/{version}/upload:...   -> {"file_offset": N}: after a restart
//            (the checkpoint was written by another process) or a lost answer
//   publish  POST graph-video/{version}/{page-id}/videos   title, description,
//            fbuploader_video_file_chunk=handle -> {"id": video id}
//
// The checkpoint (ph=video, u=session, o=offset, h=handle, i=instance) moves
// with every step, so a crash resumes at the server's offset and never sends
// the file again from byte 0. Only the publish can make something visible: a
// lost answer to it is `unknown`, reconciled through the Page's videos.
#include <algorithm>

#include "common/json_util.h"
#include "common/origin.h"
#include "common/transport.h"
#include "facebook/facebook_connector.h"

namespace herald::connectors::facebook {

namespace {

// Transient upload failures in a row before the step gives the host a retry.
constexpr int64_t kMaxTransientUploads = 5;

bool SessionGone(const GraphError& e) {
  // An unknown object (100/33) or a 404: the session expired or never was.
  return e.http_status == 404 || (e.code == 100 && e.subcode == 33);
}

}  // namespace

std::string FacebookConnector::UploadToken(const std::string& page_token) const {
  std::optional<std::string> user = host_.Credential("user_access_token");
  return user && !user->empty() ? *user : page_token;
}

herald::Outcome FacebookConnector::VideoStep(const herald::Post& post, const std::string& token,
                                             Checkpoint cp) {
  herald::Media media = post.media(0);
  const auto size = static_cast<int64_t>(media.size_bytes());
  if (size <= 0) return herald::Outcome::Failed("the video file is empty");
  if (!cp.Get("h").empty() && cp.GetInt("o", -1) == size) return PublishVideo(post, token, cp);
  const std::string upload_token = UploadToken(token);
  if (cp.Get("u").empty()) return StartUploadSession(media, upload_token);
  return SendOrAskOffset(media, upload_token, std::move(cp));
}

herald::Outcome FacebookConnector::StartUploadSession(const herald::Media& media,
                                                      const std::string& token) {
  std::string app_id = app_id_;
  if (app_id.empty()) app_id = host_.Credential("client_id").value_or("");
  if (app_id.empty()) {
    return herald::Outcome::Failed(
        "a video needs the Meta app id for the Resumable Upload API: set the account's "
        "settings.app_id (heraldctl connect stores it as client_id)");
  }
  const char* what = "starting the video upload session";
  herald::HttpResult r = graph_.PostQuery(app_id + "/uploads",
                                          {{"file_name", BaseName(media.path())},
                                           {"file_length", std::to_string(media.size_bytes())},
                                           {"file_type", "video/mp4"}},
                                          token);
  // A session is invisible: a lost answer leaves at most an unused one.
  if (!r.ok()) return FromTransport(r.error(), Effect::kRead, what);
  if (auto err = GraphErrorOutcome(r.response(), host_.NowMs(), what)) return *err;
  std::optional<std::string> session = ParseUploadSession(r.response().body);
  if (!session)
    return herald::Outcome::Retry(0, std::string(what) + ": answer without a session id");
  if (!IsUploadSessionId(*session)) {
    // The id goes into the path the token is sent to: one that would leave
    // the upload endpoint is a forged or broken answer, and asking again
    // would not make it safe.
    return herald::Outcome::Failed(std::string(what) +
                                   ": the answer named an upload session id that is not a Graph "
                                   "path; herald sends the token only to the upload endpoint");
  }
  Checkpoint cp;
  cp.Set("ph", "video").Set("u", *session).SetInt("o", 0).Set("i", instance_);
  return herald::Outcome::Continue(host_.NowMs(), cp.Encode());
}

herald::Outcome FacebookConnector::AfterTransientUpload(Checkpoint cp, const std::string& why,
                                                        bool ask, int64_t not_before_ms) {
  int64_t t = cp.GetInt("t", 0) + 1;
  // The host keeps the last checkpoint across a retry; its next step re-sends
  // that chunk, and a refusal makes it ask for the offset.
  if (t > kMaxTransientUploads) {
    return herald::Outcome::Retry(not_before_ms, why + " (several times in a row)");
  }
  cp.SetInt("t", t);
  if (ask) cp.SetInt("q", 1);
  const int64_t backoff = host_.NowMs() + (int64_t{500} << std::min<int64_t>(t, 6));
  return herald::Outcome::Continue(std::max(backoff, not_before_ms), cp.Encode());
}

herald::Outcome FacebookConnector::SendOrAskOffset(const herald::Media& media,
                                                   const std::string& token, Checkpoint cp) {
  const auto size = static_cast<int64_t>(media.size_bytes());
  const std::string session = cp.Get("u");
  const int64_t offset = cp.GetInt("o", -1);
  if (offset < 0 || offset > size) {
    return herald::Outcome::Failed("video checkpoint holds an invalid offset");
  }
  if (!IsUploadSessionId(session)) {
    return herald::Outcome::Failed(
        "video checkpoint holds an upload session id that is not a "
        "Graph path; the token is not sent there");
  }
  const bool ask = cp.GetInt("q", 0) != 0 || cp.Get("i") != instance_;
  const int64_t end = ask ? offset : std::min(size, offset + chunk_bytes_);
  std::string what = ask ? "asking the upload session for its offset"
                         : "uploading video bytes " + std::to_string(offset) + "-" +
                               std::to_string(end) + " of " + std::to_string(size);

  herald::Request req(ask ? "GET" : "POST", graph_.Url(session));
  // The Resumable Upload API takes the token in this header only.
  req.AddHeader("Authorization", "OAuth " + token);
  req.Secret(token);
  if (!ask) {
    req.AddHeader("file_offset", std::to_string(offset));
    req.AddHeader("Content-Type", "application/octet-stream");
    if (end > offset) {
      req.BodyFileRange(std::string(media.path()), static_cast<uint64_t>(offset),
                        static_cast<uint64_t>(end - offset));
    } else {
      req.BodyMemory("");  // every byte is there; this asks for the handle
    }
  }
  herald::HttpResult r = host_.Http(req);
  if (!r.ok()) {
    if (r.error().code == HERALD_ERR_HTTP_BODY)
      return FromTransport(r.error(), Effect::kRead, what);
    // Bytes that may have arrived: ask where the server stands before sending
    // more; a request that never left is simply sent again.
    bool maybe_arrived = ask || r.error().code != HERALD_ERR_HTTP_NOT_SENT;
    return AfterTransientUpload(cp, what + ": " + r.error().message, maybe_arrived);
  }
  const herald::Response& resp = r.response();
  if (std::optional<GraphError> e = ParseGraphError(resp)) {
    if (SessionGone(*e)) {
      // An unfinished session publishes nothing: a new one is safe.
      host_.Warn("the video upload session is gone; starting a new one");
      return herald::Outcome::Continue(host_.NowMs(), Checkpoint().Set("ph", "video").Encode());
    }
    herald::Outcome classified = ClassifyGraphError(*e, resp, host_.NowMs(), what);
    // A 5xx is part of the upload's weather: ask for the offset and go on,
    // not before its Retry-After.
    const bool server_error = e->http_status >= 500;
    if (classified.kind() == herald::OutcomeKind::kAuthExpired ||
        (classified.kind() == herald::OutcomeKind::kRetry && classified.at_ms() > 0 &&
         !server_error)) {
      return classified;  // an admin must act, or a rate limit says when
    }
    if (classified.kind() == herald::OutcomeKind::kFailed && ask) return classified;
    // A refused chunk (an offset the server does not expect) or a 5xx: ask
    // for the offset; a chunk refused right after asking fails.
    if (classified.kind() == herald::OutcomeKind::kFailed && cp.GetInt("r", 0) > 0) {
      return classified;
    }
    if (classified.kind() == herald::OutcomeKind::kFailed) cp.SetInt("r", 1);
    return AfterTransientUpload(cp, what + ": " + e->message, true,
                                server_error ? classified.at_ms() : 0);
  }
  std::optional<UploadProgress> progress = ParseUploadProgress(resp.body);
  if (!progress) return AfterTransientUpload(cp, what + ": unreadable answer", true);
  int64_t acked = progress->file_offset >= 0 ? progress->file_offset : end;
  if (ask && progress->file_offset < 0) {
    return AfterTransientUpload(cp, what + ": answer without file_offset", true);
  }
  if (acked > size) return AfterTransientUpload(cp, what + ": offset beyond the file", true);
  if (!ask && end == offset && progress->handle.empty() && cp.Get("h").empty()) {
    return herald::Outcome::Failed("the upload session holds every byte but gave no file handle");
  }
  cp.SetInt("o", acked).Set("i", instance_).Erase("q").Erase("t");
  if (!ask) cp.Erase("r");  // "r" survives the offset query that follows a refusal
  if (!progress->handle.empty()) cp.Set("h", progress->handle);
  return herald::Outcome::Continue(host_.NowMs(), cp.Encode());
}

herald::Outcome FacebookConnector::PublishVideo(const herald::Post& post,
                                                const std::string& page_token,
                                                const Checkpoint& cp) {
  const char* what = "publishing the video";
  VideoText text = VideoTextOf(post);
  std::vector<herald::MultipartPart> parts;
  if (!text.title.empty()) parts.push_back(herald::MultipartPart::Field("title", text.title));
  if (!text.description.empty()) {
    parts.push_back(herald::MultipartPart::Field("description", text.description));
  }
  parts.push_back(herald::MultipartPart::Field("fbuploader_video_file_chunk", cp.Get("h")));
  herald::HttpResult r =
      video_graph_.PostMultipart(page_id_ + "/videos", std::move(parts), page_token);
  if (!r.ok()) return FromTransport(r.error(), Effect::kCreatesPost, what);
  if (auto err = GraphErrorOutcome(r.response(), host_.NowMs(), what)) return *err;
  std::optional<web::json::value> body = ParseJson(r.response().body);
  std::string id = body ? JsonString(*body, "id") : std::string();
  if (id.empty()) return herald::Outcome::Unknown("the video was accepted without a video id");
  return herald::Outcome::Published(id, PostUrl(id));
}

}  // namespace herald::connectors::facebook
