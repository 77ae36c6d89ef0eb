// HttpClient against a one-connection loopback server written with plain
// sockets in the test: bodies from memory, file ranges and multipart arrive
// whole, and transport failures are classified as not-sent or no-response.
#include "http/http_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

using herald::http::BodyFile;
using herald::http::BodyFiles;
using herald::http::HttpClient;
using herald::http::HttpClientOptions;
using herald::http::HttpResponse;
using herald::http::Redact;

namespace {

// Accepts connections on 127.0.0.1:<ephemeral> and hands each complete
// request (headers + Content-Length body) to `reply`, which returns the raw
// response to send, or "" to close the connection without answering. `reply`
// runs on the server's thread; what the test reads back (last_request(),
// accepted(), requests()) is written there, so it is guarded. Each is
// counted before the answer leaves, so it is current once the client's call
// returns.
class LoopbackServer {
 public:
  explicit LoopbackServer(std::function<std::string(const std::string&)> reply)
      : reply_(std::move(reply)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    REQUIRE(::listen(fd_, 4) == 0);
    thread_ = std::thread([this] { Serve(); });
  }
  ~LoopbackServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::string last_request() const {
    std::lock_guard lock(mu_);
    return last_request_;
  }
  int accepted() const {
    std::lock_guard lock(mu_);
    return accepted_;
  }
  // Requests read so far.
  int requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  void Serve() {
    for (;;) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      {
        std::lock_guard lock(mu_);
        ++accepted_;
      }
      for (;;) {
        std::string req = ReadRequest(c);
        if (req.empty()) break;
        {
          std::lock_guard lock(mu_);
          last_request_ = req;
          ++requests_;
        }
        std::string out = reply_(req);
        if (out.empty()) break;
        if (::send(c, out.data(), out.size(), MSG_NOSIGNAL) < 0) break;
      }
      ::close(c);
    }
  }
  static std::string ReadRequest(int c) {
    std::string data;
    char buf[65536];
    size_t need = std::string::npos;
    while (need == std::string::npos || data.size() < need) {
      ssize_t n = ::recv(c, buf, sizeof buf, 0);
      if (n <= 0) return "";
      data.append(buf, static_cast<size_t>(n));
      auto end = data.find("\r\n\r\n");
      if (end != std::string::npos && need == std::string::npos) {
        size_t length = 0;
        auto cl = data.find("Content-Length: ");
        if (cl != std::string::npos && cl < end) length = std::stoul(data.substr(cl + 16));
        need = end + 4 + length;
      }
    }
    return data;
  }
  std::function<std::string(const std::string&)> reply_;
  int fd_;
  int port_ = 0;
  mutable std::mutex mu_;
  std::string last_request_;  // guarded by mu_
  int accepted_ = 0;          // guarded by mu_
  int requests_ = 0;          // guarded by mu_
  std::thread thread_;
};

std::string Ok(const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Test: yes\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

herald_http_request Request(const char* method, const std::string& url) {
  herald_http_request r{};
  r.struct_size = sizeof r;
  r.method = method;
  r.url = url.c_str();
  return r;
}

std::string Body(const std::string& request) {
  return request.substr(request.find("\r\n\r\n") + 4);
}

// The loopback tests speak plain http.
HttpClientOptions Loopback(int64_t timeout_ms = 30000) {
  HttpClientOptions o;
  o.default_timeout_ms = timeout_ms;
  o.allow_plain_http = true;
  return o;
}

// One file a request may send, by its path; every other path is refused.
class OneFile final : public BodyFiles {
 public:
  explicit OneFile(const std::string& path) : path_(path), fd_(::open(path.c_str(), O_RDONLY)) {}
  ~OneFile() override { ::close(fd_); }
  herald::Result<BodyFile> Find(std::string_view path) const override {
    if (path != path_) {
      return herald::Error(herald::ErrorCode::kPermissionDenied,
                           std::string(path) + " is not one of this job's files");
    }
    struct stat st {};
    ::fstat(fd_, &st);
    return BodyFile{fd_, static_cast<uint64_t>(st.st_size)};
  }

 private:
  std::string path_;
  int fd_;
};

}  // namespace

