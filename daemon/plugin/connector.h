// Connector: the host's handle on one plugin connector instance (one account).
// It owns the plugin's herald_connector handle (destroyed with it) and a
// shared_ptr to the Plugin, so the library stays loaded while it lives.
//
// Every call copies what the plugin returned into host-owned values before
// returning, and catches anything a plugin lets unwind. A Connector is not
// thread-safe: the ABI promises a plugin one call at a time per handle, so the
// caller (the dispatcher) serializes calls on one Connector.
#pragma once

#include <herald/plugin_abi.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/confined_file.h"
#include "common/result.h"

namespace herald::plugin {

class Plugin;
class HostServices;

struct AccountSpec {
  std::string platform;
  std::string name;         // empty for the loader's probe
  std::string api_base;     // empty: the platform's default
  std::string config_json;  // non-secret settings, a JSON object
};

struct MediaInput {
  herald_media_kind kind = HERALD_MEDIA_IMAGE;
  std::string path;  // what the plugin names it by
  FileRef file;      // how the host opens it (confined), and what it was when checked
  std::string mime_type;
  uint64_t size_bytes = 0;
  std::string alt_text;
  std::string public_url;
  std::string cover;  // a video's cover image, as the plugin names it (post_json), or empty
  FileRef cover_file;
};

struct PostInput {
  std::string job_id;
  std::string account;
  int64_t due_ms = 0;
  std::string text;
  std::optional<std::string> link;
  std::vector<MediaInput> media;
  std::string post_json;
  // Find only: the job's checkpoint (herald_post.checkpoint); step() gets its own.
  std::optional<std::string> checkpoint;
};

struct StepOutcome {
  herald_outcome_kind kind = HERALD_OUTCOME_FAILED;
  std::string remote_id;
  std::string url;
  int64_t at_ms = 0;
  std::string checkpoint;
  std::string reason;
  int32_t http_status = 0;
  std::string platform_code;
};

struct FindOutcome {
  herald_find_kind kind = HERALD_FIND_CANNOT_TELL;
  std::string remote_id;
  std::string url;
  std::string reason;
};

class Connector {
 public:
  // Creates a connector of `plugin` for `account`. `host` must outlive it.
  static Result<std::unique_ptr<Connector>> Create(std::shared_ptr<const Plugin> plugin,
                                                   const AccountSpec& account, HostServices* host);
  ~Connector();
  Connector(const Connector&) = delete;
  Connector& operator=(const Connector&) = delete;

  const Plugin& plugin() const { return *plugin_; }

  // The platform limits JSON from describe().
  Result<std::string> Describe();
  // Problems as the plugin's JSON array text ("[]" when fine, also when the
  // plugin has no validate()).
  Result<std::string> Validate(const PostInput& post);
  // Never fails as a call: a plugin error becomes a FAILED outcome.
  StepOutcome Step(const PostInput& post, const std::optional<std::string>& checkpoint);
  // kNotImplemented when the plugin has no find().
  Result<FindOutcome> Find(const PostInput& post);
  // kNotImplemented when the plugin has no metrics().
  Result<std::string> Metrics(const std::vector<std::string>& remote_ids);

 private:
  Connector(std::shared_ptr<const Plugin> plugin, herald_connector* handle)
      : plugin_(std::move(plugin)), handle_(handle) {}
  std::string LastError(const char* fallback);

  std::shared_ptr<const Plugin> plugin_;
  herald_connector* handle_;
};

}  // namespace herald::plugin
