// herald connector SDK: the header-only C++ wrapper over <herald/plugin_abi.h>.
//
// A plugin author writes one ordinary C++ class and one line:
//
//   class MyConnector {
//    public:
//     static constexpr const char* kPlatform = "myplatform";   // [a-z0-9_-]+
//     static constexpr const char* kVersion = "1.0.0";
//     static constexpr const char* kDescription = "Posts to My Platform";
//
//     MyConnector(herald::Host host, const herald::Account& account);  // may throw
//     herald::Limits Describe();                                      // or std::string JSON
//     herald::Outcome Step(const herald::Post& post, std::optional<std::string_view> checkpoint);
//
//     // Optional; detected at compile time, NULL in the table when absent:
//     std::vector<herald::Issue> Validate(const herald::Post& post);
//     std::string Metrics(const std::vector<std::string>& remote_ids);  // JSON object
//     herald::FindResult Find(const herald::Post& post);
//   };
//   HERALD_PLUGIN(MyConnector)
//
// HERALD_PLUGIN writes the two exported C symbols and the function table. Every
// thunk is noexcept: an exception thrown by the class becomes a value at the
// boundary (step: a FAILED outcome whose reason is what(); metrics: NULL; find:
// an error status; create: NULL with what() as the error), and last_error()
// returns its message. Throw herald::PluginError to choose the status code.
//
// Requires C++17, the standard library and nothing else.
//
// Ownership and threads follow plugin_abi.h: one connector object is called by
// one thread at a time; its constructor may run on any thread, concurrently with
// other constructors. herald::Post is a view valid for the current call only;
// herald::Account and herald::Response own their strings; herald::Host is two
// pointers that stay valid for the connector's whole life.
#ifndef HERALD_PLUGIN_HPP
#define HERALD_PLUGIN_HPP

#include <herald/plugin_abi.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace herald {

// ------------------------------------------------------------------ helpers

// `s` as a JSON string literal, quotes included.
inline std::string JsonQuote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

namespace detail {
inline std::string_view View(const char* s) { return s ? std::string_view(s) : std::string_view(); }
inline std::optional<std::string_view> OptionalView(const char* s) {
  if (!s) return std::nullopt;
  return std::string_view(s);
}
}  // namespace detail

// An exception with a status code; the thunks return `code` (step, find) and
// keep what() for last_error. Any other std::exception maps to HERALD_ERR_INTERNAL.
class PluginError : public std::runtime_error {
 public:
  PluginError(herald_status code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  herald_status code() const noexcept { return code_; }

 private:
  herald_status code_;
};

// The error a not-yet-written operation throws: never fake a success.
inline PluginError NotImplemented(const std::string& what = "not implemented") {
  return PluginError(HERALD_ERR_NOT_IMPLEMENTED, what);
}

// ------------------------------------------------------------------ account

// The account a connector serves, copied out of herald_account at create().
struct Account {
  std::string platform;                 // "facebook"
  std::string name;                     // "corner-cleaners"
  std::optional<std::string> api_base;  // base URL override; nullopt: the platform's default
  std::string config_json;              // non-secret settings, a JSON object ("{}" when none)

  static Account FromAbi(const herald_account* a) {
    Account out;
    out.platform = std::string(detail::View(a->platform));
    out.name = std::string(detail::View(a->name));
    if (a->api_base) out.api_base = std::string(a->api_base);
    out.config_json = a->config_json ? std::string(a->config_json) : std::string("{}");
    return out;
  }
};

// --------------------------------------------------------------------- post

enum class MediaKind { kImage = HERALD_MEDIA_IMAGE, kVideo = HERALD_MEDIA_VIDEO };

// A view over one herald_media; valid for the current call only.
class Media {
 public:
  explicit Media(const herald_media* m) : m_(m) {}
  MediaKind kind() const { return static_cast<MediaKind>(m_->kind); }
  std::string_view path() const { return detail::View(m_->path); }
  std::string_view mime_type() const { return detail::View(m_->mime_type); }
  std::uint64_t size_bytes() const { return m_->size_bytes; }
  std::optional<std::string_view> alt_text() const { return detail::OptionalView(m_->alt_text); }
  std::optional<std::string_view> public_url() const {
    return detail::OptionalView(m_->public_url);
  }

 private:
  const herald_media* m_;
};

// A view over one herald_post (one journal job); valid for the current call only.
// Copy what must outlive the call (into a checkpoint, for instance).
class Post {
 public:
  explicit Post(const herald_post* p) : p_(p) {}
  std::string_view job_id() const { return detail::View(p_->job_id); }
  std::string_view account() const { return detail::View(p_->account); }
  std::int64_t due_ms() const { return p_->due_ms; }
  std::string_view text() const { return detail::View(p_->text); }
  std::optional<std::string_view> link() const { return detail::OptionalView(p_->link); }
  std::size_t media_count() const { return p_->media ? p_->media_count : 0; }
  Media media(std::size_t i) const { return Media(&p_->media[i]); }
  std::vector<Media> media() const {
    std::vector<Media> out;
    for (std::size_t i = 0; i < media_count(); ++i) out.emplace_back(&p_->media[i]);
    return out;
  }
  // The whole rendered post as JSON (schema in docs/writing-a-connector.md).
  std::string_view post_json() const { return detail::View(p_->post_json); }
  // In find() only: the checkpoint the post's last CONTINUE outcome gave (the
  // step whose outcome is unknown was sent from it); nullopt when it has none
  // or the host is older than ABI 1.2.
  std::optional<std::string_view> checkpoint() const {
    if (!HERALD_HAS_FIELD(p_, herald_post, checkpoint_size) || !p_->checkpoint) return std::nullopt;
    return std::string_view(p_->checkpoint, p_->checkpoint_size);
  }
  const herald_post* raw() const { return p_; }

