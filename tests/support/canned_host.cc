#include "support/canned_host.h"

#include <algorithm>
#include <cstddef>

namespace herald::testing {

Canned Canned::Answer(int status, std::string body, std::string headers) {
  Canned c;
  c.status = status;
  c.body = std::move(body);
  c.headers = std::move(headers);
  return c;
}

Canned Canned::Transport(int32_t code, std::string error) {
  Canned c;
  c.status = 0;
  c.transport = code;
  c.error = std::move(error);
  return c;
}

std::string SeenRequest::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return {};
}

herald::Post TestPost::view() {
  media_.clear();
  for (const TestMedium& m : media) {
    herald_media c{};
    c.struct_size = sizeof c;
    c.kind = m.kind;
    c.path = m.path.c_str();
    c.mime_type = m.mime_type.c_str();
    c.size_bytes = m.size_bytes;
    c.public_url = m.public_url.empty() ? nullptr : m.public_url.c_str();
    media_.push_back(c);
  }
  post_ = herald_post{};
  post_.struct_size = sizeof post_;
  post_.job_id = job_id.c_str();
  post_.account = account.c_str();
  post_.due_ms = due_ms;
  post_.text = text.c_str();
  post_.link = link ? link->c_str() : nullptr;
  post_.media = media_.data();
  post_.media_count = media_.size();
  post_.post_json = post_json.c_str();
  if (checkpoint) {
    post_.checkpoint = checkpoint->data();
    post_.checkpoint_size = checkpoint->size();
  }
  if (abi_1_1) post_.struct_size = offsetof(herald_post, checkpoint);
  return herald::Post(&post_);
}

CannedHost::CannedHost() {
  api_.struct_size = sizeof api_;
  api_.log = &LogThunk;
  api_.http = &HttpThunk;
  api_.credential_get = &CredentialGetThunk;
  api_.credential_store = &CredentialStoreThunk;
  api_.now_ms = &NowThunk;
}

CannedHost& CannedHost::On(std::string method, std::string url_part, Canned answer) {
  rules_.push_back({std::move(method), std::move(url_part), std::move(answer)});
  return *this;
}

herald::Host CannedHost::host() {
  return herald::Host(&api_, reinterpret_cast<herald_host_ctx*>(this));
}

size_t CannedHost::pending() const {
  return static_cast<size_t>(
      std::count_if(rules_.begin(), rules_.end(), [](const Rule& r) { return !r.used; }));
}

CannedHost* CannedHost::Of(herald_host_ctx* ctx) { return reinterpret_cast<CannedHost*>(ctx); }

void CannedHost::LogThunk(herald_host_ctx* ctx, int32_t, const char* message) {
  Of(ctx)->logs_.emplace_back(message ? message : "");
}

int32_t CannedHost::HttpThunk(herald_host_ctx* ctx, const herald_http_request* request,
                              herald_http_response* response) {
  CannedHost* self = Of(ctx);
  SeenRequest seen;
  seen.method = request->method;
  seen.url = request->url;
  for (size_t i = 0; i < request->header_count; ++i)
    seen.headers.emplace_back(request->headers[i].name, request->headers[i].value);
  if (request->body_kind == HERALD_BODY_MEMORY && request->data)
    seen.body.assign(request->data, request->size);
  if (request->body_kind == HERALD_BODY_FILE_RANGE) {
    seen.file_range = std::string(request->file_path) + "@" + std::to_string(request->file_offset) +
                      "+" + std::to_string(request->file_length);
  }
  self->seen_.push_back(seen);
  for (Rule& rule : self->rules_) {
    if (rule.used || rule.method != seen.method ||
        seen.url.find(rule.url_part) == std::string::npos) {
      continue;
    }
    rule.used = true;
    self->last_ = rule.answer;
    response->status = self->last_.status;
    response->headers = self->last_.headers.c_str();
    response->headers_size = self->last_.headers.size();
    response->body = self->last_.body.data();
    response->body_size = self->last_.body.size();
    response->error = self->last_.transport == HERALD_OK ? nullptr : self->last_.error.c_str();
    return self->last_.transport;
  }
  self->unanswered_.push_back(seen.method + " " + seen.url);
  self->last_ = Canned::Transport(HERALD_ERR_HTTP_NOT_SENT, "no canned answer");
  response->status = 0;
  response->error = self->last_.error.c_str();
  return HERALD_ERR_HTTP_NOT_SENT;
}

const char* CannedHost::CredentialGetThunk(herald_host_ctx* ctx, const char* key) {
  CannedHost* self = Of(ctx);
  auto it = self->credentials.find(key);
  if (it == self->credentials.end()) return nullptr;
  self->credential_ = it->second;
  return self->credential_.c_str();
}

int32_t CannedHost::CredentialStoreThunk(herald_host_ctx* ctx, const char* key, const char* value) {
  if (!key || !value || !*value) return HERALD_ERR_INVALID_ARGUMENT;
  Of(ctx)->credentials[key] = value;
  return HERALD_OK;
}

int64_t CannedHost::NowThunk(herald_host_ctx* ctx) { return Of(ctx)->now_ms; }

}  // namespace herald::testing
