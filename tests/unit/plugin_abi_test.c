/*
 * Pins the plugin ABI (sdk/include/herald/plugin_abi.h) on x86_64 LP64.
 *
 * Compiled as C99 with -pedantic -Werror, so it also proves the header is
 * plain C. The static assertions fail the build when a struct's size or a
 * field's offset changes: within one ABI major, structs may only grow at
 * their end, so a failing offset here is an ABI break (bump the major), and
 * a failing size means a field was appended (bump the minor, then update
 * the pinned size). The run-time part checks the version macros.
 */
#include <herald/plugin_abi.h>

#include <stddef.h>
#include <stdio.h>

/* _Static_assert is C11; __extension__ lets a C99 -pedantic build use it. */
#define PIN(cond) __extension__ _Static_assert(cond, #cond)
#define SIZE(type, n) PIN(sizeof(type) == (n))
#define AT(type, field, n) PIN(offsetof(type, field) == (n))

#if defined(__x86_64__) && defined(__LP64__)

PIN(sizeof(void*) == 8);
PIN(sizeof(size_t) == 8);

/* Enums cross as int32_t fields, with explicit values. */
PIN(HERALD_LOG_DEBUG == 0 && HERALD_LOG_INFO == 1 && HERALD_LOG_WARN == 2 && HERALD_LOG_ERROR == 3);
PIN(HERALD_OUTCOME_PUBLISHED == 1 && HERALD_OUTCOME_CONTINUE == 2 && HERALD_OUTCOME_RETRY == 3);
PIN(HERALD_OUTCOME_AUTH_EXPIRED == 4 && HERALD_OUTCOME_FAILED == 5 && HERALD_OUTCOME_UNKNOWN == 6);
PIN(HERALD_OUTCOME_QUOTA_EXHAUSTED == 7);
PIN(HERALD_FIND_FOUND == 1 && HERALD_FIND_NOT_FOUND == 2 && HERALD_FIND_CANNOT_TELL == 3);
PIN(HERALD_MEDIA_IMAGE == 1 && HERALD_MEDIA_VIDEO == 2);
PIN(HERALD_OK == 0 && HERALD_ERR_INVALID_ARGUMENT == 1 && HERALD_ERR_NOT_FOUND == 2);
PIN(HERALD_ERR_INTERNAL == 3 && HERALD_ERR_NOT_IMPLEMENTED == 4);
PIN(HERALD_ERR_HTTP_NOT_SENT == 10 && HERALD_ERR_HTTP_NO_RESPONSE == 11);
PIN(HERALD_ERR_HTTP_BODY == 12);
PIN(HERALD_BODY_NONE == 0 && HERALD_BODY_MEMORY == 1 && HERALD_BODY_FILE_RANGE == 2);
PIN(HERALD_BODY_MULTIPART == 3);

SIZE(herald_header, 16);
AT(herald_header, name, 0);
AT(herald_header, value, 8);

SIZE(herald_multipart_part, 72);
AT(herald_multipart_part, struct_size, 0);
AT(herald_multipart_part, name, 8);
AT(herald_multipart_part, filename, 16);
AT(herald_multipart_part, content_type, 24);
AT(herald_multipart_part, data, 32);
AT(herald_multipart_part, size, 40);
AT(herald_multipart_part, file_path, 48);
AT(herald_multipart_part, file_offset, 56);
AT(herald_multipart_part, file_length, 64);

SIZE(herald_http_request, 144); /* 1.1 grew it at its end */
AT(herald_http_request, struct_size, 0);
AT(herald_http_request, method, 8);
AT(herald_http_request, url, 16);
AT(herald_http_request, headers, 24);
AT(herald_http_request, header_count, 32);
AT(herald_http_request, body_kind, 40);
AT(herald_http_request, data, 48);
AT(herald_http_request, size, 56);
AT(herald_http_request, file_path, 64);
AT(herald_http_request, file_offset, 72);
AT(herald_http_request, file_length, 80);
AT(herald_http_request, parts, 88);
AT(herald_http_request, part_count, 96);
AT(herald_http_request, timeout_ms, 104);
AT(herald_http_request, secrets, 112);
AT(herald_http_request, secret_count, 120);
AT(herald_http_request, quota_bucket, 128);
AT(herald_http_request, quota_units, 136);

SIZE(herald_http_response, 48);
AT(herald_http_response, struct_size, 0);
AT(herald_http_response, status, 4);
AT(herald_http_response, headers, 8);
AT(herald_http_response, headers_size, 16);
AT(herald_http_response, body, 24);
AT(herald_http_response, body_size, 32);
AT(herald_http_response, error, 40);

