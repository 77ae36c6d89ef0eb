#include "plugin/connector.h"

#include <exception>

#include "plugin/host_services.h"
#include "plugin/plugin_loader.h"

namespace herald::plugin {
namespace {

std::string Copy(const char* s) { return s ? std::string(s) : std::string(); }

// Runs `call`, turning anything that unwinds out of the plugin into a message.
template <typename F>
std::optional<std::string> Guard(const char* what, F&& call) {
  try {
    call();
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string(what) + " threw an exception across the ABI: " + e.what();
  } catch (...) {
    return std::string(what) + " threw an exception across the ABI";
  }
}

// The C view of a PostInput; valid while the PostInput and this object live.
// The checkpoint is shown to find() only (the ABI's promise).
class PostView {
 public:
  explicit PostView(const PostInput& in, bool with_checkpoint = false) {
    media_.reserve(in.media.size());
    for (const MediaInput& m : in.media) {
      herald_media c{};
      c.struct_size = sizeof(herald_media);
      c.kind = m.kind;
      c.path = m.path.c_str();
      c.mime_type = m.mime_type.c_str();
      c.size_bytes = m.size_bytes;
      c.alt_text = m.alt_text.empty() ? nullptr : m.alt_text.c_str();
      c.public_url = m.public_url.empty() ? nullptr : m.public_url.c_str();
      media_.push_back(c);
    }
    post_.struct_size = sizeof(herald_post);
    post_.job_id = in.job_id.c_str();
    post_.account = in.account.c_str();
    post_.due_ms = in.due_ms;
    post_.text = in.text.c_str();
    post_.link = in.link ? in.link->c_str() : nullptr;
    post_.media = media_.empty() ? nullptr : media_.data();
    post_.media_count = media_.size();
    post_.post_json = in.post_json.c_str();
    if (with_checkpoint && in.checkpoint) {
      post_.checkpoint = in.checkpoint->data();
      post_.checkpoint_size = in.checkpoint->size();
    }
  }
  const herald_post* get() const { return &post_; }

