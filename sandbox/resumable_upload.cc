// The Graph API's Resumable Upload API, as Meta's "Upload a file" guide and
// the Video API's publishing guide document it: a session on /{app-id}/uploads
// (file_name, file_length, file_type; a User or Page token of a Facebook
// account), bytes sent to /upload:{session} with the token in an
// `Authorization: OAuth` header and a `file_offset` header, the session's
// offset read back with a GET, and the file handle {"h": ...} once every
// byte is there. The handle is what /{page-id}/videos publishes
// (fbuploader_video_file_chunk, facebook.cc).
#include <algorithm>
#include <variant>

#include "sandbox/graph_common.h"
#include "sandbox/platform_errors.h"
#include "sandbox/platforms.h"

namespace herald::sandbox {

namespace {

using web::json::value;

const char* const kFileTypes[] = {"application/pdf", "image/jpeg", "image/jpg", "image/png",
                                  "video/mp4"};

bool KnownApp(const EmulatorContext& ctx, const std::string& app_id) {
  if (ctx.config.oauth_clients.empty()) return !app_id.empty();
  return std::any_of(ctx.config.oauth_clients.begin(), ctx.config.oauth_clients.end(),
                     [&](const OAuthClientConfig& c) { return c.client_id == app_id; });
}

// The Facebook account whose valid token the request carries, or the error.
std::variant<std::string, HttpResponse> FacebookTokenOwner(const std::string& token,
                                                           EmulatorContext& ctx) {
  std::string owner = ctx.store.AccountOfToken(token);
  const AccountConfig* account = owner.empty() ? nullptr : ctx.config.FindAccount(owner);
  if (!account || account->platform != Platform::kFacebook) return GraphTokenError(false);
  if (ctx.store.CheckToken(token, owner, ctx.now) != TokenCheck::kValid) {
    return GraphTokenError(true);
  }
  return owner;
}

HttpResponse StartSession(const HttpRequest& request, EmulatorContext& ctx,
                          const std::string& app_id) {
  std::string token = AccessToken(request);
  if (token.empty()) {
    return GraphError(400, 104, 0, "OAuthException",
                      "An access token is required to request this resource.");
  }
  auto owner = FacebookTokenOwner(token, ctx);
  if (auto* denied = std::get_if<HttpResponse>(&owner)) return *denied;
  if (!KnownApp(ctx, app_id)) return GraphUnknownObject(app_id);
  const std::string file_type = request.Param("file_type");
  int64_t length = std::atoll(request.Param("file_length").c_str());
  if (request.Param("file_name").empty()) {
    return GraphParamError("The parameter file_name is required.");
  }
  if (length <= 0) return GraphParamError("The parameter file_length is required.");
  if (std::find(std::begin(kFileTypes), std::end(kFileTypes), file_type) == std::end(kFileTypes)) {
    return GraphParamError(
        "Param file_type must be one of {application/pdf, image/jpeg, "
        "image/jpg, image/png, video/mp4}.");
  }
  ResumableUpload upload;
  upload.id = "upload:" + ctx.store.NextOpaque("MTphdHRhY2htZW50");
  upload.sig = ctx.store.NextOpaque("ARZ");
  upload.app_id = app_id;
  upload.account_id = std::get<std::string>(owner);
  upload.file_name = request.Param("file_name");
  upload.file_type = file_type;
  upload.total_bytes = length;
  value body = value::object();
  body["id"] = JsonStr(upload.id + "?sig=" + upload.sig);
  ctx.store.resumable_uploads[upload.id] = upload;
  return HttpResponse::Json(200, body);
}

HttpResponse SessionRequest(const HttpRequest& request, EmulatorContext& ctx,
                            const std::string& id) {
  auto it = ctx.store.resumable_uploads.find(id);
  if (it == ctx.store.resumable_uploads.end() || request.query.count("sig") == 0 ||
      request.query.at("sig") != it->second.sig) {
    return GraphUnknownObject(id);
  }
  ResumableUpload& upload = it->second;
  // The guide: "You must include the access token in the header or the call will fail."
  std::string authorization = request.Header("authorization");
  if (authorization.rfind("OAuth ", 0) != 0) {
    return GraphError(400, 190, 0, "OAuthException",
                      "The Resumable Upload API takes the access token in an "
                      "'Authorization: OAuth <token>' header.");
  }
  auto owner = FacebookTokenOwner(authorization.substr(6), ctx);
  if (auto* denied = std::get_if<HttpResponse>(&owner)) return *denied;
  if (std::get<std::string>(owner) != upload.account_id) {
    return GraphError(403, 200, 0, "OAuthException",
                      "(#200) The access token does not have permission for this upload session.");
  }
  if (request.method == "GET") {
    value body = value::object();
    body["id"] = JsonStr(upload.id);
    body["file_offset"] = value::number(upload.received_bytes);
    return HttpResponse::Json(200, body);
  }
  if (request.method != "POST") return GraphUnknownObject(id);
  std::string offset_text = request.Header("file_offset");
  if (offset_text.empty() || !std::all_of(offset_text.begin(), offset_text.end(), ::isdigit)) {
    return GraphParamError("The file_offset header is required (a number of bytes).");
  }
  int64_t offset = std::atoll(offset_text.c_str());
  if (offset != upload.received_bytes) {
    return GraphError(400, 100, 0, "OAuthException",
                      "The file_offset " + offset_text + " does not match the " +
                          std::to_string(upload.received_bytes) +
                          " bytes received; GET the session for its file_offset and resume.");
  }
  auto size = static_cast<int64_t>(request.body.size());
  if (offset + size > upload.total_bytes) {
    return GraphParamError("The upload is longer than the file_length of its session (" +
                           std::to_string(upload.total_bytes) + " bytes).");
  }
  if (ctx.fault && ctx.fault->kind == FaultKind::kUploadBreak) {
    upload.received_bytes += size / 2;
    HttpResponse response;
    response.drop_connection = true;
    return response;
  }
  upload.received_bytes += size;
  value body = value::object();
  if (upload.received_bytes < upload.total_bytes) {
    body["file_offset"] = value::number(upload.received_bytes);
    return HttpResponse::Json(200, body);
  }
  if (upload.handle.empty()) {
    upload.handle = "2:" + ctx.store.NextOpaque("c2FuZGJveA") + ":" + upload.file_type;
    ctx.store.upload_handles[upload.handle] = upload.id;
  }
  body["h"] = JsonStr(upload.handle);
  return HttpResponse::Json(200, body);
}

}  // namespace

HttpResponse HandleResumableUpload(const HttpRequest& request, EmulatorContext& ctx,
                                   const std::vector<std::string>& segments) {
  if (segments.size() == 2 && segments[1] == "uploads" && request.method == "POST") {
    return StartSession(request, ctx, segments[0]);
  }
  if (segments.size() == 1 && segments[0].rfind("upload:", 0) == 0) {
    return SessionRequest(request, ctx, segments[0]);
  }
  return GraphError(400, 100, 0, "OAuthException",
                    "(#100) Unknown edge or method: " + request.method + " " + request.path);
}

}  // namespace herald::sandbox
