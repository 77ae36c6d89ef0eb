// The control server's HTTP layer over a real Unix socket with a stand-in
// handler: keep-alive, peer credentials, and every kind of bad input it must
// answer without harm (malformed requests, oversized headers and bodies, slow
// and idle clients, too many connections), plus a streaming response.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "control/http_server.h"
#include "control/socket_file.h"

using namespace herald::control;
using namespace std::chrono_literals;

namespace {

struct Fixture {
  explicit Fixture(HttpServerOptions options = {}) {
    char tmpl[] = "/tmp/herald-http-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    dir = tmpl;
    path = dir / "s.sock";
    server = std::make_unique<HttpServer>(options, [this](Request r, Reply reply) {
      if (r.path == "/throw") throw std::runtime_error("boom");
      if (r.path == "/stream") {
        stream = std::make_shared<LineStream>();
        stream->Push("{\"n\":1}");
        Response resp;
        resp.stream = stream;
        return reply(resp);
      }
      Response resp;
      resp.body = r.method + " " + r.path + " q=" + (r.query.count("a") ? r.query["a"] : "") +
                  " uid=" + std::to_string(r.peer.uid) + " body=" + r.body;
      reply(resp);
    });
    auto fd = CreateListeningSocket({path, "", 64});
    REQUIRE(fd.ok());
    REQUIRE(server->Start(*fd).ok());
  }
  ~Fixture() {
    server->Stop();
    std::filesystem::remove_all(dir);
  }
  std::filesystem::path dir, path;
  std::unique_ptr<HttpServer> server;
  std::shared_ptr<LineStream> stream;
};

int Connect(const std::filesystem::path& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return fd;
}

void SendAll(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;  // the server may close early on oversized input
    off += static_cast<size_t>(n);
  }
}

// Reads until `done(received)` or the peer closes; fails after 10 s of silence.
std::string ReadUntil(int fd, const std::function<bool(const std::string&)>& done) {
  std::string got;
  char buf[4096];
  while (!done(got)) {
    pollfd p{fd, POLLIN, 0};
    REQUIRE(::poll(&p, 1, 10000) == 1);
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  return got;
}

// One whole response (Content-Length framed).
std::string ReadResponse(int fd) {
  return ReadUntil(fd, [](const std::string& s) {
    size_t end = s.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    size_t cl = s.find("Content-Length: ");
    if (cl == std::string::npos || cl > end) return true;
    size_t len = std::stoul(s.substr(cl + 16));
    return s.size() >= end + 4 + len;
  });
}

bool PeerClosed(int fd) {
  return ReadUntil(fd, [](const std::string&) { return false; }).empty();
}

std::string Status(const std::string& response) { return response.substr(9, 3); }

}  // namespace

TEST_CASE("requests are answered with keep-alive and carry the peer's uid") {
  Fixture f;
  int fd = Connect(f.path);
  SendAll(fd, "GET /v1/x?a=b%20c HTTP/1.1\r\nHost: h\r\n\r\n");
  std::string first = ReadResponse(fd);
  CHECK(Status(first) == "200");
  CHECK(first.find("GET /v1/x q=b c uid=" + std::to_string(::getuid())) != std::string::npos);
  SendAll(fd, "POST /v1/y HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi");
  std::string second = ReadResponse(fd);
  CHECK(Status(second) == "200");
  CHECK(second.find("body=hi") != std::string::npos);
  ::close(fd);
}

TEST_CASE("malformed HTTP gets a JSON 400 and the connection closes") {
  Fixture f;
  int fd = Connect(f.path);
  SendAll(fd, "THIS IS NOT HTTP\r\n\r\n");
  std::string r = ReadResponse(fd);
  CHECK(Status(r) == "400");
  CHECK(r.find("{\"error\":{\"code\":\"bad_request\"") != std::string::npos);
  CHECK(PeerClosed(fd));
  ::close(fd);
}