 private:
  const herald_post* p_;
};

// ------------------------------------------------------------------ outcome

enum class OutcomeKind {
  kPublished = HERALD_OUTCOME_PUBLISHED,
  kContinue = HERALD_OUTCOME_CONTINUE,
  kRetry = HERALD_OUTCOME_RETRY,
  kAuthExpired = HERALD_OUTCOME_AUTH_EXPIRED,
  kFailed = HERALD_OUTCOME_FAILED,
  kUnknown = HERALD_OUTCOME_UNKNOWN,
  kQuotaExhausted = HERALD_OUTCOME_QUOTA_EXHAUSTED,
};

// What one step() decided. Build it with the factory functions.
class Outcome {
 public:
  // The post is live on the platform. `remote_id` must not be empty.
  static Outcome Published(std::string remote_id, std::string url = {}) {
    Outcome o(OutcomeKind::kPublished);
    o.remote_id_ = std::move(remote_id);
    o.url_ = std::move(url);
    return o;
  }
  // Not finished: call step() again at `at_ms` (Unix ms) with `checkpoint` (any
  // bytes, not empty).
  static Outcome Continue(std::int64_t at_ms, std::string checkpoint) {
    Outcome o(OutcomeKind::kContinue);
    o.at_ms_ = at_ms;
    o.checkpoint_ = std::move(checkpoint);
    return o;
  }
  // Transient failure: try again not before `not_before_ms` (Unix ms; 0: the host's backoff).
  static Outcome Retry(std::int64_t not_before_ms, std::string reason) {
    Outcome o(OutcomeKind::kRetry);
    o.at_ms_ = not_before_ms;
    o.reason_ = std::move(reason);
    return o;
  }
  // The credentials are expired or revoked; an admin must re-authorize.
  static Outcome AuthExpired(std::string reason) {
    return WithReason(OutcomeKind::kAuthExpired, std::move(reason));
  }
  // Permanent failure: the same post can never succeed.
  static Outcome Failed(std::string reason) {
    return WithReason(OutcomeKind::kFailed, std::move(reason));
  }
  // A request may have reached the platform with no answer; the host runs find().
  static Outcome Unknown(std::string reason) {
    return WithReason(OutcomeKind::kUnknown, std::move(reason));
  }
  // The account's platform quota is spent: the host holds all its work until
  // the quota resets (describe()'s Quota, or `until_ms` when not 0) and
  // never fails the job for it.
  static Outcome QuotaExhausted(std::string reason, std::int64_t until_ms = 0) {
    Outcome o = WithReason(OutcomeKind::kQuotaExhausted, std::move(reason));
    o.at_ms_ = until_ms;
    return o;
  }

  // Optional details for any kind: the platform's last HTTP status and error code.
  Outcome& WithHttpStatus(int status) {
    http_status_ = status;
    return *this;
  }
  Outcome& WithPlatformCode(std::string code) {
    platform_code_ = std::move(code);
    return *this;
  }

  OutcomeKind kind() const { return kind_; }
  const std::string& remote_id() const { return remote_id_; }
  const std::string& url() const { return url_; }
  std::int64_t at_ms() const { return at_ms_; }
  const std::string& checkpoint() const { return checkpoint_; }
  const std::string& reason() const { return reason_; }
  int http_status() const { return http_status_; }
  const std::optional<std::string>& platform_code() const { return platform_code_; }

 private:
  explicit Outcome(OutcomeKind kind) : kind_(kind) {}
  static Outcome WithReason(OutcomeKind kind, std::string reason) {
    Outcome o(kind);
    o.reason_ = std::move(reason);
    return o;
  }

  OutcomeKind kind_;
  std::string remote_id_;
  std::string url_;
  std::int64_t at_ms_ = 0;
  std::string checkpoint_;
  std::string reason_;
  int http_status_ = 0;
  std::optional<std::string> platform_code_;
};

// ------------------------------------------------------------- find result

enum class FindKind {
  kFound = HERALD_FIND_FOUND,
  kNotFound = HERALD_FIND_NOT_FOUND,
  kCannotTell = HERALD_FIND_CANNOT_TELL,
};

// What find() learned about a post whose outcome was unknown.
class FindResult {
 public:
  static FindResult Found(std::string remote_id, std::string url = {}) {
    FindResult r(FindKind::kFound);
    r.remote_id_ = std::move(remote_id);
    r.url_ = std::move(url);
    return r;
  }
  // Only when the platform proves the post absent, or not finished (an upload
  // session holding part of the file): the host sends step() again, from the
  // post's checkpoint when it has one, else from the start.
  static FindResult NotFound(std::string reason) {
    FindResult r(FindKind::kNotFound);
    r.reason_ = std::move(reason);
    return r;
  }
  static FindResult CannotTell(std::string reason) {
    FindResult r(FindKind::kCannotTell);
    r.reason_ = std::move(reason);
    return r;
  }
  FindKind kind() const { return kind_; }
  const std::string& remote_id() const { return remote_id_; }
  const std::string& url() const { return url_; }
  const std::string& reason() const { return reason_; }

