#include "calendar/job.h"

#include <cpprest/json.h>

#include "calendar/media_probe.h"
#include "calendar/time_zone.h"

namespace herald::calendar {
namespace {

web::json::value FileJson(const FileRef& f) {
  using web::json::value;
  value v = value::object();
  v["root"] = value::string(f.root);
  v["relative"] = value::string(f.relative);
  v["device"] = value::number(f.identity.device);
  v["inode"] = value::number(f.identity.inode);
  v["size"] = value::number(static_cast<int64_t>(f.identity.size));
  v["mtime_ns"] = value::number(static_cast<int64_t>(f.identity.mtime_ns));
  return v;
}

}  // namespace

std::string ToJson(const Job& job, bool with_files) {
  using web::json::value;
  value o = value::object();
  o["id"] = value::string(job.id);
  o["content_hash"] = value::string(job.content_hash);
  o["calendar_id"] = value::string(job.calendar_id);
  o["post_id"] = value::string(job.post_id);
  o["campaign_id"] = value::string(job.campaign_id);
  o["goal"] = value::string(job.goal);
  o["due"] = value::string(FormatUtc(std::chrono::time_point_cast<std::chrono::seconds>(job.due)));
  o["due_ms"] = value::number(static_cast<int64_t>(job.due.time_since_epoch().count()));
  o["local_time"] = value::string(job.local_time);
  o["time_zone"] = value::string(job.time_zone);
  o["member_key"] = value::string(job.member_key);
  o["account"] = value::string(job.account);
  o["platform"] = value::string(job.platform);
  o["text"] = value::string(job.text);
  o["link"] = value::string(job.link);
  value media = value::array(job.media.size());
  for (std::size_t i = 0; i < job.media.size(); ++i) {
    const JobMedia& m = job.media[i];
    value v = value::object();
    v["path"] = value::string(m.path);
    if (with_files && !m.file.empty()) v["file"] = FileJson(m.file);
    v["kind"] = value::string(ToString(m.kind));
    v["mime_type"] = value::string(m.mime_type);
    v["size_bytes"] = value::number(static_cast<int64_t>(m.size_bytes));
    if (!m.alt.empty()) v["alt"] = value::string(m.alt);
    if (!m.cover.empty()) v["cover"] = value::string(m.cover);
    if (with_files && !m.cover_file.empty()) v["cover_file"] = FileJson(m.cover_file);
    if (!m.title.empty()) v["title"] = value::string(m.title);
    media[i] = std::move(v);
  }
  o["media"] = std::move(media);
  value options = value::object();
  if (!job.options_json.empty()) {
    // Expand writes options_json itself; a hand-made Job with bad text gets
    // an empty object rather than an exception out of this function.
    std::error_code ec;
    value parsed = value::parse(job.options_json, ec);
    if (!ec && parsed.is_object()) options = std::move(parsed);
  }
  o["options"] = std::move(options);
  o["late"] = value::string(ToString(job.late_policy));
  return o.serialize();
}

}  // namespace herald::calendar