TEST_CASE("GET returns status, headers and body; the connection is reused", "[http]") {
  LoopbackServer server([&](const std::string&) { return Ok("{\"id\":\"1\"}"); });
  HttpClient client(Loopback());
  HttpResponse response;
  std::string url = server.url("/v1/thing");
  auto req = Request("GET", url);
  herald_header h{"Authorization", "Bearer abc"};
  req.headers = &h;
  req.header_count = 1;
  REQUIRE(client.Perform(req, response) == HERALD_OK);
  CHECK(response.status == 200);
  CHECK(response.body == "{\"id\":\"1\"}");
  CHECK(response.headers.find("X-Test: yes\r\n") != std::string::npos);
  CHECK(server.last_request().rfind("GET /v1/thing HTTP/1.1\r\n", 0) == 0);
  CHECK(server.last_request().find("Authorization: Bearer abc\r\n") != std::string::npos);
  REQUIRE(client.Perform(req, response) == HERALD_OK);
  CHECK(server.accepted() == 1);
}

TEST_CASE("bodies from memory, a file range and multipart arrive whole", "[http]") {
  LoopbackServer server([](const std::string&) { return Ok("{}"); });
  HttpClient client(Loopback());
  HttpResponse response;
  std::string url = server.url("/upload");

  auto mem = Request("POST", url);
  mem.body_kind = HERALD_BODY_MEMORY;
  mem.data = "message=hello";
  mem.size = 13;
  REQUIRE(client.Perform(mem, response) == HERALD_OK);
  CHECK(server.last_request().rfind("POST /upload ", 0) == 0);
  CHECK(Body(server.last_request()) == "message=hello");

  auto file = std::filesystem::temp_directory_path() / ("herald-http-" + std::to_string(getpid()));
  std::ofstream(file) << "0123456789abcdef";
  auto range = Request("PUT", url);
  range.body_kind = HERALD_BODY_FILE_RANGE;
  std::string path = file.string();
  range.file_path = path.c_str();
  range.file_offset = 4;
  range.file_length = 6;
  OneFile files(path);
  CHECK(client.Perform(range, response) == HERALD_ERR_HTTP_BODY);  // no files given
  REQUIRE(client.Perform(range, response, &files) == HERALD_OK);
  CHECK(server.last_request().rfind("PUT /upload ", 0) == 0);
  CHECK(Body(server.last_request()) == "456789");

  range.file_length = UINT64_MAX;
  REQUIRE(client.Perform(range, response, &files) == HERALD_OK);
  CHECK(Body(server.last_request()) == "456789abcdef");

  range.file_offset = 10;
  range.file_length = 100;
  CHECK(client.Perform(range, response, &files) == HERALD_ERR_HTTP_BODY);
  CHECK(response.error.find("outside") != std::string::npos);

  herald_multipart_part parts[2] = {};
  parts[0].struct_size = sizeof(herald_multipart_part);
  parts[0].name = "caption";
  parts[0].data = "Game day!";
  parts[0].size = 9;
  parts[1].struct_size = sizeof(herald_multipart_part);
  parts[1].name = "source";
  parts[1].filename = "photo.jpg";
  parts[1].content_type = "image/jpeg";
  parts[1].file_path = path.c_str();
  parts[1].file_offset = 0;
  parts[1].file_length = 4;
  auto multi = Request("POST", url);
  multi.body_kind = HERALD_BODY_MULTIPART;
  multi.parts = parts;
  multi.part_count = 2;
  REQUIRE(client.Perform(multi, response, &files) == HERALD_OK);
  std::string body = Body(server.last_request());
  CHECK(server.last_request().find("Content-Type: multipart/form-data; boundary=") !=
        std::string::npos);
  CHECK(body.find("name=\"caption\"\r\n\r\nGame day!\r\n") != std::string::npos);
  CHECK(body.find("name=\"source\"; filename=\"photo.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
                  "0123\r\n") != std::string::npos);
  std::filesystem::remove(file);
}

