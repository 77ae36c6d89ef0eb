/*
 * herald connector plugin ABI.
 *
 * This header is the whole contract between heraldd (the host) and a connector
 * plugin: a shared library that publishes posts to one platform. It is plain
 * C99 so that a plugin may be built with any compiler and any flags; the C++
 * comfort layer is <herald/plugin.hpp>, compiled into the plugin.
 *
 * Rules that hold for everything below:
 *
 *  - Versioning. A plugin exports two symbols (see "Exports" at the end):
 *    the ABI version it was built against and its function table. The host
 *    reads the version first and refuses the plugin unless the majors are
 *    equal and the host's minor is >= the plugin's minor. Within one major,
 *    structs only grow at their end; every struct begins with `struct_size`,
 *    and a reader uses a field only if it lies inside the `struct_size` the
 *    writer set (HERALD_HAS_FIELD).
 *  - Strings are UTF-8 and NUL-terminated unless a length is given beside
 *    them. JSON crosses as text. A NULL string means "absent".
 *  - Ownership. Everything the host passes in lives for the duration of the
 *    call only. Everything a plugin returns (strings, outcome fields) stays
 *    the plugin's and must stay valid until the plugin's next call on the
 *    same connector handle, or until destroy.
 *  - Threads. The host calls one connector handle from one thread at a time
 *    (calls on one handle never overlap), though successive calls may come
 *    from different threads. Different handles may be called concurrently.
 *    The plugin-level functions (get_info, create) may be called from any
 *    thread and must be thread-safe. Every host service is thread-safe.
 *  - Errors. Nothing may unwind across this boundary: no C++ exception, no
 *    longjmp. A function that fails says so in its return value, and the
 *    plugin keeps a message for `last_error`.
 *  - Time is Unix time in milliseconds (int64, UTC).
 */
#ifndef HERALD_PLUGIN_ABI_H
#define HERALD_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- version */

#define HERALD_ABI_VERSION_MAJOR 1
#define HERALD_ABI_VERSION_MINOR 2
/* Packed as one 32-bit number: major in the high 16 bits, minor in the low. */
#define HERALD_ABI_VERSION ((uint32_t)((HERALD_ABI_VERSION_MAJOR << 16) | HERALD_ABI_VERSION_MINOR))
#define HERALD_ABI_MAJOR_OF(v) ((uint32_t)(v) >> 16)
#define HERALD_ABI_MINOR_OF(v) ((uint32_t)(v)&0xFFFFu)

/* True when `field` of struct `type` lies within the `struct_size` the writer of `ptr` set. */
#define HERALD_HAS_FIELD(ptr, type, field) \
  ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))

/* ------------------------------------------------------------ visibility */

#if defined(_WIN32)
#define HERALD_PLUGIN_EXPORT __declspec(dllexport)
#else
#define HERALD_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* -------------------------------------------------------- opaque handles */

/* A connector instance, made by the plugin for one account. */
typedef struct herald_connector herald_connector;
/* The host's context for one connector; passed back to every host service. */
typedef struct herald_host_ctx herald_host_ctx;

/* ----------------------------------------------------------------- enums */

typedef enum herald_log_level {
  HERALD_LOG_DEBUG = 0,
  HERALD_LOG_INFO = 1,
  HERALD_LOG_WARN = 2,
  HERALD_LOG_ERROR = 3
} herald_log_level;

/* What a call to step() decided. */
typedef enum herald_outcome_kind {
  /* The post is live: remote_id (required) and url (optional) are set. */
  HERALD_OUTCOME_PUBLISHED = 1,
  /* Not finished: call step() again at `at_ms` with `checkpoint`. */
  HERALD_OUTCOME_CONTINUE = 2,
  /* Transient failure: try again at `at_ms` (0: the host's backoff decides). */
  HERALD_OUTCOME_RETRY = 3,
  /* The account's credentials are expired or revoked; an admin must act. */
  HERALD_OUTCOME_AUTH_EXPIRED = 4,
  /* Permanent failure: retrying the same post cannot succeed. */
  HERALD_OUTCOME_FAILED = 5,
  /* A request may have reached the platform but no answer came back. The
   * host reconciles with find() before any retry. */
  HERALD_OUTCOME_UNKNOWN = 6,
  /* Since ABI 1.1. The account's platform quota is spent (YouTube's
   * quotaExceeded): the host holds all of this account's work until the
   * quota resets (describe()'s "quota"; `at_ms` when the plugin knows
   * better, else 0), says so, and never fails the job for it. */
  HERALD_OUTCOME_QUOTA_EXHAUSTED = 7
} herald_outcome_kind;