SIZE(herald_media, 48);
AT(herald_media, struct_size, 0);
AT(herald_media, kind, 4);
AT(herald_media, path, 8);
AT(herald_media, mime_type, 16);
AT(herald_media, size_bytes, 24);
AT(herald_media, alt_text, 32);
AT(herald_media, public_url, 40);

SIZE(herald_post, 88); /* 1.2 grew it at its end */
AT(herald_post, struct_size, 0);
AT(herald_post, job_id, 8);
AT(herald_post, account, 16);
AT(herald_post, due_ms, 24);
AT(herald_post, text, 32);
AT(herald_post, link, 40);
AT(herald_post, media, 48);
AT(herald_post, media_count, 56);
AT(herald_post, post_json, 64);
AT(herald_post, checkpoint, 72);
AT(herald_post, checkpoint_size, 80);

SIZE(herald_outcome, 72);
AT(herald_outcome, struct_size, 0);
AT(herald_outcome, kind, 4);
AT(herald_outcome, remote_id, 8);
AT(herald_outcome, url, 16);
AT(herald_outcome, at_ms, 24);
AT(herald_outcome, checkpoint, 32);
AT(herald_outcome, checkpoint_size, 40);
AT(herald_outcome, reason, 48);
AT(herald_outcome, http_status, 56);
AT(herald_outcome, platform_code, 64);

SIZE(herald_find_result, 32);
AT(herald_find_result, struct_size, 0);
AT(herald_find_result, kind, 4);
AT(herald_find_result, remote_id, 8);
AT(herald_find_result, url, 16);
AT(herald_find_result, reason, 24);

SIZE(herald_account, 40);
AT(herald_account, struct_size, 0);
AT(herald_account, platform, 8);
AT(herald_account, name, 16);
AT(herald_account, api_base, 24);
AT(herald_account, config_json, 32);

SIZE(herald_plugin_info, 32);
AT(herald_plugin_info, struct_size, 0);
AT(herald_plugin_info, platform, 8);
AT(herald_plugin_info, version, 16);
AT(herald_plugin_info, description, 24);

SIZE(herald_host_api, 48);
AT(herald_host_api, struct_size, 0);
AT(herald_host_api, log, 8);
AT(herald_host_api, http, 16);
AT(herald_host_api, credential_get, 24);
AT(herald_host_api, credential_store, 32);
AT(herald_host_api, now_ms, 40);

SIZE(herald_plugin_api, 80);
AT(herald_plugin_api, struct_size, 0);
AT(herald_plugin_api, get_info, 8);
AT(herald_plugin_api, create, 16);
AT(herald_plugin_api, destroy, 24);
AT(herald_plugin_api, last_error, 32);
AT(herald_plugin_api, describe, 40);
AT(herald_plugin_api, validate, 48);
AT(herald_plugin_api, step, 56);
AT(herald_plugin_api, metrics, 64);
AT(herald_plugin_api, find, 72);

#else
#error "plugin_abi_test pins the x86_64 LP64 layout; add the pins for this target"
#endif

static int failures = 0;

static void check(int ok, const char* what) {
  if (!ok) {
    fprintf(stderr, "plugin_abi_test: FAILED: %s\n", what);
    ++failures;
  }
}

int main(void) {
  herald_outcome small;
  herald_plugin_api table;

  check(HERALD_ABI_VERSION == ((uint32_t)HERALD_ABI_VERSION_MAJOR << 16 | HERALD_ABI_VERSION_MINOR),
        "HERALD_ABI_VERSION packs major and minor");
  check(HERALD_ABI_MAJOR_OF(HERALD_ABI_VERSION) == HERALD_ABI_VERSION_MAJOR, "major unpacks");
  check(HERALD_ABI_MINOR_OF(HERALD_ABI_VERSION) == HERALD_ABI_VERSION_MINOR, "minor unpacks");
  check(HERALD_ABI_MAJOR_OF(0x00020007u) == 2 && HERALD_ABI_MINOR_OF(0x00020007u) == 7,
        "a foreign version unpacks");

  /* HERALD_HAS_FIELD honours the writer's struct_size. */
  small.struct_size = (uint32_t)offsetof(herald_outcome, http_status);
  check(!HERALD_HAS_FIELD(&small, herald_outcome, http_status),
        "a field past struct_size is absent");
  check(HERALD_HAS_FIELD(&small, herald_outcome, reason), "a field inside struct_size is present");
  table.struct_size = (uint32_t)sizeof table;
  check(HERALD_HAS_FIELD(&table, herald_plugin_api, find), "the last table field is present");

  if (failures == 0) printf("plugin_abi_test: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
