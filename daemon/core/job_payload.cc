#include "core/job_payload.h"

#include <cpprest/json.h>

namespace herald::core {
namespace {

std::string StringField(const web::json::value& o, const char* key) {
  if (!o.has_field(key) || !o.at(key).is_string()) return {};
  return o.at(key).as_string();
}

int64_t IntField(const web::json::value& o, const char* key) {
  if (!o.has_field(key) || !o.at(key).is_integer()) return 0;
  return o.at(key).as_number().to_int64();
}

uint64_t UintField(const web::json::value& o, const char* key) {
  if (!o.has_field(key) || !o.at(key).is_integer()) return 0;
  return o.at(key).as_number().to_uint64();
}

// The inverse of calendar::ToJson's file objects.
FileRef FileField(const web::json::value& m, const char* key) {
  FileRef f;
  if (!m.has_field(key) || !m.at(key).is_object()) return f;
  const web::json::value& o = m.at(key);
  f.root = StringField(o, "root");
  f.relative = StringField(o, "relative");
  f.identity.device = UintField(o, "device");
  f.identity.inode = UintField(o, "inode");
  f.identity.size = IntField(o, "size");
  f.identity.mtime_ns = IntField(o, "mtime_ns");
  return f;
}

}  // namespace

journal::JobRecord ToJobRecord(const calendar::Job& job) {
  journal::JobRecord r;
  r.id = job.id;
  r.calendar_id = job.calendar_id;
  r.post_id = job.post_id;
  r.campaign_id = job.campaign_id;
  r.goal = job.goal;
  r.account = job.account;
  r.platform = job.platform;
  r.member_key = job.member_key;
  r.due_ms = job.due.time_since_epoch().count();
  r.content_hash = job.content_hash;
  r.payload_json = calendar::ToJson(job);
  r.late_grace_ms =
      job.late_policy.skip
          ? 0
          : std::chrono::duration_cast<std::chrono::milliseconds>(job.late_policy.grace).count();
  return r;
}

Result<plugin::PostInput> ToPostInput(const journal::Job& job) {
  plugin::PostInput post;
  post.job_id = job.record.id;
  post.account = job.record.account;
  post.due_ms = job.record.due_ms;
  post.post_json = job.record.payload_json;
  try {
    web::json::value o = web::json::value::parse(job.record.payload_json);
    post.text = StringField(o, "text");
    std::string link = StringField(o, "link");
    if (!link.empty()) post.link = std::move(link);
    if (o.has_field("media") && o.at("media").is_array()) {
      for (const auto& m : o.at("media").as_array()) {
        plugin::MediaInput in;
        in.kind = StringField(m, "kind") == "video" ? HERALD_MEDIA_VIDEO : HERALD_MEDIA_IMAGE;
        in.path = StringField(m, "path");
        in.file = FileField(m, "file");
        in.cover = StringField(m, "cover");
        in.cover_file = FileField(m, "cover_file");
        in.mime_type = StringField(m, "mime_type");
        in.size_bytes = UintField(m, "size_bytes");
        in.alt_text = StringField(m, "alt");
        in.public_url = StringField(m, "public_url");
        post.media.push_back(std::move(in));
      }
    }
  } catch (const std::exception& e) {
    return Error(ErrorCode::kInvalidArgument,
                 "job " + job.record.id + ": stored payload is not valid JSON: " + e.what());
  }
  return post;
}

}  // namespace herald::core