/* What find() learned about a post whose outcome was unknown. */
typedef enum herald_find_kind {
  HERALD_FIND_FOUND = 1, /* the post exists: remote_id (and url) set */
  /* The platform proves it absent, or not finished (an upload session that
   * holds part of the file): the post is pending again and step() goes on
   * from the post's checkpoint, or starts afresh without one. */
  HERALD_FIND_NOT_FOUND = 2,
  HERALD_FIND_CANNOT_TELL = 3 /* no proof either way; reason set */
} herald_find_kind;

typedef enum herald_media_kind { HERALD_MEDIA_IMAGE = 1, HERALD_MEDIA_VIDEO = 2 } herald_media_kind;

/* Return codes of host services and of the plugin's non-outcome functions. */
typedef enum herald_status {
  HERALD_OK = 0,
  HERALD_ERR_INVALID_ARGUMENT = 1,
  HERALD_ERR_NOT_FOUND = 2,
  HERALD_ERR_INTERNAL = 3,
  HERALD_ERR_NOT_IMPLEMENTED = 4,
  /* HTTP transport: the request certainly did not reach the server
   * (name resolution, connection refused, TLS handshake). Safe to retry. */
  HERALD_ERR_HTTP_NOT_SENT = 10,
  /* HTTP transport: the request may have reached the server but no complete
   * answer came back (timeout after sending, connection reset). Unknown. */
  HERALD_ERR_HTTP_NO_RESPONSE = 11,
  /* The request body could not be read (file missing, range outside it). */
  HERALD_ERR_HTTP_BODY = 12
} herald_status;

typedef enum herald_body_kind {
  HERALD_BODY_NONE = 0,
  HERALD_BODY_MEMORY = 1,     /* data/size */
  HERALD_BODY_FILE_RANGE = 2, /* file_path, file_offset, file_length */
  HERALD_BODY_MULTIPART = 3   /* parts/part_count (multipart/form-data) */
} herald_body_kind;

/* ------------------------------------------------------------ plain data */

typedef struct herald_header {
  const char* name;
  const char* value;
} herald_header;

/* One part of a multipart/form-data body: either in memory or a file range. */
typedef struct herald_multipart_part {
  uint32_t struct_size;
  const char* name;         /* form field name, required */
  const char* filename;     /* NULL for a plain field */
  const char* content_type; /* NULL: text/plain for fields, application/octet-stream for files */
  const char* data;         /* memory part, when file_path is NULL */
  size_t size;
  const char* file_path; /* file part: read from file_offset, file_length bytes */
  uint64_t file_offset;
  uint64_t file_length; /* UINT64_MAX: to the end of the file */
} herald_multipart_part;

typedef struct herald_http_request {
  uint32_t struct_size;
  const char* method; /* "GET", "POST", "PUT", "DELETE" */
  const char* url;    /* absolute URL */
  const herald_header* headers;
  size_t header_count;
  int32_t body_kind; /* herald_body_kind */
  const char* data;  /* HERALD_BODY_MEMORY */
  size_t size;
  const char* file_path; /* HERALD_BODY_FILE_RANGE */
  uint64_t file_offset;
  uint64_t file_length;               /* UINT64_MAX: to the end of the file */
  const herald_multipart_part* parts; /* HERALD_BODY_MULTIPART */
  size_t part_count;
  int64_t timeout_ms; /* whole-request timeout; 0: the host's default */
  /* Values that must never be logged (tokens put in a URL or body). The host
   * already redacts the account's stored credentials and Authorization headers. */
  const char* const* secrets;
  size_t secret_count;
  /* Since ABI 1.1 (read only within struct_size). What the request costs
   * against the account's platform quota, as the platform's quota table
   * says: `quota_units` of the bucket `quota_bucket` (a name describe()'s
   * "quota" declares; NULL: "units"). The host counts it once the request
   * was sent, whatever the answer. 0: no cost. */
  const char* quota_bucket;
  int64_t quota_units;
} herald_http_request;

/* Filled by the host. Owned by the host; valid until the plugin's next HTTP
 * call through the same host context, or until the current plugin call returns. */
typedef struct herald_http_response {
  uint32_t struct_size;
  int32_t status;      /* HTTP status code; 0 when the transport failed */
  const char* headers; /* the response header block, "Name: value\r\n" lines */
  size_t headers_size;
  const char* body;
  size_t body_size;
  const char* error; /* transport error in words, when the call failed */
} herald_http_response;