TEST_CASE("a refused connection is not-sent; a dropped answer is no-response", "[http]") {
  HttpClient client(Loopback(2000));
  HttpResponse response;
  std::string closed_url;
  {
    LoopbackServer server([](const std::string&) { return Ok("{}"); });
    closed_url = server.url("/gone");
  }
  auto refused = Request("POST", closed_url);
  CHECK(client.Perform(refused, response) == HERALD_ERR_HTTP_NOT_SENT);
  CHECK_FALSE(response.error.empty());

  LoopbackServer dropping([](const std::string&) { return std::string(); });
  std::string url = dropping.url("/feed?access_token=SECRET123");
  auto dropped = Request("POST", url);
  CHECK(client.Perform(dropped, response) == HERALD_ERR_HTTP_NO_RESPONSE);
  CHECK(dropping.last_request().rfind("POST /feed", 0) == 0);
  CHECK(response.error.find("SECRET123") == std::string::npos);
}

TEST_CASE("Redact hides secrets, token parameters and bearer tokens", "[http]") {
  CHECK(Redact("GET /me?access_token=EAAB123&fields=id", {}) ==
        "GET /me?access_token=***&fields=id");
  CHECK(Redact("refresh_token=1//abc&grant_type=refresh_token", {}) ==
        "refresh_token=***&grant_type=refresh_token");
  CHECK(Redact("Authorization: Bearer ya29.xyz", {}) == "Authorization: Bearer ***");
  CHECK(Redact("token is s3cr3t-value here", {"s3cr3t-value"}) == "token is *** here");
  CHECK(Redact("short abc", {"abc"}) == "short abc");
}

TEST_CASE("a POST whose reused connection dies unanswered is never sent twice", "[http]") {
  std::atomic<int> answered{0};
  LoopbackServer server([&](const std::string&) {
    // Answer the first request, drop the connection on the second (after reading it).
    return ++answered == 1 ? Ok("{}") : std::string();
  });
  HttpClient client(Loopback(2000));
  HttpResponse response;
  std::string url = server.url("/feed");
  auto post = Request("POST", url);
  post.body_kind = HERALD_BODY_MEMORY;
  post.data = "message=hi";
  post.size = 10;
  REQUIRE(client.Perform(post, response) == HERALD_OK);
  CHECK(client.Perform(post, response) == HERALD_ERR_HTTP_NO_RESPONSE);
  CHECK(server.requests() == 2);  // libcurl's own retry would have made it 3
  CHECK(response.error.find("not sent again") != std::string::npos);
}

TEST_CASE("a GET on a reused connection that died is retried by libcurl", "[http]") {
  std::atomic<int> answered{0};
  LoopbackServer server(
      [&](const std::string&) { return ++answered == 2 ? std::string() : Ok("{}"); });
  HttpClient client(Loopback(2000));
  HttpResponse response;
  std::string url = server.url("/status");
  auto get = Request("GET", url);
  REQUIRE(client.Perform(get, response) == HERALD_OK);
  CHECK(client.Perform(get, response) == HERALD_OK);
  CHECK(server.requests() == 3);
}

// The audit's outbound attacks: a URL of another protocol, plain http where
// https is required, a file the job was not given, and answers too large to hold.
TEST_CASE("only http and https, and only https unless plain http is allowed", "[http][security]") {
  HttpResponse response;
  HttpClient strict;  // the default: https only
  for (std::string url :
       {"file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/", "dict://127.0.0.1/",
        "smb://127.0.0.1/share", "HTTP://127.0.0.1:1/", "http://127.0.0.1:1/"}) {
    INFO(url);
    auto req = Request("GET", url);
    CHECK(strict.Perform(req, response) == HERALD_ERR_HTTP_NOT_SENT);
    CHECK_FALSE(response.error.empty());
  }
  HttpClient loose(Loopback());
  for (std::string url : {"file:///etc/passwd", "ftp://127.0.0.1/x", "scp://127.0.0.1/x"}) {
    INFO(url);
    auto req = Request("GET", url);
    CHECK(loose.Perform(req, response) == HERALD_ERR_HTTP_NOT_SENT);
    CHECK(response.body.empty());
  }
}