 private:
  explicit FindResult(FindKind kind) : kind_(kind) {}
  FindKind kind_;
  std::string remote_id_;
  std::string url_;
  std::string reason_;
};

// ------------------------------------------------------------------ validate

// One problem validate() found: `field` names the post field ("text", "media[0]",
// "options.title", ...), `message` is a sentence for the marketer.
struct Issue {
  std::string field;
  std::string message;
};

inline std::string IssuesToJson(const std::vector<Issue>& issues) {
  std::string out = "[";
  for (std::size_t i = 0; i < issues.size(); ++i) {
    if (i) out += ",";
    out += "{\"field\":" + JsonQuote(issues[i].field) +
           ",\"message\":" + JsonQuote(issues[i].message) + "}";
  }
  return out + "]";
}

// -------------------------------------------------------------------- limits

// Media specs. Widths are displayed pixels; an aspect ratio is width / height
// (1.91 for 1.91:1, 0.8 for 4:5). Containers and codecs use herald's probe
// names: containers "mp4", "mov", "webm", "matroska", "avi", "3gp"; codecs as
// libavcodec names them ("h264", "hevc", "vp9", "av1", "aac", "opus", "mp3").
struct ImageLimits {
  std::optional<std::uint64_t> max_bytes;
  std::vector<std::string> mime_types;  // empty: any image type
  std::optional<std::int64_t> min_width, max_width;
  std::optional<double> min_aspect_ratio, max_aspect_ratio;
};

struct VideoLimits {
  std::optional<std::uint64_t> max_bytes;
  std::optional<std::int64_t> max_duration_s;
  std::vector<std::string> mime_types;  // empty: any video type
  std::optional<std::int64_t> min_duration_s;
  std::vector<std::string> containers;    // empty: any container
  std::vector<std::string> video_codecs;  // empty: any video codec
  std::vector<std::string> audio_codecs;  // empty: any; a silent video always passes
  std::optional<std::int64_t> min_width, max_width;
  std::optional<double> min_aspect_ratio, max_aspect_ratio;
  std::optional<double> max_frame_rate;
};

// A post kind a calendar may ask for with `kind:` (Instagram's "story"), and
// what changes for it: `text = false` when that kind publishes no text (then
// a calendar need not give any), and the media counts.
struct PostKindLimits {
  bool text = true;
  std::optional<bool> media_required;
  std::optional<std::int64_t> media_max_count;
};

// The versioned API a connector speaks for one account, so that the host can
// warn before the platform retires that version (docs/writing-a-connector.md,
// "api"). Dates are "YYYY-MM-DD" (UTC); `released` is empty when the
// connector does not know the version, `expires` when no date is announced.
struct ApiVersion {
  std::string name;     // "Graph API"
  std::string version;  // "v26.0"
  std::string released;
  std::string expires;
};

// A platform's daily quota, so that the host can estimate what an account
// used today and when the quota resets (docs/writing-a-connector.md,
// "quota"): the IANA zone whose midnight resets it and each bucket's daily
// allowance. Requests declare their cost with Request::Quota.
struct QuotaLimits {
  std::string reset_time_zone;                                // "America/Los_Angeles"
  std::vector<std::pair<std::string, std::int64_t>> per_day;  // {"units", 10000}, ...
};

// Builds describe()'s JSON. Every key is optional: an unset limit is absent
// from the JSON and means "no limit"; an unset media kind means "not accepted".
class Limits {
 public:
  Limits& TextMax(std::int64_t v) { return Set(text_max_, v); }
  Limits& TitleMax(std::int64_t v) { return Set(title_max_, v); }
  Limits& DescriptionMax(std::int64_t v) { return Set(description_max_, v); }
  Limits& DescriptionMaxBytes(std::int64_t v) { return Set(description_max_bytes_, v); }
  Limits& TagsMaxTotalChars(std::int64_t v) { return Set(tags_max_total_chars_, v); }
  Limits& HashtagsMax(std::int64_t v) { return Set(hashtags_max_, v); }
  Limits& MentionsMax(std::int64_t v) { return Set(mentions_max_, v); }
  Limits& MediaMaxCount(std::int64_t v) { return Set(media_max_count_, v); }
  Limits& LinkAllowed(bool v) {
    link_allowed_ = v;
    return *this;
  }
  Limits& MediaRequired(bool v) {
    media_required_ = v;
    return *this;
  }
  Limits& Image(ImageLimits v) {
    image_ = std::move(v);
    return *this;
  }
  Limits& Video(VideoLimits v) {
    video_ = std::move(v);
    return *this;
  }
  Limits& Api(ApiVersion v) {
    api_ = std::move(v);
    return *this;
  }
  Limits& Quota(QuotaLimits v) {
    quota_ = std::move(v);
    return *this;
  }
  // Names a post kind (repeatable); without any, `kind:` in a calendar is an error.
  Limits& Kind(std::string name, PostKindLimits v) {
    kinds_.emplace_back(std::move(name), v);
    return *this;
  }

  std::string ToJson() const {
    std::string out = "{";
    bool first = true;
    auto key = [&](const char* k) {
      if (!first) out += ",";
      first = false;
      out += JsonQuote(k) + ":";
    };
    auto num = [&](const char* k, const auto& v) {
      if (v) {
        key(k);
        out += std::to_string(*v);
      }
    };
    auto flag = [&](const char* k, const std::optional<bool>& v) {
      if (v) {
        key(k);
        out += *v ? "true" : "false";
      }
    };
    num("text_max", text_max_);
    num("title_max", title_max_);
    num("description_max", description_max_);
    num("description_max_bytes", description_max_bytes_);
    num("tags_max_total_chars", tags_max_total_chars_);
    num("hashtags_max", hashtags_max_);
    num("mentions_max", mentions_max_);
    flag("link_allowed", link_allowed_);
    flag("media_required", media_required_);
    num("media_max_count", media_max_count_);
    if (image_ || video_) {
      key("media");
      out += "{";
      if (image_) {
        KindFields f;
        f.Int("max_bytes", image_->max_bytes);
        f.Strings("mime_types", image_->mime_types);
        f.Int("min_width", image_->min_width);
        f.Int("max_width", image_->max_width);
        f.Real("min_aspect_ratio", image_->min_aspect_ratio);
        f.Real("max_aspect_ratio", image_->max_aspect_ratio);
        out += "\"image\":{" + f.out + "}";
      }
      if (video_) {
        if (image_) out += ",";
        KindFields f;
        f.Int("max_bytes", video_->max_bytes);
        f.Int("max_duration_s", video_->max_duration_s);
        f.Strings("mime_types", video_->mime_types);
        f.Int("min_duration_s", video_->min_duration_s);
        f.Strings("containers", video_->containers);
        f.Strings("video_codecs", video_->video_codecs);
        f.Strings("audio_codecs", video_->audio_codecs);
        f.Int("min_width", video_->min_width);
        f.Int("max_width", video_->max_width);
        f.Real("min_aspect_ratio", video_->min_aspect_ratio);
        f.Real("max_aspect_ratio", video_->max_aspect_ratio);
        f.Real("max_frame_rate", video_->max_frame_rate);
        out += "\"video\":{" + f.out + "}";
      }
      out += "}";
    }
    if (!kinds_.empty()) {
      key("kinds");
      out += "{";
      for (std::size_t i = 0; i < kinds_.size(); ++i) {
        const PostKindLimits& k = kinds_[i].second;
        KindFields f;
        f.Bool("text", k.text ? std::nullopt : std::optional<bool>(false));  // true is the default
        f.Bool("media_required", k.media_required);
        f.Int("media_max_count", k.media_max_count);
        out += (i ? "," : "") + JsonQuote(kinds_[i].first) + ":{" + f.out + "}";
      }
      out += "}";
    }
    if (api_) {
      key("api");
      KindFields f;
      f.String("name", api_->name);
      f.String("version", api_->version);
      f.String("released", api_->released);
      f.String("expires", api_->expires);
      out += "{" + f.out + "}";
    }
    if (quota_) {
      key("quota");
      KindFields per_day;
      for (const auto& [bucket, units] : quota_->per_day) {
        per_day.Int(bucket.c_str(), std::optional<std::int64_t>(units));
      }
      KindFields f;
      f.String("reset_time_zone", quota_->reset_time_zone);
      out += "{" + f.out + (f.out.empty() ? "" : ",") + "\"per_day\":{" + per_day.out + "}}";
    }
    return out + "}";
  }