 private:
  std::vector<herald_media> media_;
  herald_post post_{};
};

StepOutcome Failed(std::string reason) {
  StepOutcome out;
  out.kind = HERALD_OUTCOME_FAILED;
  out.reason = std::move(reason);
  return out;
}

}  // namespace

Result<std::unique_ptr<Connector>> Connector::Create(std::shared_ptr<const Plugin> plugin,
                                                     const AccountSpec& account,
                                                     HostServices* host) {
  herald_account acc{};
  acc.struct_size = sizeof(herald_account);
  acc.platform = account.platform.c_str();
  acc.name = account.name.c_str();
  acc.api_base = account.api_base.empty() ? nullptr : account.api_base.c_str();
  acc.config_json = account.config_json.empty() ? "{}" : account.config_json.c_str();
  herald_connector* handle = nullptr;
  const char* error = nullptr;
  auto thrown = Guard("create()", [&] {
    handle = plugin->api().create(HostApiTable(), ToHostCtx(host), &acc, &error);
  });
  if (thrown) return Error(ErrorCode::kInternal, *thrown);
  if (!handle) {
    return Error(ErrorCode::kFailedPrecondition,
                 "create() failed: " + (error ? std::string(error) : "no reason given"));
  }
  return std::unique_ptr<Connector>(new Connector(std::move(plugin), handle));
}

Connector::~Connector() {
  Guard("destroy()", [&] { plugin_->api().destroy(handle_); });
}

std::string Connector::LastError(const char* fallback) {
  const char* err = nullptr;
  Guard("last_error()", [&] { err = plugin_->api().last_error(handle_); });
  return err && *err ? std::string(err) : std::string(fallback);
}

Result<std::string> Connector::Describe() {
  const char* json = nullptr;
  if (auto thrown = Guard("describe()", [&] { json = plugin_->api().describe(handle_); })) {
    return Error(ErrorCode::kInternal, *thrown);
  }
  if (!json) return Error(ErrorCode::kInternal, "describe() failed: " + LastError("no reason"));
  return std::string(json);
}

Result<std::string> Connector::Validate(const PostInput& post) {
  if (!plugin_->has_validate()) return std::string("[]");
  PostView view(post);
  const char* json = nullptr;
  if (auto thrown =
          Guard("validate()", [&] { json = plugin_->api().validate(handle_, view.get()); })) {
    return Error(ErrorCode::kInternal, *thrown);
  }
  return json ? std::string(json) : std::string("[]");
}

StepOutcome Connector::Step(const PostInput& post, const std::optional<std::string>& checkpoint) {
  PostView view(post);
  herald_outcome out{};
  out.struct_size = sizeof(herald_outcome);
  int32_t rc = HERALD_ERR_INTERNAL;
  auto thrown = Guard("step()", [&] {
    rc = plugin_->api().step(handle_, view.get(), checkpoint ? checkpoint->data() : nullptr,
                             checkpoint ? checkpoint->size() : 0, &out);
  });
  if (thrown) return Failed(*thrown);
  if (rc != HERALD_OK) return Failed(LastError("step() failed without a reason"));

  StepOutcome result;
  result.kind = static_cast<herald_outcome_kind>(out.kind);
  result.remote_id = Copy(out.remote_id);
  result.url = Copy(out.url);
  result.at_ms = out.at_ms;
  if (out.checkpoint) result.checkpoint.assign(out.checkpoint, out.checkpoint_size);
  result.reason = Copy(out.reason);
  result.http_status = out.http_status;
  result.platform_code = Copy(out.platform_code);
  switch (out.kind) {
    case HERALD_OUTCOME_PUBLISHED:
      if (result.remote_id.empty()) {
        // The post may well be live: the host must reconcile, not re-post.
        result.kind = HERALD_OUTCOME_UNKNOWN;
        result.reason = "plugin reported published without a remote id";
      }
      break;
    case HERALD_OUTCOME_CONTINUE:
      if (out.at_ms <= 0) {
        result.kind = HERALD_OUTCOME_UNKNOWN;
        result.reason = "plugin asked to continue without a time";
      }
      break;
    case HERALD_OUTCOME_RETRY:
    case HERALD_OUTCOME_AUTH_EXPIRED:
    case HERALD_OUTCOME_FAILED:
    case HERALD_OUTCOME_UNKNOWN:
    case HERALD_OUTCOME_QUOTA_EXHAUSTED:
      break;
    default:
      result.kind = HERALD_OUTCOME_UNKNOWN;
      result.reason = "plugin returned an unknown outcome kind " + std::to_string(out.kind);
  }
  return result;
}

Result<FindOutcome> Connector::Find(const PostInput& post) {
  if (!plugin_->has_find()) {
    return Error(ErrorCode::kNotImplemented,
                 "the " + plugin_->platform() + " plugin has no find()");
  }
  PostView view(post, /*with_checkpoint=*/true);
  herald_find_result out{};
  out.struct_size = sizeof(herald_find_result);
  int32_t rc = HERALD_ERR_INTERNAL;
  if (auto thrown = Guard("find()", [&] { rc = plugin_->api().find(handle_, view.get(), &out); })) {
    return Error(ErrorCode::kInternal, *thrown);
  }
  if (rc != HERALD_OK) return Error(ErrorCode::kUnavailable, LastError("find() failed"));
  FindOutcome result;
  result.remote_id = Copy(out.remote_id);
  result.url = Copy(out.url);
  result.reason = Copy(out.reason);
  switch (out.kind) {
    case HERALD_FIND_FOUND:
      result.kind = result.remote_id.empty() ? HERALD_FIND_CANNOT_TELL : HERALD_FIND_FOUND;
      if (result.remote_id.empty()) result.reason = "plugin reported found without a remote id";
      break;
    case HERALD_FIND_NOT_FOUND:
      result.kind = HERALD_FIND_NOT_FOUND;
      break;
    default:
      result.kind = HERALD_FIND_CANNOT_TELL;
  }
  return result;
}

Result<std::string> Connector::Metrics(const std::vector<std::string>& remote_ids) {
  if (!plugin_->has_metrics()) {
    return Error(ErrorCode::kNotImplemented,
                 "the " + plugin_->platform() + " plugin has no metrics()");
  }
  std::vector<const char*> ids;
  ids.reserve(remote_ids.size());
  for (const auto& id : remote_ids) ids.push_back(id.c_str());
  const char* json = nullptr;
  if (auto thrown = Guard(
          "metrics()", [&] { json = plugin_->api().metrics(handle_, ids.data(), ids.size()); })) {
    return Error(ErrorCode::kInternal, *thrown);
  }
  if (!json) return Error(ErrorCode::kUnavailable, LastError("metrics() failed"));
  return std::string(json);
}

}  // namespace herald::plugin
