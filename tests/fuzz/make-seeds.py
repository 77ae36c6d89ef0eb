#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (tests/fuzz/corpus/<target>/) from
the project's fixtures: the test and example calendars and their CSVs, the
rules they repeat by, the media fixtures, the control API's documented
requests, and the platforms' documented answers. Run from anywhere; the
output is committed, so only rerun it when the fixtures change:
    tests/fuzz/make-seeds.py
"""
import pathlib
import re
import shutil

top = pathlib.Path(__file__).resolve().parents[2]
out = top / "tests/fuzz/corpus"


def target(name):
    d = out / name
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    return d


def write(d, name, data):
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


# --- calendar_loader: each calendar, its audience CSV appended as `%% aud.csv`.
d = target("calendar_loader")
calendars = sorted((top / "tests/calendars").glob("*.yaml")) + sorted(
    (top / "examples/calendars").glob("*.yaml"))
for path in calendars:
    text = path.read_bytes()
    m = re.search(rb"file:\s*([\w.-]+\.csv)", text)
    if m and (path.parent / m.group(1).decode()).exists():
        csv = (path.parent / m.group(1).decode()).read_bytes()
        text = text.replace(m.group(1), b"aud.csv") + b"\n%% aud.csv\n" + csv
    write(d, path.parent.parent.name + "-" + path.name, text)

# --- rrule: each `repeat:` of those calendars as rule / start / until / count / except lines.
d = target("rrule")
n = 0
for path in calendars:
    for block in re.findall(rb"repeat:\n((?:\s{6,}.*\n)+)", path.read_bytes()):
        fields = dict(re.findall(rb"^\s*(rule|start|until|count|except):\s*(.*)$", block, re.M))
        if b"rule" not in fields:
            continue
        lines = [fields[b"rule"].strip(b"'\" ")]
        lines.append(fields.get(b"start", b"2027-01-05 09:00").strip(b"'\" "))
        if b"until" in fields:
            lines.append(b"until " + fields[b"until"].strip(b"'\" "))
        if b"count" in fields:
            lines.append(b"count " + fields[b"count"].strip())
        for e in re.findall(rb"[\d-]{10}(?: \d\d:\d\d)?", fields.get(b"except", b"")):
            lines.append(b"except " + e)
        n += 1
        write(d, "%02d-%s" % (n, path.stem), b"\n".join(lines) + b"\n")
for i, rule in enumerate([
        "FREQ=MONTHLY;BYDAY=-1FR;COUNT=12", "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=3",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR;UNTIL=20271231T235959",
        "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR;COUNT=6",
        "FREQ=DAILY;BYHOUR=9,17;BYMINUTE=0,30;COUNT=20", "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO;COUNT=2",
        "FREQ=YEARLY;BYYEARDAY=1,-1;COUNT=4", "FREQ=SECONDLY;COUNT=5;WKST=SU"]):
    write(d, "extra-%d" % i, rule + "\n2027-01-05 09:00\nexcept 2027-01-06\n")

# --- media_probe: the media fixtures (links and scripts left out).
d = target("media_probe")
for folder in ["tests/fixtures/media", "tests/calendars/media", "examples/calendars/media"]:
    for path in sorted((top / folder).rglob("*")):
        if path.is_file() and not path.is_symlink() and path.suffix != ".sh":
            write(d, folder.split("/")[0] + "-" + path.parent.name + "-" + path.name,
                  path.read_bytes())

# --- control_request: the requests docs/control-api.md shows, and the codings it refuses.
d = target("control_request")
def req(method, path, body=None, headers=()):
    h = ["%s %s HTTP/1.1" % (method, path), "Host: herald"] + list(headers)
    if body is not None and not any(x.lower().startswith("transfer-encoding") for x in headers):
        h += ["Content-Type: application/json", "Content-Length: %d" % len(body)]
    return ("\r\n".join(h) + "\r\n\r\n" + (body or "")).encode()
requests = {
    "status": req("GET", "/v1/status"),
    "jobs-query": req("GET", "/v1/jobs?state=failed&account=facebook/corner-cleaners&limit=50"
                      "&since=2027-01-05T09:00:00Z&until=1800000000000"),
    "jobs-encoded": req("GET", "/v1/jobs?account=facebook%2Fcorner+cleaners&since=2027-01-05"),
    "job": req("GET", "/v1/jobs/50d9bdad2b34c83a"),
    "retry": req("POST", "/v1/jobs/50d9bdad2b34c83a/retry"),
    "cancel": req("POST", "/v1/jobs/50d9bdad2b34c83a/cancel", '{"reason":"wrong photo"}'),
    "resolve": req("POST", "/v1/jobs/50d9bdad2b34c83a/resolve",
                   '{"outcome":"published","remote_id":"104_99","url":"https://x/1","note":"n"}'),
    "pause": req("POST", "/v1/pause",
                 '{"scope":"account","name":"instagram/corner-cleaners","reason":"new password"}'),
    "resume-all": req("POST", "/v1/resume", '{"scope":"all"}'),
    "pause-twice": req("POST", "/v1/pause", '{"scope":"all","scope":"platform"}'),
    "reload": req("POST", "/v1/reload"),
    "events": req("GET", "/v1/events"),
    "metrics": req("GET", "/metrics"),
    "chunked": req("POST", "/v1/pause", None, ["Transfer-Encoding: chunked",
                                               "Content-Type: application/json"])
               + b"10\r\n{\"scope\":\"all\"}\r\n0\r\n\r\n",
    "expect": req("POST", "/v1/pause", '{"scope":"campaign","name":"k"}',
                  ["Expect: 100-continue"]),
    "gzip": req("POST", "/v1/pause", '{"scope":"all"}', ["Content-Encoding: gzip"]),
    "charset": req("POST", "/v1/resume", '{"scope":"all"}',
                   ["Content-Type: application/json; charset=\"utf-8\""]),
    "keep-alive-two": req("GET", "/v1/status", None, ["Connection: keep-alive"])
                      + req("GET", "/v1/plugins"),
    "cut-off": b"POST /v1/pause HTTP/1.1\r\nContent-Length: 40\r\n\r\n{\"sco",
}
for name, data in requests.items():
    write(d, name, data)

# --- graph_answers and youtube_answers: answers as the platforms document them.
def answer(status, body, headers=()):
    return ("%d\r\n" % status + "".join(h + "\r\n" for h in headers) + "\r\n" + body).encode()
graph = {
    "feed-created": answer(200, '{"id":"104_99"}'),
    "photo-created": answer(200, '{"id":"55","post_id":"104_55"}'),
    "listing": answer(200, '{"data":[{"id":"104_1","message":"Hi","created_time":'
                      '"2027-01-05T15:00:00+0000","permalink_url":"https://www.facebook.com/1"}],'
                      '"paging":{"cursors":{"after":"QVFI"},"next":"https://graph/next"}}'),
    "upload-session": answer(200, '{"id":"upload:MTphdHRhY2htZW50?sig=ARZ"}'),
    "upload-progress": answer(200, '{"h":"2::abc","file_offset":524288}'),
    "metrics": answer(200, '{"likes":{"summary":{"total_count":3}},"comments":{"summary":'
                      '{"total_count":1}},"shares":{"count":2},"id":"104_1"}'),
    "container-finished": answer(200, '{"status_code":"FINISHED","status":"Finished: done",'
                                 '"id":"1789"}'),
    "container-error": answer(200, '{"status_code":"ERROR","status":"Error: 2207026"}'),
    "publishing-limit": answer(200, '{"data":[{"quota_usage":25,"config":{"quota_total":25,'
                               '"quota_duration":86400}}]}'),
    "media-listing": answer(200, '{"data":[{"id":"1","caption":"Go Cubs","timestamp":'
                            '"2027-03-26T13:30:00+0000","permalink":"https://ig/p/1"}],'
                            '"paging":{"cursors":{"after":"X"}}}'),
    "insights": answer(200, '{"data":[{"name":"reach","values":[{"value":12}]},'
                       '{"name":"likes","values":[{"value":3}]}],"like_count":3}'),
    "refreshed-token": answer(200, '{"access_token":"IGQ","token_type":"bearer",'
                              '"expires_in":5184000}'),
    "rate-limited": answer(400, '{"error":{"message":"(#4) Application request limit reached",'
                           '"type":"OAuthException","is_transient":true,"code":4,'
                           '"fbtrace_id":"A"}}',
                           ['X-Business-Use-Case-Usage: {"104":[{"type":"pages","call_count":100,'
                            '"total_cputime":10,"total_time":10,"estimated_time_to_regain_access"'
                            ':7}]}']),
    "token-expired": answer(401, '{"error":{"message":"Error validating access token",'
                            '"type":"OAuthException","code":190,"error_subcode":463}}'),
    "unavailable": answer(503, "Service Unavailable", ["Retry-After: 8"]),
    "retry-after-date": answer(429, "{}", ["Retry-After: Wed, 21 Oct 2026 07:28:00 GMT"]),
    "bad-param": answer(400, '{"error":{"message":"(#100) Invalid parameter","code":100,'
                        '"error_subcode":2207001}}'),
}
d = target("graph_answers")
for name, data in graph.items():
    write(d, name, data)
youtube = {
    "session-started": answer(200, "", ["Location: https://www.googleapis.com/upload/youtube/v3/"
                                        "videos?uploadType=resumable&upload_id=xa298"]),
    "chunk-acknowledged": answer(308, "", ["Range: bytes=0-8388607"]),
    "nothing-yet": answer(308, ""),
    "uploaded": answer(200, '{"kind":"youtube#video","id":"dQw4w9WgXcQ","snippet":{"title":"t"},'
                       '"status":{"uploadStatus":"uploaded","privacyStatus":"public"}}'),
    "token": answer(200, '{"access_token":"ya29.a0","expires_in":3599,"scope":"s",'
                    '"token_type":"Bearer"}'),
    "token-rotated": answer(200, '{"access_token":"ya29.b","expires_in":3599,'
                            '"refresh_token":"1//0g"}'),
    "invalid-grant": answer(400, '{"error":"invalid_grant","error_description":'
                            '"Token has been expired or revoked."}'),
    "quota": answer(403, '{"error":{"code":403,"message":"quota","errors":[{"message":"q",'
                    '"domain":"youtube.quota","reason":"quotaExceeded"}]}}'),
    "rate": answer(429, '{"error":{"code":429,"message":"slow down","errors":[{"reason":'
                   '"rateLimitExceeded","domain":"youtube.quota"}]}}', ["Retry-After: 30"]),
    "backend": answer(503, '{"error":{"code":503,"message":"Backend Error","errors":[{"reason":'
                      '"backendError"}]}}', ["Retry-After: 8"]),
    "statistics": answer(200, '{"items":[{"id":"dQw4w9WgXcQ","statistics":{"viewCount":"12",'
                         '"likeCount":"3","commentCount":"1"}}]}'),
    "playlist": answer(200, '{"nextPageToken":"CAUQAA","pageInfo":{"totalResults":2},"items":'
                       '[{"snippet":{"title":"Go Cubs","publishedAt":"2027-03-26T13:30:05Z",'
                       '"resourceId":{"videoId":"abc"}}}]}'),
    "chunk-bytes": answer(200, "524288"),
}
d = target("youtube_answers")
for name, data in youtube.items():
    write(d, name, data)
print("seeds written under", out)
