// HttpClient against a one-connection loopback server written with plain
// sockets in the test: bodies from memory, file ranges and multipart arrive
// whole, and transport failures are classified as not-sent or no-response.
#include "http/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
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

using herald::http::HttpClient;
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

}  // namespace

TEST_CASE("GET returns status, headers and body; the connection is reused", "[http]") {
  LoopbackServer server([&](const std::string&) { return Ok("{\"id\":\"1\"}"); });
  HttpClient client;
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
  HttpClient client;
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
  REQUIRE(client.Perform(range, response) == HERALD_OK);
  CHECK(server.last_request().rfind("PUT /upload ", 0) == 0);
  CHECK(Body(server.last_request()) == "456789");

  range.file_length = UINT64_MAX;
  REQUIRE(client.Perform(range, response) == HERALD_OK);
  CHECK(Body(server.last_request()) == "456789abcdef");

  range.file_offset = 10;
  range.file_length = 100;
  CHECK(client.Perform(range, response) == HERALD_ERR_HTTP_BODY);
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
  REQUIRE(client.Perform(multi, response) == HERALD_OK);
  std::string body = Body(server.last_request());
  CHECK(server.last_request().find("Content-Type: multipart/form-data; boundary=") !=
        std::string::npos);
  CHECK(body.find("name=\"caption\"\r\n\r\nGame day!\r\n") != std::string::npos);
  CHECK(body.find("name=\"source\"; filename=\"photo.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
                  "0123\r\n") != std::string::npos);
  std::filesystem::remove(file);
}

TEST_CASE("a refused connection is not-sent; a dropped answer is no-response", "[http]") {
  HttpClient client(2000);
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
  HttpClient client(2000);
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
  HttpClient client(2000);
  HttpResponse response;
  std::string url = server.url("/status");
  auto get = Request("GET", url);
  REQUIRE(client.Perform(get, response) == HERALD_OK);
  CHECK(client.Perform(get, response) == HERALD_OK);
  CHECK(server.requests() == 3);
}