 private:
  Limits& Set(std::optional<std::int64_t>& field, std::int64_t v) {
    field = v;
    return *this;
  }
  // One media or post kind's JSON fields, unset ones left out.
  struct KindFields {
    std::string out;
    void Key(const char* k) {
      if (!out.empty()) out += ",";
      out += JsonQuote(k) + ":";
    }
    void Bool(const char* k, const std::optional<bool>& v) {
      if (!v) return;
      Key(k);
      out += *v ? "true" : "false";
    }
    template <typename T>
    void Int(const char* k, const std::optional<T>& v) {
      if (!v) return;
      Key(k);
      out += std::to_string(*v);
    }
    // Shortest form that reads back exactly, '.' whatever the locale.
    void Real(const char* k, const std::optional<double>& v) {
      if (!v) return;
      Key(k);
      char buf[32];
      const std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, *v);
      out.append(buf, r.ptr);
    }
    void String(const char* k, const std::string& v) {
      if (v.empty()) return;
      Key(k);
      out += JsonQuote(v);
    }
    void Strings(const char* k, const std::vector<std::string>& v) {
      if (v.empty()) return;
      Key(k);
      out += "[";
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out += ",";
        out += JsonQuote(v[i]);
      }
      out += "]";
    }
  };

  std::optional<std::int64_t> text_max_, title_max_, description_max_, description_max_bytes_,
      tags_max_total_chars_, hashtags_max_, mentions_max_, media_max_count_;
  std::optional<bool> link_allowed_, media_required_;
  std::optional<ImageLimits> image_;
  std::optional<VideoLimits> video_;
  std::vector<std::pair<std::string, PostKindLimits>> kinds_;
  std::optional<ApiVersion> api_;
  std::optional<QuotaLimits> quota_;
};

// ---------------------------------------------------------------------- http

struct Header {
  std::string name;
  std::string value;
};

// One part of a multipart/form-data body: a plain field or a file range.
struct MultipartPart {
  std::string name;
  std::string filename;                  // empty: a plain field
  std::string content_type;              // empty: the host's default
  std::string data;                      // the value, for a memory part
  std::optional<std::string> file_path;  // set: a file part read from disk
  std::uint64_t file_offset = 0;
  std::uint64_t file_length = UINT64_MAX;  // UINT64_MAX: to the end of the file

  static MultipartPart Field(std::string name, std::string value) {
    MultipartPart p;
    p.name = std::move(name);
    p.data = std::move(value);
    return p;
  }
  static MultipartPart File(std::string name, std::string filename, std::string content_type,
                            std::string path, std::uint64_t offset = 0,
                            std::uint64_t length = UINT64_MAX) {
    MultipartPart p;
    p.name = std::move(name);
    p.filename = std::move(filename);
    p.content_type = std::move(content_type);
    p.file_path = std::move(path);
    p.file_offset = offset;
    p.file_length = length;
    return p;
  }
};

// One HTTP request. Set the body with one of the Body*() calls.
struct Request {
  std::string method = "GET";
  std::string url;
  std::vector<Header> headers;
  herald_body_kind body_kind = HERALD_BODY_NONE;
  std::string body;       // HERALD_BODY_MEMORY
  std::string file_path;  // HERALD_BODY_FILE_RANGE
  std::uint64_t file_offset = 0;
  std::uint64_t file_length = UINT64_MAX;
  std::vector<MultipartPart> parts;  // HERALD_BODY_MULTIPART
  std::int64_t timeout_ms = 0;       // 0: the host's default
  std::vector<std::string> secrets;  // values the host must never log
  std::string quota_bucket;          // empty: "units"
  std::int64_t quota_units = 0;      // cost against the platform's quota; 0: none

  Request() = default;
  Request(std::string m, std::string u) : method(std::move(m)), url(std::move(u)) {}

