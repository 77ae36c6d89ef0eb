// The sandbox's own endpoints under /_sandbox/: health, faults, the request
// log, what each account has published (with engagement), thumbnails.
#include "sandbox/engagement.h"
#include "sandbox/platform_errors.h"
#include "sandbox/platforms.h"
#include "sandbox/request_log.h"

namespace herald::sandbox {

namespace {

using web::json::value;

HttpResponse AdminError(int status, const std::string& message) {
  value body = value::object();
  value error = value::object();
  error["message"] = JsonStr(message);
  body["error"] = error;
  return HttpResponse::Json(status, body);
}

value PostsJson(EmulatorContext& ctx, const std::string& only_account) {
  value accounts = value::array();
  size_t a = 0;
  for (const AccountConfig& account : ctx.config.accounts) {
    if (!only_account.empty() && account.id != only_account && account.name != only_account)
      continue;
    value posts = value::array();
    size_t i = 0;
    for (const Post* post : ctx.store.PostsOf(account.id)) {
      Engagement e = EngagementAt(ctx.config, post->id, post->created, ctx.now);
      value p = value::object();
      p["id"] = JsonStr(post->id);
      p["kind"] = JsonStr(post->kind);
      p["text"] = JsonStr(post->text);
      p["title"] = JsonStr(post->title);
      p["link"] = JsonStr(post->link);
      value media = value::array();
      for (size_t m = 0; m < post->media_urls.size(); ++m) media[m] = JsonStr(post->media_urls[m]);
      p["media"] = media;
      p["permalink"] = JsonStr(post->permalink);
      p["api_version"] = JsonStr(post->api_version);
      p["created_time"] = JsonStr(FormatMicros(post->created));
      p["bytes"] = value::number(post->bytes);
      p["likes"] = value::number(e.likes);
      p["comments"] = value::number(e.comments);
      p["shares"] = value::number(e.shares);
      p["views"] = value::number(e.views);
      posts[i++] = p;
    }
    value item = value::object();
    item["platform"] = JsonStr(PlatformName(account.platform));
    item["id"] = JsonStr(account.id);
    item["name"] = JsonStr(account.name);
    item["posts"] = posts;
    accounts[a++] = item;
  }
  value body = value::object();
  body["accounts"] = accounts;
  return body;
}

HttpResponse Faults(const HttpRequest& request, EmulatorContext& ctx) {
  if (request.method == "DELETE") {
    ctx.faults.Clear();
    return HttpResponse::Json(200, value::object());
  }
  if (request.method == "POST") {
    std::error_code error;
    value parsed = value::parse(request.body, error);
    if (error) return AdminError(400, "the body is not JSON");
    std::vector<value> items;
    if (parsed.is_array()) {
      for (const value& item : parsed.as_array()) items.push_back(item);
    } else {
      items.push_back(parsed);
    }
    std::vector<FaultRule> rules;
    for (const value& item : items) {
      Result<FaultRule> rule = FaultFromJson(item);
      if (!rule) return AdminError(400, rule.error().message());
      rules.push_back(*rule);
    }
    value ids = value::array();
    for (size_t i = 0; i < rules.size(); ++i) ids[i] = JsonStr(ctx.faults.Add(rules[i]));
    value body = value::object();
    body["ids"] = ids;
    return HttpResponse::Json(201, body);
  }
  value list = value::array();
  std::vector<FaultRule> rules = ctx.faults.List();
  for (size_t i = 0; i < rules.size(); ++i) list[i] = FaultToJson(rules[i]);
  value body = value::object();
  body["faults"] = list;
  return HttpResponse::Json(200, body);
}

HttpResponse Requests(const HttpRequest& request, EmulatorContext& ctx) {
  if (request.method == "DELETE") {
    ctx.log.Clear();
    return HttpResponse::Json(200, value::object());
  }
  std::string method = request.Param("method");
  for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  uint64_t after = std::strtoull(request.Param("after").c_str(), nullptr, 10);
  std::vector<LogEntry> entries = ctx.log.Query(request.Param("path"), method, after);
  value list = value::array();
  for (size_t i = 0; i < entries.size(); ++i) list[i] = LogEntryToJson(entries[i]);
  value body = value::object();
  body["requests"] = list;
  body["count"] = value::number(static_cast<int64_t>(entries.size()));
  return HttpResponse::Json(200, body);
}

}  // namespace

HttpResponse HandleAdmin(const HttpRequest& request, EmulatorContext& ctx,
                         const std::vector<std::string>& segments) {
  std::string what = segments.size() > 1 ? segments[1] : "";
  if (what == "health") {
    value body = value::object();
    body["status"] = JsonStr("ok");
    return HttpResponse::Json(200, body);
  }
  if (what == "faults") return Faults(request, ctx);
  if (what == "requests") return Requests(request, ctx);
  if (what == "posts" && request.method == "GET") {
    return HttpResponse::Json(200, PostsJson(ctx, request.Param("account")));
  }
  if (what == "thumbnails" && segments.size() == 3) {
    auto it = ctx.store.thumbnails.find(segments[2]);
    if (it == ctx.store.thumbnails.end()) return AdminError(404, "no thumbnail for this video");
    return HttpResponse::Text(200, MediaTypeName(SniffMediaType(it->second)), it->second);
  }
  return AdminError(404, "unknown sandbox endpoint " + request.path);
}

}  // namespace herald::sandbox