TEST_CASE("oversized headers get 431") {
  Fixture f;
  int fd = Connect(f.path);
  SendAll(fd, "GET / HTTP/1.1\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
  std::string r = ReadResponse(fd);
  CHECK(Status(r) == "431");
  ::close(fd);
}

TEST_CASE("oversized bodies get 413") {
  HttpServerOptions o;
  o.max_body_bytes = 1000;
  Fixture f(o);
  int fd = Connect(f.path);
  SendAll(fd, "POST / HTTP/1.1\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'x'));
  std::string r = ReadResponse(fd);
  CHECK(Status(r) == "413");
  ::close(fd);
}

TEST_CASE("a slow client gets 408, an idle one is closed") {
  HttpServerOptions o;
  o.read_timeout = 300ms;
  Fixture f(o);
  int slow = Connect(f.path);
  SendAll(slow, "GET / HTTP/1.1\r\nHost: ");  // and never finishes
  std::string r = ReadResponse(slow);
  CHECK(Status(r) == "408");
  int idle = Connect(f.path);
  CHECK(PeerClosed(idle));
  ::close(slow);
  ::close(idle);
}

TEST_CASE("connections beyond the cap get 503 and the others still work") {
  HttpServerOptions o;
  o.max_connections = 4;
  Fixture f(o);
  std::vector<int> idle;
  for (int i = 0; i < 4; ++i) {
    idle.push_back(Connect(f.path));
    SendAll(idle.back(), "GET /warm HTTP/1.1\r\n\r\n");  // accepted and counted
    CHECK(Status(ReadResponse(idle.back())) == "200");
  }
  int extra = Connect(f.path);
  std::string r = ReadResponse(extra);
  CHECK(Status(r) == "503");
  CHECK(r.find("too_many_connections") != std::string::npos);
  ::close(extra);
  ::close(idle[0]);
  // The closed slot frees up: a new client is served again.
  for (int attempt = 0; attempt < 200 && f.server->open_connections() >= 4; ++attempt) {
    ::poll(nullptr, 0, 5);
  }
  int next = Connect(f.path);
  SendAll(next, "GET /again HTTP/1.1\r\n\r\n");
  CHECK(Status(ReadResponse(next)) == "200");
  ::close(next);
  for (size_t i = 1; i < idle.size(); ++i) ::close(idle[i]);
}

TEST_CASE("a handler that throws gives 500, the server goes on") {
  Fixture f;
  int fd = Connect(f.path);
  SendAll(fd, "GET /throw HTTP/1.1\r\n\r\n");
  CHECK(Status(ReadResponse(fd)) == "500");
  SendAll(fd, "GET /ok HTTP/1.1\r\n\r\n");
  CHECK(Status(ReadResponse(fd)) == "200");
  ::close(fd);
}

TEST_CASE("a streaming response sends lines as they come, chunked") {
  Fixture f;
  int fd = Connect(f.path);
  SendAll(fd, "GET /stream HTTP/1.1\r\n\r\n");
  std::string head = ReadUntil(
      fd, [](const std::string& s) { return s.find("{\"n\":1}\n") != std::string::npos; });
  CHECK(head.find("Transfer-Encoding: chunked") != std::string::npos);
  CHECK(head.find("application/x-ndjson") != std::string::npos);
  f.stream->Push("{\"n\":2}");
  std::string more = ReadUntil(
      fd, [](const std::string& s) { return s.find("{\"n\":2}\n") != std::string::npos; });
  CHECK(more.find("{\"n\":2}") != std::string::npos);
  f.stream->Close();
  std::string tail = ReadUntil(fd, [](const std::string&) { return false; });
  CHECK(tail.find("0\r\n\r\n") != std::string::npos);
  ::close(fd);
}

TEST_CASE("a client that goes away closes its stream") {
  Fixture f;
  int fd = Connect(f.path);
  SendAll(fd, "GET /stream HTTP/1.1\r\n\r\n");
  ReadUntil(fd, [](const std::string& s) { return s.find("{\"n\":1}\n") != std::string::npos; });
  ::close(fd);
  for (int i = 0; i < 400 && !f.stream->closed(); ++i) ::poll(nullptr, 0, 5);
  CHECK(f.stream->closed());
}