  Request& AddHeader(std::string name, std::string value) {
    headers.push_back({std::move(name), std::move(value)});
    return *this;
  }
  Request& BodyMemory(std::string data) {
    body_kind = HERALD_BODY_MEMORY;
    body = std::move(data);
    return *this;
  }
  Request& BodyFileRange(std::string path, std::uint64_t offset = 0,
                         std::uint64_t length = UINT64_MAX) {
    body_kind = HERALD_BODY_FILE_RANGE;
    file_path = std::move(path);
    file_offset = offset;
    file_length = length;
    return *this;
  }
  Request& BodyMultipart(std::vector<MultipartPart> p) {
    body_kind = HERALD_BODY_MULTIPART;
    parts = std::move(p);
    return *this;
  }
  Request& Secret(std::string value) {
    secrets.push_back(std::move(value));
    return *this;
  }
  // What this request costs against the account's daily platform quota (the
  // platform's quota table); the host counts it when the request is sent.
  Request& Quota(std::string bucket, std::int64_t units) {
    quota_bucket = std::move(bucket);
    quota_units = units;
    return *this;
  }
};

// An HTTP answer (any status), copied out of the host's buffers.
struct Response {
  int status = 0;
  std::string headers;  // "Name: value\r\n" lines
  std::string body;

  // The first header named `name` (case-insensitive), without surrounding blanks.
  std::optional<std::string> HeaderValue(std::string_view name) const {
    std::size_t pos = 0;
    while (pos < headers.size()) {
      std::size_t eol = headers.find('\n', pos);
      if (eol == std::string::npos) eol = headers.size();
      std::string_view line(headers.data() + pos, eol - pos);
      std::size_t colon = line.find(':');
      if (colon == name.size() && EqualsIgnoreCase(line.substr(0, colon), name)) {
        std::string_view v = line.substr(colon + 1);
        while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
        while (!v.empty() && (v.back() == '\r' || v.back() == ' ' || v.back() == '\t'))
          v.remove_suffix(1);
        return std::string(v);
      }
      pos = eol + 1;
    }
    return std::nullopt;
  }

  // When the server asks to be called again (its Retry-After header), in Unix
  // ms, for an answer received at `now_ms`: delta-seconds ("8") or an
  // HTTP-date in any of the three forms RFC 9110 makes recipients accept
  // ("Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
  // "Sun Nov  6 08:49:37 1994"). A date already past gives `now_ms`; a wait
  // longer than kMaxRetryAfterMs is cut to it, however many digits it has.
  // nullopt when the header is absent or unreadable (negative, fractional,
  // not a date): then the caller's own backoff decides.
  std::optional<std::int64_t> RetryAfterMs(std::int64_t now_ms) const {
    std::optional<std::string> value = HeaderValue("Retry-After");
    if (!value) return std::nullopt;
    return ParseRetryAfterMs(*value, now_ms);
  }

  // The longest wait a Retry-After is taken at: 24 hours.
  static constexpr std::int64_t kMaxRetryAfterMs = 24LL * 60 * 60 * 1000;

  // RetryAfterMs for a header value already read.
  static std::optional<std::int64_t> ParseRetryAfterMs(std::string_view v, std::int64_t now_ms) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r'))
      v.remove_suffix(1);
    if (v.empty()) return std::nullopt;
    const std::int64_t latest =
        now_ms > INT64_MAX - kMaxRetryAfterMs ? INT64_MAX : now_ms + kMaxRetryAfterMs;
    if (IsDigit(v.front())) {
      // delta-seconds: digits only; counting stops once past the cap, so no
      // length of digits can overflow.
      std::int64_t seconds = 0;
      for (char c : v) {
        if (!IsDigit(c)) return std::nullopt;
        if (seconds <= kMaxRetryAfterMs / 1000) seconds = seconds * 10 + (c - '0');
      }
      const std::int64_t wait = seconds * 1000;
      return wait >= latest - now_ms ? latest : now_ms + wait;
    }
    std::optional<std::int64_t> at = ParseHttpDateMs(v, now_ms);
    if (!at) return std::nullopt;
    if (*at <= now_ms) return now_ms;
    return *at > latest ? latest : *at;
  }

  // An HTTP-date (IMF-fixdate, RFC 850 or asctime form) as Unix ms; nullopt
  // when `v` is none of them or names no real instant. An RFC 850 date's
  // two-digit year is the one nearest `now_ms` not more than 50 years ahead.
  static std::optional<std::int64_t> ParseHttpDateMs(std::string_view v, std::int64_t now_ms) {
    std::vector<std::string_view> t;  // the words, split at blanks and commas
    std::size_t i = 0;
    while (i < v.size()) {
      while (i < v.size() && (v[i] == ' ' || v[i] == ',')) ++i;
      std::size_t start = i;
      while (i < v.size() && v[i] != ' ' && v[i] != ',') ++i;
      if (i > start) t.push_back(v.substr(start, i - start));
    }
    const bool comma = v.find(',') != std::string_view::npos;
    std::string_view day, month, year, clock;
    if (comma && t.size() == 6 && t[5] == "GMT") {  // Sun, 06 Nov 1994 08:49:37 GMT
      day = t[1], month = t[2], year = t[3], clock = t[4];
      if (day.size() != 2 || year.size() != 4) return std::nullopt;
    } else if (comma && t.size() == 4 && t[3] == "GMT") {  // Sunday, 06-Nov-94 08:49:37 GMT
      std::string_view d = t[1];
      if (d.size() != 9 || d[2] != '-' || d[6] != '-') return std::nullopt;
      day = d.substr(0, 2), month = d.substr(3, 3), year = d.substr(7, 2), clock = t[2];
    } else if (!comma && t.size() == 5) {  // Sun Nov  6 08:49:37 1994
      month = t[1], day = t[2], clock = t[3], year = t[4];
      if (day.size() > 2 || year.size() != 4) return std::nullopt;
    } else {
      return std::nullopt;
    }
    if (t[0].size() < 3 || !IsAlpha(t[0])) return std::nullopt;  // the weekday, not checked further
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int mon = 0;
    for (int m = 0; m < 12; ++m) {
      if (month == kMonths[m]) mon = m + 1;
    }
    std::optional<int> d = Number(day), y = Number(year);
    if (!mon || !d || !y || clock.size() != 8 || clock[2] != ':' || clock[5] != ':')
      return std::nullopt;
    std::optional<int> hh = Number(clock.substr(0, 2)), mm = Number(clock.substr(3, 2)),
                       ss = Number(clock.substr(6, 2));
    if (!hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 60) return std::nullopt;
    int yr = *y;
    if (year.size() == 2) {  // RFC 9110: never more than 50 years in the future
      const int now_year = YearOf(now_ms);
      yr += now_year - now_year % 100;
      if (yr > now_year + 50) yr -= 100;
    }
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (yr % 4 == 0 && yr % 100 != 0) || yr % 400 == 0;
    if (*d < 1 || *d > kDays[mon - 1] + (mon == 2 && leap ? 1 : 0)) return std::nullopt;
    // Days from 1970-01-01 to the date (the proleptic Gregorian calendar).
    const int ya = mon <= 2 ? yr - 1 : yr;
    const int era = (ya >= 0 ? ya : ya - 399) / 400;
    const int yoe = ya - era * 400;
    const int doy = (153 * (mon + (mon > 2 ? -3 : 9)) + 2) / 5 + *d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = std::int64_t{era} * 146097 + doe - 719468;
    return ((days * 24 + *hh) * 60 + *mm) * 60'000 + std::int64_t{*ss} * 1000;
  }

 private:
  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }
  // The Gregorian year of Unix time `ms`.
  static int YearOf(std::int64_t ms) {
    const std::int64_t z = (ms >= 0 ? ms : ms - 86'399'999) / 86'400'000 + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    return static_cast<int>(yoe + era * 400 + (mp >= 10 ? 1 : 0));
  }
  static bool IsAlpha(std::string_view s) {
    for (char c : s) {
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
    }
    return true;
  }
  // A short run of digits (a date's field) as a number; nullopt otherwise.
  static std::optional<int> Number(std::string_view s) {
    if (s.empty() || s.size() > 4) return std::nullopt;
    int n = 0;
    for (char c : s) {
      if (!IsDigit(c)) return std::nullopt;
      n = n * 10 + (c - '0');
    }
    return n;
  }
  static bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      char x = a[i], y = b[i];
      if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
      if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
      if (x != y) return false;
    }
    return true;
  }
};

