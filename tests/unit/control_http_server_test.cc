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
      std::string a;  // every value of `a`, in order
      for (auto [it, end] = r.query.equal_range("a"); it != end; ++it) {
        a += (a.empty() ? "" : ",") + it->second;
      }
      resp.body = r.method + " " + r.path + " q=" + a + " uid=" + std::to_string(r.peer.uid) +
                  " body=" + r.body;
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
  o.header_timeout = 300ms;
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

// --- The audit's control-socket attacks (docs/security.md).

TEST_CASE("a body in a coding the server does not decode is refused, never ignored", "[security]") {
  Fixture f;
  auto answer = [&](const std::string& request) {
    int fd = Connect(f.path);
    SendAll(fd, request);
    std::string r = ReadResponse(fd);
    ::close(fd);
    return r;
  };
  // The audit's request: gzip'ed JSON that went on as an empty body.
  std::string r = answer("POST /v1/pause HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n");
  CHECK(Status(r) == "400");
  CHECK(r.find("unsupported_transfer_encoding") != std::string::npos);
  CHECK(r.find("body=") == std::string::npos);  // the handler never ran
  r = answer("POST /v1/pause HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");
  CHECK(Status(r) == "400");
  r = answer("POST /v1/pause HTTP/1.1\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}");
  CHECK(Status(r) == "415");
  CHECK(r.find("unsupported_content_encoding") != std::string::npos);
  r = answer(
      "POST /v1/pause HTTP/1.1\r\nContent-Type: application/json; charset=utf-16\r\n"
      "Content-Length: 2\r\n\r\n{}");
  CHECK(Status(r) == "415");
  r = answer(
      "POST /v1/pause HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=x\r\n"
      "Content-Length: 2\r\n\r\n{}");
  CHECK(Status(r) == "415");
  r = answer("POST /v1/pause HTTP/1.1\r\nExpect: something-else\r\nContent-Length: 2\r\n\r\n{}");
  CHECK(Status(r) == "417");
  // What is decoded still works: chunked, identity, JSON with or without charset.
  r = answer(
      "POST /v1/y HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json; "
      "charset=UTF-8\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
  CHECK(Status(r) == "200");
  CHECK(r.find("body={}") != std::string::npos);
}

TEST_CASE("a query key given twice reaches the handler twice, in order", "[security]") {
  Fixture f;
  int fd = Connect(f.path);
  SendAll(fd, "GET /x?a=pending&a=failed HTTP/1.1\r\n\r\n");
  std::string r = ReadResponse(fd);
  ::close(fd);
  CHECK(Status(r) == "200");
  CHECK(r.find("GET /x q=pending,failed ") != std::string::npos);
}

TEST_CASE("Expect: 100-continue gets its 100 Continue before the body is sent", "[security]") {
  Fixture f;
  int fd = Connect(f.path);
  SendAll(fd, "POST /v1/y HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  std::string interim =
      ReadUntil(fd, [](const std::string& s) { return s.find("\r\n\r\n") != std::string::npos; });
  CHECK(interim.rfind("HTTP/1.1 100 Continue\r\n\r\n", 0) == 0);
  SendAll(fd, "hi");
  std::string r = ReadResponse(fd);
  CHECK(Status(r) == "200");
  CHECK(r.find("body=hi") != std::string::npos);
  ::close(fd);
}

TEST_CASE("headers that trickle in are cut off at the header timeout, whatever the body's",
          "[security]") {
  HttpServerOptions o;
  o.header_timeout = 300ms;
  o.read_timeout = 30s;
  Fixture f(o);
  int fd = Connect(f.path);
  auto started = std::chrono::steady_clock::now();
  SendAll(fd, "GET / HTTP/1.1\r\n");
  std::string r;
  for (int i = 0; i < 40 && r.empty(); ++i) {  // one header byte every 50 ms
    SendAll(fd, "X");
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) == 1) r = ReadResponse(fd);
  }
  CHECK(Status(r) == "408");
  CHECK(std::chrono::steady_clock::now() - started < 5s);
  ::close(fd);
}

TEST_CASE("lesser peers cannot take the admins' connections", "[security]") {
  HttpServerOptions o;
  o.max_connections = 6;
  o.reserved_connections = 2;
  o.max_connections_per_peer = 3;
  bool admin = false;  // the test's one uid plays either role
  o.privileged = [&admin](const PeerCredentials&) { return admin; };
  Fixture f(o);
  auto open_one = [&] {
    int fd = Connect(f.path);
    SendAll(fd, "GET /warm HTTP/1.1\r\n\r\n");
    return std::make_pair(fd, Status(ReadResponse(fd)));
  };
  std::vector<int> held;
  for (int i = 0; i < 3; ++i) {
    auto [fd, status] = open_one();
    CHECK(status == "200");
    held.push_back(fd);
  }
  auto [over, status] = open_one();  // a fourth from the same uid
  CHECK(status == "503");
  ::close(over);
  admin = true;
  for (int i = 0; i < 3; ++i) {  // admins take the rest, reserved slots included
    auto [fd, admin_status] = open_one();
    CHECK(admin_status == "200");
    held.push_back(fd);
  }
  auto [full, full_status] = open_one();
  CHECK(full_status == "503");
  ::close(full);
  for (int fd : held) ::close(fd);
}

TEST_CASE("ParseRequest reads bytes as a connection does: the same request or the same answer") {
  HttpServerOptions o;
  o.max_body_bytes = 1000;
  Fixture f(o);
  // What the server answers to `request` sent whole, then the client's side closed.
  auto served = [&](const std::string& request) {
    int fd = Connect(f.path);
    SendAll(fd, request);
    ::shutdown(fd, SHUT_WR);
    std::string r = ReadResponse(fd);
    ::close(fd);
    return r;
  };
  const std::vector<std::string> requests = {
      "GET /v1/x?a=b%20c&d=+e HTTP/1.1\r\nHost: h\r\n\r\n",
      "POST /v1/y HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi",
      "POST /v1/y HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
      "THIS IS NOT HTTP\r\n\r\n",
      "GET / HTTP/1.1\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'x'),
      "POST /v1/pause HTTP/1.1\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}",
      "POST /v1/pause HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
      "GET /x?state=pending&state=failed HTTP/1.1\r\n\r\n",
      "POST /v1/y HTTP/1.1\r\nContent-Length: 10\r\n\r\ncut",
      "GET /v1/x HTT",
  };
  for (const std::string& request : requests) {
    INFO(request.substr(0, 80));
    const ParsedRequest parsed = ParseRequest(request, o);
    const std::string r = served(request);
    REQUIRE(parsed.request.has_value() != parsed.refused.has_value());
    if (parsed.request) {
      CHECK(Status(r) == "200");
      const Request& q = *parsed.request;
      CHECK(r.find(q.method + " " + q.path + " q=" +
                   (q.query.count("a") ? q.query.find("a")->second : "")) != std::string::npos);
      CHECK(r.find("body=" + q.body) != std::string::npos);
    } else {
      CHECK(Status(r) == std::to_string(parsed.refused->status));
      CHECK(r.find(parsed.refused->body) != std::string::npos);
    }
  }
  const ParsedRequest nothing = ParseRequest("", o);
  CHECK_FALSE(nothing.request);
  CHECK_FALSE(nothing.refused);  // a client that sent nothing gets nothing
}