/* A medium attached to a post, already checked and resolved by the host. */
typedef struct herald_media {
  uint32_t struct_size;
  int32_t kind;          /* herald_media_kind */
  const char* path;      /* absolute local path */
  const char* mime_type; /* e.g. "image/jpeg", "video/mp4" */
  uint64_t size_bytes;
  const char* alt_text;   /* NULL when none */
  const char* public_url; /* where the platform can fetch it; NULL when not staged */
} herald_media;

/* One concrete post to publish (a journal job), rendered by the host. */
typedef struct herald_post {
  uint32_t struct_size;
  const char* job_id;  /* stable id; the same on every attempt */
  const char* account; /* "platform/name" */
  int64_t due_ms;      /* when it was scheduled */
  const char* text;    /* the rendered text for this platform; may be "" */
  const char* link;    /* NULL when none */
  const herald_media* media;
  size_t media_count;
  /* The whole rendered post as JSON, including platform options (for
   * example youtube: {title, description, tags, privacy}) and campaign
   * fields. The schema is in docs/writing-a-connector.md. */
  const char* post_json;
  /* Since ABI 1.2 (read only within struct_size). In find() only: the
   * checkpoint the post's last CONTINUE outcome gave, which the step whose
   * outcome is unknown was sent from (an upload session, a container), so
   * that find() can ask the platform about that flow before it searches a
   * listing; NULL (size 0) when the post has none, and always in step(),
   * which gets its checkpoint as an argument, and validate(). */
  const char* checkpoint;
  size_t checkpoint_size;
} herald_post;

/* Filled by the plugin in step(). The host zeroes it and sets struct_size. */
typedef struct herald_outcome {
  uint32_t struct_size;
  int32_t kind;           /* herald_outcome_kind */
  const char* remote_id;  /* PUBLISHED */
  const char* url;        /* PUBLISHED, optional */
  int64_t at_ms;          /* CONTINUE: when to call again; RETRY: not before (0: host decides) */
  const char* checkpoint; /* CONTINUE: opaque bytes (size > 0) the host journals and hands back */
  size_t checkpoint_size;
  const char* reason;        /* RETRY, AUTH_EXPIRED, FAILED, UNKNOWN: a sentence for people */
  int32_t http_status;       /* the platform's last HTTP status, 0 if none */
  const char* platform_code; /* the platform's error code as text, NULL if none */
} herald_outcome;

/* Filled by the plugin in find(). The host zeroes it and sets struct_size. */
typedef struct herald_find_result {
  uint32_t struct_size;
  int32_t kind;          /* herald_find_kind */
  const char* remote_id; /* FOUND */
  const char* url;       /* FOUND, optional */
  const char* reason;    /* NOT_FOUND and CANNOT_TELL: why */
} herald_find_result;

/* The account a connector instance serves. */
typedef struct herald_account {
  uint32_t struct_size;
  const char* platform;    /* "facebook" */
  const char* name;        /* "corner-cleaners" */
  const char* api_base;    /* base URL override, NULL for the platform default */
  const char* config_json; /* the account's non-secret settings as a JSON object */
} herald_account;

/* Static facts about a plugin. */
typedef struct herald_plugin_info {
  uint32_t struct_size;
  const char* platform;    /* the platform id it serves, [a-z0-9_-]+, e.g. "facebook" */
  const char* version;     /* the plugin's own version, e.g. "1.0.0" */
  const char* description; /* one line */
} herald_plugin_info;

/* ---------------------------------------------------------- host services */

/* Services the host gives each connector. Every function is required (never
 * NULL), thread-safe, and never unwinds. */
typedef struct herald_host_api {
  uint32_t struct_size;

  /* Log one message. The host adds plugin, account and time. Never pass
   * secrets: the host redacts known credentials but cannot know all. */
  void (*log)(herald_host_ctx* ctx, int32_t level, const char* message);

  /* Make one HTTP request and wait for its answer. Returns HERALD_OK when an
   * HTTP answer (any status) came back, else a transport error
   * (HERALD_ERR_HTTP_NOT_SENT, _NO_RESPONSE, _BODY) with response->error set.
   * File bodies are streamed, never loaded whole. `response` is filled by the
   * host; see herald_http_response for its lifetime. */
  int32_t (*http)(herald_host_ctx* ctx, const herald_http_request* request,
                  herald_http_response* response);

  /* Read one credential of this account (for example "access_token").
   * Returns NULL when absent. The string is the host's and lives until the
   * current plugin call returns. */
  const char* (*credential_get)(herald_host_ctx* ctx, const char* key);

  /* Store a refreshed credential durably (mode 0600) before returning.
   * A NULL or empty value is refused (HERALD_ERR_INVALID_ARGUMENT), so a
   * refresh can never overwrite a stored secret with nothing. */
  int32_t (*credential_store)(herald_host_ctx* ctx, const char* key, const char* value);

  /* The host's clock (Unix ms). Tests substitute it; plugins use it, not time(). */
  int64_t (*now_ms)(herald_host_ctx* ctx);
} herald_host_api;