// A transport failure: no HTTP answer came back.
struct TransportError {
  herald_status code;  // HERALD_ERR_HTTP_NOT_SENT (safe to retry), _NO_RESPONSE (unknown), _BODY
  std::string message;
};

// Either a Response or a TransportError.
class HttpResult {
 public:
  HttpResult(Response r) : v_(std::move(r)) {}        // NOLINT(google-explicit-constructor)
  HttpResult(TransportError e) : v_(std::move(e)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return std::holds_alternative<Response>(v_); }
  const Response& response() const { return std::get<Response>(v_); }
  const TransportError& error() const { return std::get<TransportError>(v_); }

 private:
  std::variant<Response, TransportError> v_;
};

enum class LogLevel {
  kDebug = HERALD_LOG_DEBUG,
  kInfo = HERALD_LOG_INFO,
  kWarn = HERALD_LOG_WARN,
  kError = HERALD_LOG_ERROR,
};

// --------------------------------------------------------------------- host

// The host's services for one connector. Cheap to copy; valid for the
// connector's whole life; every call is thread-safe and never throws except
// std::bad_alloc.
class Host {
 public:
  Host(const herald_host_api* api, herald_host_ctx* ctx) : api_(api), ctx_(ctx) {}

  // Never log secrets: the host redacts the stored credentials, nothing else.
  void Log(LogLevel level, std::string_view message) const {
    std::string m(message);
    api_->log(ctx_, static_cast<std::int32_t>(level), m.c_str());
  }
  void Debug(std::string_view m) const { Log(LogLevel::kDebug, m); }
  void Info(std::string_view m) const { Log(LogLevel::kInfo, m); }
  void Warn(std::string_view m) const { Log(LogLevel::kWarn, m); }
  void Error(std::string_view m) const { Log(LogLevel::kError, m); }

  // Make one request and wait for the answer. File bodies are streamed by the host.
  HttpResult Http(const Request& req) const {
    std::vector<herald_header> headers;
    headers.reserve(req.headers.size());
    for (const auto& h : req.headers) headers.push_back({h.name.c_str(), h.value.c_str()});
    std::vector<herald_multipart_part> parts;
    parts.reserve(req.parts.size());
    for (const auto& p : req.parts) {
      herald_multipart_part c{};
      c.struct_size = sizeof c;
      c.name = p.name.c_str();
      c.filename = p.filename.empty() ? nullptr : p.filename.c_str();
      c.content_type = p.content_type.empty() ? nullptr : p.content_type.c_str();
      c.data = p.data.data();
      c.size = p.data.size();
      c.file_path = p.file_path ? p.file_path->c_str() : nullptr;
      c.file_offset = p.file_offset;
      c.file_length = p.file_length;
      parts.push_back(c);
    }
    std::vector<const char*> secrets;
    secrets.reserve(req.secrets.size());
    for (const auto& s : req.secrets) secrets.push_back(s.c_str());

    herald_http_request r{};
    r.struct_size = sizeof r;
    r.method = req.method.c_str();
    r.url = req.url.c_str();
    r.headers = headers.data();
    r.header_count = headers.size();
    r.body_kind = req.body_kind;
    r.data = req.body.data();
    r.size = req.body.size();
    r.file_path = req.body_kind == HERALD_BODY_FILE_RANGE ? req.file_path.c_str() : nullptr;
    r.file_offset = req.file_offset;
    r.file_length = req.file_length;
    r.parts = parts.data();
    r.part_count = parts.size();
    r.timeout_ms = req.timeout_ms;
    r.secrets = secrets.data();
    r.secret_count = secrets.size();
    r.quota_bucket = req.quota_bucket.empty() ? nullptr : req.quota_bucket.c_str();
    r.quota_units = req.quota_units;

    herald_http_response resp{};
    resp.struct_size = sizeof resp;
    std::int32_t rc = api_->http(ctx_, &r, &resp);
    if (rc != HERALD_OK) {
      std::string msg = resp.error ? resp.error : "HTTP transport error";
      return TransportError{static_cast<herald_status>(rc), std::move(msg)};
    }
    Response out;
    out.status = resp.status;
    if (resp.headers) out.headers.assign(resp.headers, resp.headers_size);
    if (resp.body) out.body.assign(resp.body, resp.body_size);
    return out;
  }