TEST_CASE("a redirect is never followed", "[http][security]") {
  LoopbackServer target([](const std::string&) { return Ok("{\"leaked\":true}"); });
  const std::string elsewhere = target.url("/steal");
  LoopbackServer server([&](const std::string&) {
    return "HTTP/1.1 302 Found\r\nLocation: " + elsewhere + "\r\nContent-Length: 0\r\n\r\n";
  });
  HttpClient client(Loopback());
  HttpResponse response;
  std::string url = server.url("/start");
  auto req = Request("GET", url);
  herald_header h{"Authorization", "Bearer tok-123456"};
  req.headers = &h;
  req.header_count = 1;
  REQUIRE(client.Perform(req, response) == HERALD_OK);
  CHECK(response.status == 302);
  CHECK(target.accepted() == 0);
}

TEST_CASE("a request may send only the files it was given", "[http][security]") {
  LoopbackServer server([](const std::string&) { return Ok("{}"); });
  HttpClient client(Loopback());
  HttpResponse response;
  std::string url = server.url("/upload");
  auto dir = std::filesystem::temp_directory_path() / ("herald-http-f-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "media.jpg") << "jpeg";
  std::ofstream(dir / "credentials.yaml") << "access_token: SECRET-TOKEN\n";
  OneFile files((dir / "media.jpg").string());
  std::string other = (dir / "credentials.yaml").string();
  auto req = Request("POST", url);
  req.body_kind = HERALD_BODY_FILE_RANGE;
  req.file_path = other.c_str();
  req.file_length = UINT64_MAX;
  CHECK(client.Perform(req, response, &files) == HERALD_ERR_HTTP_BODY);
  herald_multipart_part part{};
  part.struct_size = sizeof part;
  part.name = "source";
  part.file_path = other.c_str();
  part.file_length = UINT64_MAX;
  auto multi = Request("POST", url);
  multi.body_kind = HERALD_BODY_MULTIPART;
  multi.parts = &part;
  multi.part_count = 1;
  CHECK(client.Perform(multi, response, &files) == HERALD_ERR_HTTP_BODY);
  CHECK(server.accepted() == 0);
  CHECK(server.last_request().find("SECRET-TOKEN") == std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("answers larger than the caps fail instead of growing without bound",
          "[http][security]") {
  const std::string big(64 * 1024, 'x');
  LoopbackServer server([&](const std::string& req) {
    if (req.rfind("GET /headers", 0) == 0) {
      std::string h = "HTTP/1.1 200 OK\r\n";
      for (int i = 0; i < 100; ++i)
        h += "X-Pad-" + std::to_string(i) + ": " + big.substr(0, 1000) + "\r\n";
      return h + "Content-Length: 2\r\n\r\n{}";
    }
    return Ok(big);
  });
  HttpClientOptions o = Loopback();
  o.max_response_bytes = 16 * 1024;
  o.max_header_bytes = 32 * 1024;
  HttpClient client(o);
  HttpResponse response;
  std::string url = server.url("/big");
  auto req = Request("GET", url);
  CHECK(client.Perform(req, response) == HERALD_ERR_HTTP_NO_RESPONSE);
  CHECK(response.body.empty());
  CHECK(response.error.find("exceeds 16384 bytes") != std::string::npos);
  std::string headers_url = server.url("/headers");
  auto hreq = Request("GET", headers_url);
  CHECK(client.Perform(hreq, response) == HERALD_ERR_HTTP_NO_RESPONSE);
  CHECK(response.error.find("headers exceed") != std::string::npos);
  HttpClient roomy(Loopback());
  REQUIRE(roomy.Perform(req, response) == HERALD_OK);
  CHECK(response.body.size() == big.size());
}