/* -------------------------------------------------------- plugin functions */

/* The plugin's function table. Fields marked required are never NULL. */
typedef struct herald_plugin_api {
  uint32_t struct_size;

  /* Required. Static facts; the struct is the plugin's for its lifetime. */
  const herald_plugin_info* (*get_info)(void);

  /* Required. Make a connector for one account. `host` and `ctx` outlive
   * the connector; `account` lives for the call only (copy what you keep).
   * Returns NULL on failure, with a message in *error (the plugin's string,
   * valid until the next create call on the same thread: copy it at once).
   * At load the host probes every plugin with an account whose name is ""
   * and config_json "{}", and no credentials, to read describe(): create
   * must succeed for it without network I/O. So a missing setting is
   * reported by validate() and step(), not by create(). */
  herald_connector* (*create)(const herald_host_api* host, herald_host_ctx* ctx,
                              const herald_account* account, const char** error);

  /* Required. Release a connector; no call on it follows. */
  void (*destroy)(herald_connector* connector);

  /* Required. The message of the last failure on this handle, or NULL. */
  const char* (*last_error)(herald_connector* connector);

  /* Required. The platform's limits as a JSON object (text_max, title_max,
   * description_max, description_max_bytes, tags_max_total_chars,
   * hashtags_max, mentions_max, link_allowed, media_required,
   * media_max_count, media: {image: {...}, video: {...}}, kinds: {...}; schema in
   * docs/writing-a-connector.md). Absent keys mean "no limit"; an absent
   * media kind means "not accepted". NULL on failure (see last_error). */
  const char* (*describe)(herald_connector* connector);

  /* Optional. Check a post before it is scheduled. Returns NULL or "[]" when
   * it is acceptable, else a JSON array of {"field": ..., "message": ...}.
   * The host calls it when calendars are loaded, on a connector made for the
   * post's account with its settings but without credentials or network; an
   * issue is an error at the post and its calendar is not applied. */
  const char* (*validate)(herald_connector* connector, const herald_post* post);

  /* Required. Advance the publication of `post` by one step. `checkpoint`
   * is NULL on the first call, else what the last CONTINUE outcome gave.
   * Fills `outcome` and returns HERALD_OK; any other return is taken as
   * FAILED with last_error as the reason. Must not sleep to wait for the
   * platform: return CONTINUE with a time instead. */
  int32_t (*step)(herald_connector* connector, const herald_post* post, const char* checkpoint,
                  size_t checkpoint_size, herald_outcome* outcome);

  /* Optional. Read engagement for published posts: `remote_ids` has
   * `count` entries. Returns a JSON object keyed by remote id, each value an
   * object of integer counters (likes, comments, shares, views, reach, ...),
   * or NULL on failure (see last_error). */
  const char* (*metrics)(herald_connector* connector, const char* const* remote_ids, size_t count);

  /* Optional. Reconcile a post whose outcome was UNKNOWN: look for it on the
   * platform (since 1.2 `post->checkpoint` says where its flow stood). Fills
   * `result` and returns HERALD_OK. When NULL, every unknown outcome waits
   * for an admin. */
  int32_t (*find)(herald_connector* connector, const herald_post* post, herald_find_result* result);
} herald_plugin_api;

/* ---------------------------------------------------------------- exports */

/* The two symbols a plugin exports (HERALD_PLUGIN() in plugin.hpp writes them):
 *
 *   uint32_t herald_plugin_abi_version(void);          returns HERALD_ABI_VERSION
 *   const herald_plugin_api* herald_plugin_get_api(void);
 *
 * The host calls herald_plugin_abi_version first and nothing else of a
 * plugin whose version it refuses. */
#define HERALD_SYMBOL_ABI_VERSION "herald_plugin_abi_version"
#define HERALD_SYMBOL_GET_API "herald_plugin_get_api"

typedef uint32_t (*herald_plugin_abi_version_fn)(void);
typedef const herald_plugin_api* (*herald_plugin_get_api_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* HERALD_PLUGIN_ABI_H */