  // One credential of this account ("access_token", ...), nullopt when absent.
  std::optional<std::string> Credential(const std::string& key) const {
    const char* v = api_->credential_get(ctx_, key.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  }

  // Store a refreshed credential durably. An empty value is refused by the host.
  herald_status StoreCredential(const std::string& key, const std::string& value) const {
    return static_cast<herald_status>(api_->credential_store(ctx_, key.c_str(), value.c_str()));
  }

  // The host's clock, Unix ms. Use it rather than the system clock: tests substitute it.
  std::int64_t NowMs() const { return api_->now_ms(ctx_); }

  const herald_host_api* api() const { return api_; }
  herald_host_ctx* ctx() const { return ctx_; }

 private:
  const herald_host_api* api_;
  herald_host_ctx* ctx_;
};

// ------------------------------------------------------------ the generator

namespace detail {

template <class C, class = void>
struct HasValidate : std::false_type {};
template <class C>
struct HasValidate<C,
                   std::void_t<decltype(std::declval<C&>().Validate(std::declval<const Post&>()))>>
    : std::true_type {};

template <class C, class = void>
struct HasMetrics : std::false_type {};
template <class C>
struct HasMetrics<C, std::void_t<decltype(std::declval<C&>().Metrics(
                         std::declval<const std::vector<std::string>&>()))>> : std::true_type {};

template <class C, class = void>
struct HasFind : std::false_type {};
template <class C>
struct HasFind<C, std::void_t<decltype(std::declval<C&>().Find(std::declval<const Post&>()))>>
    : std::true_type {};

// One live connector: the author's object plus the strings handed to the host,
// which stay valid until the next call on this handle.
template <class C>
struct Instance {
  template <class... Args>
  explicit Instance(Args&&... args) : impl(std::forward<Args>(args)...) {}
  C impl;
  std::optional<std::string> last_error;
  std::string describe_json;
  std::string validate_json;
  std::string metrics_json;
  std::optional<Outcome> outcome;
  std::optional<FindResult> find_result;
};

inline herald_status StatusOf(const std::exception& e) {
  if (auto* pe = dynamic_cast<const PluginError*>(&e)) return pe->code();
  return HERALD_ERR_INTERNAL;
}

inline const char* CStrOrNull(const std::string& s) { return s.empty() ? nullptr : s.c_str(); }

template <class C>
struct Thunks {
  static Instance<C>* Of(herald_connector* c) { return reinterpret_cast<Instance<C>*>(c); }

  static const herald_plugin_info* GetInfo() noexcept {
    static const herald_plugin_info info = {sizeof(herald_plugin_info), C::kPlatform, C::kVersion,
                                            C::kDescription};
    return &info;
  }

  static herald_connector* Create(const herald_host_api* host, herald_host_ctx* ctx,
                                  const herald_account* account, const char** error) noexcept {
    // Per thread, so concurrent create() calls never share the message; a plain
    // array, so no thread-exit destructor pins the library after dlclose.
    thread_local char create_error[1024];
    // Copied inside the handler: what() dies with the exception object.
    try {
      auto* inst = new Instance<C>(Host(host, ctx), Account::FromAbi(account));
      return reinterpret_cast<herald_connector*>(inst);
    } catch (const std::exception& e) {
      std::snprintf(create_error, sizeof create_error, "%s", e.what());
    } catch (...) {
      std::snprintf(create_error, sizeof create_error, "%s",
                    "unknown exception in connector constructor");
    }
    if (error) *error = create_error;
    return nullptr;
  }

  static void Destroy(herald_connector* c) noexcept {
    // A destructor that throws would terminate anyway; C's destructor is noexcept.
    delete Of(c);
  }

  static const char* LastError(herald_connector* c) noexcept {
    auto* inst = Of(c);
    return inst->last_error ? inst->last_error->c_str() : nullptr;
  }

  // Runs `fn`; on an exception stores its message as last_error and returns its status.
  template <class Fn>
  static herald_status Guard(Instance<C>* inst, Fn&& fn) noexcept {
    try {
      inst->last_error.reset();
      fn();
      return HERALD_OK;
    } catch (const std::exception& e) {
      try {
        inst->last_error = e.what();
      } catch (...) {
        inst->last_error.reset();
      }
      return StatusOf(e);
    } catch (...) {
      try {
        inst->last_error = "unknown exception";
      } catch (...) {
        inst->last_error.reset();
      }
      return HERALD_ERR_INTERNAL;
    }
  }

  static const char* Describe(herald_connector* c) noexcept {
    auto* inst = Of(c);
    herald_status rc = Guard(inst, [&] {
      auto d = inst->impl.Describe();
      if constexpr (std::is_same_v<std::decay_t<decltype(d)>, Limits>) {
        inst->describe_json = d.ToJson();
      } else {
        inst->describe_json = std::string(d);
      }
    });
    return rc == HERALD_OK ? inst->describe_json.c_str() : nullptr;
  }

  static const char* Validate(herald_connector* c, const herald_post* post) noexcept {
    auto* inst = Of(c);
    herald_status rc =
        Guard(inst, [&] { inst->validate_json = IssuesToJson(inst->impl.Validate(Post(post))); });
    if (rc == HERALD_OK) return inst->validate_json.c_str();
    // validate() has no error channel of its own: a crash rejects the post, saying why.
    inst->validate_json =
        "[{\"field\":\"\",\"message\":" +
        JsonQuote("connector validate failed: " + inst->last_error.value_or("unknown error")) +
        "}]";
    return inst->validate_json.c_str();
  }

  static void Fill(const Outcome& o, herald_outcome* out) {
    out->kind = static_cast<std::int32_t>(o.kind());
    out->remote_id = CStrOrNull(o.remote_id());
    out->url = CStrOrNull(o.url());
    out->at_ms = o.at_ms();
    out->checkpoint = o.kind() == OutcomeKind::kContinue ? o.checkpoint().data() : nullptr;
    out->checkpoint_size = o.kind() == OutcomeKind::kContinue ? o.checkpoint().size() : 0;
    out->reason = CStrOrNull(o.reason());
    if (HERALD_HAS_FIELD(out, herald_outcome, http_status)) out->http_status = o.http_status();
    if (HERALD_HAS_FIELD(out, herald_outcome, platform_code))
      out->platform_code = o.platform_code() ? o.platform_code()->c_str() : nullptr;
  }

  static std::int32_t Step(herald_connector* c, const herald_post* post, const char* checkpoint,
                           std::size_t checkpoint_size, herald_outcome* out) noexcept {
    auto* inst = Of(c);
    herald_status rc = Guard(inst, [&] {
      std::optional<std::string_view> cp;
      if (checkpoint) cp = std::string_view(checkpoint, checkpoint_size);
      inst->outcome.reset();
      inst->outcome.emplace(inst->impl.Step(Post(post), cp));
      const Outcome& o = *inst->outcome;
      if (o.kind() == OutcomeKind::kPublished && o.remote_id().empty())
        throw std::logic_error("connector returned published without a remote id");
      // An empty checkpoint would come back as NULL, indistinguishable from a first call.
      if (o.kind() == OutcomeKind::kContinue && o.checkpoint().empty())
        throw std::logic_error("connector returned continue with an empty checkpoint");
    });
    if (rc != HERALD_OK) {
      // The exception's message is the FAILED reason; last_error already holds it.
      const char* reason = inst->last_error ? inst->last_error->c_str() : "unknown error";
      inst->outcome.reset();
      out->kind = HERALD_OUTCOME_FAILED;
      out->remote_id = nullptr;
      out->url = nullptr;
      out->at_ms = 0;
      out->checkpoint = nullptr;
      out->checkpoint_size = 0;
      out->reason = reason;
      return rc;
    }
    Fill(*inst->outcome, out);
    return HERALD_OK;
  }

  static const char* Metrics(herald_connector* c, const char* const* remote_ids,
                             std::size_t count) noexcept {
    auto* inst = Of(c);
    herald_status rc = Guard(inst, [&] {
      std::vector<std::string> ids;
      ids.reserve(count);
      for (std::size_t i = 0; i < count; ++i) ids.emplace_back(View(remote_ids[i]));
      inst->metrics_json = std::string(inst->impl.Metrics(ids));
    });
    return rc == HERALD_OK ? inst->metrics_json.c_str() : nullptr;
  }

  static std::int32_t Find(herald_connector* c, const herald_post* post,
                           herald_find_result* out) noexcept {
    auto* inst = Of(c);
    herald_status rc = Guard(inst, [&] {
      inst->find_result.reset();
      inst->find_result.emplace(inst->impl.Find(Post(post)));
    });
    if (rc != HERALD_OK) return rc;
    const FindResult& r = *inst->find_result;
    out->kind = static_cast<std::int32_t>(r.kind());
    out->remote_id = CStrOrNull(r.remote_id());
    out->url = CStrOrNull(r.url());
    out->reason = CStrOrNull(r.reason());
    return HERALD_OK;
  }
};

// The function table for connector class C; optional entries are NULL when C lacks them.
template <class C>
const herald_plugin_api* ApiTable() noexcept {
  static_assert(std::is_constructible_v<C, Host, const Account&>,
                "a connector needs a constructor C(herald::Host, const herald::Account&)");
  static_assert(std::is_convertible_v<decltype(C::kPlatform), const char*> &&
                    std::is_convertible_v<decltype(C::kVersion), const char*> &&
                    std::is_convertible_v<decltype(C::kDescription), const char*>,
                "a connector needs static kPlatform, kVersion and kDescription strings");
  static const herald_plugin_api api = [] {
    herald_plugin_api a{};
    a.struct_size = sizeof a;
    a.get_info = &Thunks<C>::GetInfo;
    a.create = &Thunks<C>::Create;
    a.destroy = &Thunks<C>::Destroy;
    a.last_error = &Thunks<C>::LastError;
    a.describe = &Thunks<C>::Describe;
    a.step = &Thunks<C>::Step;
    if constexpr (HasValidate<C>::value) a.validate = &Thunks<C>::Validate;
    if constexpr (HasMetrics<C>::value) a.metrics = &Thunks<C>::Metrics;
    if constexpr (HasFind<C>::value) a.find = &Thunks<C>::Find;
    return a;
  }();
  return &api;
}

}  // namespace detail
}  // namespace herald

// Exports the two herald symbols for connector class `ConnectorClass`. Use it
// once per plugin, at namespace scope in one .cpp file.
#define HERALD_PLUGIN(ConnectorClass)                                                             \
  extern "C" HERALD_PLUGIN_EXPORT uint32_t herald_plugin_abi_version(void) noexcept {             \
    return HERALD_ABI_VERSION;                                                                    \
  }                                                                                               \
  extern "C" HERALD_PLUGIN_EXPORT const herald_plugin_api* herald_plugin_get_api(void) noexcept { \
    return ::herald::detail::ApiTable<ConnectorClass>();                                          \
  }

#endif  // HERALD_PLUGIN_HPP
