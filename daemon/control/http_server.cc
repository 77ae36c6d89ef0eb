#include "control/http_server.h"

#include <pthread.h>
#include <sys/socket.h>

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange unincluded

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

// After Boost: cpprestsdk defines a macro U() that breaks Boost's headers.
#include <cpprest/json.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string_view>

namespace herald::control {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Socket = asio::local::stream_protocol::socket;
using boost::system::error_code;

// --- LineStream ---

bool LineStream::Push(std::string line) {
  std::function<void()> notify;
  {
    std::lock_guard lock(mu_);
    if (closed_) return false;
    if (lines_.size() >= max_queued_) {
      closed_ = true;  // the client does not keep up: let it go rather than grow without bound
      lines_.clear();
    } else {
      lines_.push_back(std::move(line));
    }
    notify = std::exchange(notify_, nullptr);
  }
  if (notify) notify();
  return !closed();
}

void LineStream::Close() {
  std::function<void()> notify;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    notify = std::exchange(notify_, nullptr);
  }
  if (notify) notify();
}

bool LineStream::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

std::deque<std::string> LineStream::Take(std::function<void()> notify) {
  std::lock_guard lock(mu_);
  std::deque<std::string> out;
  out.swap(lines_);
  if (out.empty() && !closed_) notify_ = std::move(notify);
  return out;
}

// --- helpers ---

Response ErrorResponse(int status, const std::string& code, const std::string& message) {
  web::json::value error = web::json::value::object();
  error[U("code")] = web::json::value::string(code);
  error[U("message")] = web::json::value::string(message);
  web::json::value body = web::json::value::object();
  body[U("error")] = error;
  Response r;
  r.status = status;
  r.body = body.serialize() + "\n";
  return r;
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Decode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%' && i + 2 < in.size() && HexValue(in[i + 1]) >= 0 && HexValue(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2])));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Splits the target into path and query. A key given twice is refused (the
// answer is returned): which of the two to honour would be a guess.
std::optional<Response> SplitTarget(std::string_view target, Request& request) {
  size_t q = target.find('?');
  request.path = Decode(target.substr(0, q), false);
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key = Decode(pair.substr(0, eq), true);
    std::string value =
        eq == std::string_view::npos ? std::string() : Decode(pair.substr(eq + 1), true);
    request.query.emplace(std::move(key), std::move(value));
  }
  return std::nullopt;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// What a request's headers say about its body that the server will not
// honour, as the answer to give; nullopt when the body may be read. Nothing
// is ignored: a coding the server does not decode is refused, never skipped.
template <class Fields>
std::optional<Response> RefuseBody(const Fields& fields, bool has_body) {
  for (auto it = fields.find(http::field::transfer_encoding);
       it != fields.end() && it->name() == http::field::transfer_encoding; ++it) {
    if (Lower(Trim(std::string_view(it->value().data(), it->value().size()))) != "chunked") {
      return ErrorResponse(400, "unsupported_transfer_encoding",
                           "Transfer-Encoding '" + std::string(it->value()) +
                               "' is not decoded here; send the body as is or chunked");
    }
  }
  for (auto it = fields.find(http::field::content_encoding);
       it != fields.end() && it->name() == http::field::content_encoding; ++it) {
    if (Lower(Trim(std::string_view(it->value().data(), it->value().size()))) != "identity") {
      return ErrorResponse(415, "unsupported_content_encoding",
                           "Content-Encoding '" + std::string(it->value()) +
                               "' is not decoded here; send the JSON body uncompressed");
    }
  }
  auto expect = fields.find(http::field::expect);
  if (expect != fields.end() &&
      Lower(Trim(std::string_view(expect->value().data(), expect->value().size()))) !=
          "100-continue") {
    return ErrorResponse(417, "expectation_failed",
                         "Expect '" + std::string(expect->value()) + "' is not supported");
  }
  auto type = fields.find(http::field::content_type);
  if (has_body && type != fields.end()) {
    // JSON, or what curl -d declares by default for the JSON it sends.
    const std::string value = Lower(std::string_view(type->value().data(), type->value().size()));
    const std::string media = Trim(std::string_view(value).substr(0, value.find(';')));
    bool ok = media == "application/json" || media == "application/x-www-form-urlencoded";
    for (size_t at = value.find(';'); ok && at != std::string::npos; at = value.find(';', at + 1)) {
      std::string param =
          Trim(std::string_view(value).substr(at + 1, value.find(';', at + 1) - at - 1));
      if (param.rfind("charset=", 0) == 0) {
        std::string charset = param.substr(8);
        if (charset.size() >= 2 && charset.front() == '"')
          charset = charset.substr(1, charset.size() - 2);
        ok = charset == "utf-8" || charset == "utf8";
      }
    }
    if (!ok) {
      return ErrorResponse(415, "unsupported_media_type",
                           "Content-Type '" + std::string(type->value()) +
                               "' is not read here; bodies are JSON in UTF-8 (application/json)");
    }
  }
  return std::nullopt;
}

bool IsDisconnect(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::bad_descriptor || ec == asio::error::operation_aborted;
}

// The answer to a request that could not be read (`ec` set, not a timeout);
// nullopt when the client went away before sending anything (nothing to say).
std::optional<Response> ReadFailure(const error_code& ec, bool got_some,
                                    const HttpServerOptions& options) {
  if (ec == http::error::header_limit) {
    return ErrorResponse(
        431, "header_too_large",
        "request headers exceed " + std::to_string(options.max_header_bytes) + " bytes");
  }
  if (ec == http::error::body_limit) {
    return ErrorResponse(
        413, "body_too_large",
        "request body exceeds " + std::to_string(options.max_body_bytes) + " bytes");
  }
  if (IsDisconnect(ec) && !got_some) return std::nullopt;
  return ErrorResponse(400, "bad_request", "malformed HTTP request: " + ec.message());
}

// The Request a parsed message makes (all but the peer), or the answer that
// refuses it.
template <class Message>
std::optional<Response> BuildRequest(Message& req, Request& request) {
  request.method = std::string(req.method_string());
  if (auto refused =
          SplitTarget(std::string_view(req.target().data(), req.target().size()), request)) {
    return refused;
  }
  request.body = std::move(req.body());
  return std::nullopt;
}

using Parser = http::request_parser<http::string_body>;

void LimitParser(Parser& parser, const HttpServerOptions& options) {
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  parser.body_limit(options.max_body_bytes);
}

}  // namespace

// --- the server's state, shared with Reply and Poster callables ---

class Session;

// A whole HTTP response with a JSON error, ready to send as it is.
std::string CannedError(int status, const std::string& code, const std::string& message) {
  Response r = ErrorResponse(status, code, message);
  return "HTTP/1.1 " + std::to_string(status) +
         " Service Unavailable\r\nContent-Type: application/json\r\nCache-Control: "
         "no-store\r\nConnection: close\r\nContent-Length: " +
         std::to_string(r.body.size()) + "\r\n\r\n" + r.body;
}

struct HttpServer::Core {
  Core(HttpServerOptions o, Handler h)
      : options(std::move(o)),
        handler(std::move(h)),
        shared_connections(options.max_connections -
                           std::min(options.reserved_connections, options.max_connections)),
        busy_all(CannedError(503, "too_many_connections",
                             "the control socket has " + std::to_string(options.max_connections) +
                                 " connections open already; try again later")),
        busy_shared(CannedError(503, "too_many_connections",
                                "the control socket's " + std::to_string(shared_connections) +
                                    " connections for non-admins are in use; try again later")),
        busy_user(CannedError(503, "too_many_connections",
                              "your user has " + std::to_string(options.max_connections_per_peer) +
                                  " connections open to the control socket already; close one "
                                  "first")) {}

  void Accept();
  void Post(std::function<void()> fn) {
    std::lock_guard lock(post_mu);
    if (stopped) return;
    asio::post(io, std::move(fn));
  }

  // Declared before io: session handlers destroyed with io may still touch them.
  const HttpServerOptions options;
  const Handler handler;
  std::atomic<size_t> open{0};
  const size_t shared_connections;                     // what unprivileged peers may hold in all
  const std::string busy_all, busy_shared, busy_user;  // the refusals, ready to send
  // Server thread only: accepted connections of unprivileged peers, in all and by uid.
  size_t unprivileged_open = 0;
  std::map<uid_t, size_t> open_by_uid;
  std::mutex post_mu;
  bool stopped = false;  // guarded by post_mu

  asio::io_context io;
  std::optional<asio::local::stream_protocol::acceptor> acceptor;
  asio::steady_timer accept_retry{io};
  std::set<std::shared_ptr<Session>> sessions;  // server thread only
  std::weak_ptr<Core> self;                     // what callables that may outlive the server hold
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(HttpServer::Core& core, Socket socket, PeerCredentials peer)
      : core_(core), socket_(std::move(socket)), deadline_(core.io), peer_(peer) {}

  // Counts the session as open; `unprivileged` ones also per uid.
  void Start(bool unprivileged) {
    counted_ = true;
    unprivileged_ = unprivileged;
    core_.open++;
    if (unprivileged_) {
      core_.unprivileged_open++;
      core_.open_by_uid[peer_.uid]++;
    }
    ReadRequest();
  }

  void Send(Response response) {
    if (closed_ || !awaiting_reply_) return;
    awaiting_reply_ = false;
    if (response.stream && head_) {
      // A stream's head: its headers, no lines; the producer drops it.
      response.stream->Close();
      response.stream.reset();
    }
    if (response.stream) {
      StartStream(std::move(response.stream));
      return;
    }
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), 11);
    res->set(http::field::content_type, response.content_type);
    res->set(http::field::cache_control, "no-store");
    res->keep_alive(keep_alive_);
    res->body() = std::move(response.body);
    res->prepare_payload();
    if (head_) res->body().clear();  // Content-Length stays the GET body's
    writing_ = true;
    Arm(core_.options.write_timeout);
    http::async_write(socket_, *res, [self = shared_from_this(), res](error_code ec, size_t) {
      self->writing_ = false;
      self->deadline_.cancel();
      if (ec || !res->keep_alive()) {
        self->Close();
      } else {
        self->ReadRequest();
      }
    });
  }

  void PumpStream() {
    if (closed_ || writing_) return;
    std::weak_ptr<Session> weak = weak_from_this();
    std::weak_ptr<HttpServer::Core> core = core_.self;
    auto lines = stream_->Take([weak, core] {
      if (auto c = core.lock()) {
        c->Post([weak] {
          if (auto self = weak.lock()) self->PumpStream();
        });
      }
    });
    std::string payload;
    for (auto& line : lines) {
      payload += line;
      payload += '\n';
    }
    bool last = lines.empty() && stream_->closed();
    if (lines.empty() && !last) return;
    out_.clear();
    if (!payload.empty()) {
      char size[32];
      std::snprintf(size, sizeof size, "%zx\r\n", payload.size());
      out_ = size + payload + "\r\n";
    }
    if (last) out_ += "0\r\n\r\n";
    writing_ = true;
    Arm(core_.options.write_timeout);
    asio::async_write(socket_, asio::buffer(out_),
                      [self = shared_from_this(), last](error_code ec, size_t) {
                        self->writing_ = false;
                        self->deadline_.cancel();
                        if (ec || last) {
                          self->Close();
                        } else {
                          self->PumpStream();
                        }
                      });
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    deadline_.cancel();
    error_code ignored;
    socket_.shutdown(Socket::shutdown_both, ignored);
    socket_.close(ignored);
    if (stream_) stream_->Close();
    if (counted_) {
      core_.open--;
      if (unprivileged_) {
        core_.unprivileged_open--;
        auto it = core_.open_by_uid.find(peer_.uid);
        if (it != core_.open_by_uid.end() && --it->second == 0) core_.open_by_uid.erase(it);
      }
    }
    core_.sessions.erase(shared_from_this());
  }

 private:
  // Headers first, within header_timeout (a slowloris client has that long,
  // then 408); the body after them, within read_timeout.
  void ReadRequest() {
    if (closed_) return;
    parser_.emplace();
    LimitParser(*parser_, core_.options);
    timed_out_ = false;
    reading_body_ = false;
    Arm(core_.options.header_timeout);
    http::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(error_code ec) {
    deadline_.cancel();
    if (closed_) return;
    if (ec || timed_out_) return OnRead(ec);
    const auto& req = parser_->get();
    const bool has_body = !parser_->is_done();
    if (auto refused = RefuseBody(req, has_body)) {
      keep_alive_ = false;
      awaiting_reply_ = true;
      Send(std::move(*refused));
      return;
    }
    if (!has_body) return OnRead(ec);
    reading_body_ = true;
    auto read_body = [self = shared_from_this()] {
      self->Arm(self->core_.options.read_timeout);
      http::async_read(self->socket_, self->buffer_, *self->parser_,
                       [self](error_code body_ec, size_t) { self->OnRead(body_ec); });
    };
    if (req.count(http::field::expect) == 0) return read_body();
    // Expect: 100-continue (the only value RefuseBody lets through).
    static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    writing_ = true;
    Arm(core_.options.write_timeout);
    asio::async_write(socket_, asio::buffer(kContinue),
                      [self = shared_from_this(), read_body](error_code write_ec, size_t) {
                        self->writing_ = false;
                        self->deadline_.cancel();
                        if (write_ec || self->closed_) return self->Close();
                        read_body();
                      });
  }

  void OnRead(error_code ec) {
    deadline_.cancel();
    if (closed_) return;
    keep_alive_ = false;
    awaiting_reply_ = true;
    if (timed_out_) {
      if (parser_->got_some()) {
        const auto limit =
            reading_body_ ? core_.options.read_timeout : core_.options.header_timeout;
        Send(ErrorResponse(408, "request_timeout",
                           std::string("the request's ") + (reading_body_ ? "body" : "headers") +
                               " did not arrive within " + std::to_string(limit.count()) + " ms"));
      } else {
        Close();  // an idle keep-alive connection: nothing to say
      }
      return;
    }
    if (ec) {
      if (auto answer = ReadFailure(ec, parser_->got_some(), core_.options)) {
        Send(std::move(*answer));
      } else {
        Close();
      }
      return;
    }
    auto& req = parser_->get();
    Request request;
    if (auto refused = BuildRequest(req, request)) {
      keep_alive_ = false;
      Send(std::move(*refused));
      return;
    }
    request.peer = peer_;
    keep_alive_ = req.keep_alive();
    // HEAD is GET without the body, wherever GET is allowed.
    head_ = request.method == "HEAD";
    if (head_) request.method = "GET";

    std::weak_ptr<Session> weak = weak_from_this();
    std::weak_ptr<HttpServer::Core> core = core_.self;
    auto done = std::make_shared<std::atomic<bool>>(false);
    Reply reply = [weak, core, done](Response response) {
      if (done->exchange(true)) return;
      auto c = core.lock();
      if (!c) return;
      c->Post([weak, response = std::move(response)]() mutable {
        if (auto self = weak.lock()) self->Send(std::move(response));
      });
    };
    Arm(core_.options.reply_timeout);
    try {
      core_.handler(std::move(request), reply);
    } catch (const std::exception& e) {
      reply(ErrorResponse(500, "internal", std::string("internal error: ") + e.what()));
    } catch (...) {
      reply(ErrorResponse(500, "internal", "internal error"));
    }
  }

  void StartStream(std::shared_ptr<LineStream> stream) {
    stream_ = std::move(stream);
    auto res = std::make_shared<http::response<http::empty_body>>(http::status::ok, 11);
    res->set(http::field::content_type, "application/x-ndjson");
    res->set(http::field::cache_control, "no-store");
    res->keep_alive(false);
    res->chunked(true);
    auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*res);
    writing_ = true;
    Arm(core_.options.write_timeout);
    http::async_write_header(socket_, *serializer,
                             [self = shared_from_this(), res, serializer](error_code ec, size_t) {
                               self->writing_ = false;
                               self->deadline_.cancel();
                               if (ec) return self->Close();
                               self->WatchPeer();
                               self->PumpStream();
                             });
  }

  // While streaming, a read that ends tells us the client went away.
  void WatchPeer() {
    socket_.async_read_some(asio::buffer(sink_),
                            [self = shared_from_this()](error_code ec, size_t) {
                              if (ec) return self->Close();
                              self->WatchPeer();
                            });
  }

  void Arm(std::chrono::milliseconds timeout) {
    deadline_.expires_after(timeout);
    deadline_.async_wait([self = shared_from_this()](error_code ec) {
      if (ec || self->closed_) return;
      if (self->awaiting_reply_) {
        self->keep_alive_ = false;
        self->Send(ErrorResponse(503, "timeout", "the daemon did not answer in time"));
      } else if (self->parser_ && !self->writing_ && !self->stream_) {
        self->timed_out_ = true;  // OnRead answers 408 or closes quietly
        error_code ignored;
        self->socket_.cancel(ignored);
      } else {
        self->Close();  // the client does not take what we write
      }
    });
  }

  HttpServer::Core& core_;
  Socket socket_;
  asio::steady_timer deadline_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  PeerCredentials peer_;
  bool keep_alive_ = false;
  bool head_ = false;  // the request being answered is a HEAD
  bool closed_ = false;
  bool awaiting_reply_ = false;
  bool timed_out_ = false;
  bool writing_ = false;
  bool reading_body_ = false;
  bool counted_ = false;
  bool unprivileged_ = false;
  std::shared_ptr<LineStream> stream_;
  std::string out_;
  std::array<char, 256> sink_{};
};

void HttpServer::Core::Accept() {
  acceptor->async_accept([this](error_code ec, Socket socket) {
    if (!acceptor->is_open() || ec == asio::error::operation_aborted) return;
    if (ec) {
      // Out of descriptors or similar: try again shortly instead of spinning.
      accept_retry.expires_after(std::chrono::milliseconds(100));
      accept_retry.async_wait([this](error_code wait_ec) {
        if (!wait_ec && acceptor->is_open()) Accept();
      });
      return;
    }
    PeerCredentials peer;
    ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(socket.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) {
      peer.pid = cred.pid;
      peer.uid = cred.uid;
      peer.gid = cred.gid;
    } else {
      peer.uid = static_cast<uid_t>(-1);  // unknown: no role
      peer.gid = static_cast<gid_t>(-1);
    }
    const bool privileged = options.privileged && options.privileged(peer);
    const std::string* refusal = nullptr;
    if (open.load() >= options.max_connections) {
      refusal = &busy_all;
    } else if (!privileged && unprivileged_open >= shared_connections) {
      refusal = &busy_shared;
    } else if (auto held = open_by_uid.find(peer.uid);
               !privileged && options.max_connections_per_peer > 0 && held != open_by_uid.end() &&
               held->second >= options.max_connections_per_peer) {
      refusal = &busy_user;
    }
    if (refusal != nullptr) {
      // Refused at once, with no session: a flood costs an accept, one
      // non-blocking send of a ready-made answer and a close, so the queue
      // an admin's connection waits in drains fast.
      (void)::send(socket.native_handle(), refusal->data(), refusal->size(),
                   MSG_DONTWAIT | MSG_NOSIGNAL);
      error_code ignored;
      socket.shutdown(Socket::shutdown_both, ignored);
      socket.close(ignored);
    } else {
      auto session = std::make_shared<Session>(*this, std::move(socket), peer);
      sessions.insert(session);
      session->Start(!privileged);
    }
    Accept();
  });
}

ParsedRequest ParseRequest(std::string_view bytes, const HttpServerOptions& options) {
  ParsedRequest out;
  Parser parser;
  LimitParser(parser, options);
  error_code ec;
  // Feeds what is left until `done` holds; the end of `bytes` is the
  // client's end of stream, as a socket's read would report it.
  auto feed = [&](auto done) {
    while (!ec && !done()) {
      std::size_t used = 0;
      if (!bytes.empty()) {
        used = parser.put(asio::buffer(bytes.data(), bytes.size()), ec);
        bytes.remove_prefix(used);
        if (ec == http::error::need_more) ec = {};
      }
      if (!ec && used == 0) {  // nothing more will come: as Beast's read at end of stream
        if (!parser.got_some()) {
          ec = http::error::end_of_stream;
        } else {
          parser.put_eof(ec);
          if (!ec && !done()) ec = http::error::partial_message;
        }
      }
    }
  };
  feed([&] { return parser.is_header_done(); });
  if (!ec) {
    if (auto refused = RefuseBody(parser.get(), !parser.is_done())) {
      out.refused = std::move(*refused);
      return out;
    }
    parser.eager(true);  // the body as async_read reads it
    feed([&] { return parser.is_done(); });
  }
  if (ec) {
    out.refused = ReadFailure(ec, parser.got_some(), options);
    return out;
  }
  Request request;
  if (auto refused = BuildRequest(parser.get(), request)) {
    out.refused = std::move(*refused);
  } else {
    out.request = std::move(request);
  }
  return out;
}

HttpServer::HttpServer(HttpServerOptions options, Handler handler)
    : core_(std::make_shared<Core>(std::move(options), std::move(handler))) {
  core_->self = core_;
}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start(int listen_fd) {
  if (thread_.joinable()) return Error(ErrorCode::kFailedPrecondition, "server already started");
  error_code ec;
  core_->acceptor.emplace(core_->io);
  core_->acceptor->assign(asio::local::stream_protocol(), listen_fd, ec);
  if (ec) {
    core_->acceptor.reset();
    return Error(ErrorCode::kIo, "cannot use the control socket: " + ec.message());
  }
  core_->Accept();
  thread_ = std::thread([core = core_] {
    ::pthread_setname_np(::pthread_self(), "herald-control");
    for (;;) {
      try {
        core->io.run();
        break;
      } catch (...) {
        // A handler threw: the loop goes on; the handler's connection is lost.
      }
    }
  });
  return Status::Ok();
}

void HttpServer::Stop() {
  if (!thread_.joinable()) return;
  Core* core = core_.get();
  core->Post([core] {
    error_code ignored;
    if (core->acceptor) core->acceptor->close(ignored);
    core->accept_retry.cancel();
    auto sessions = core->sessions;
    for (const auto& s : sessions) s->Close();
    asio::post(core->io, [core] { core->io.stop(); });
  });
  thread_.join();
  {
    std::lock_guard lock(core->post_mu);
    core->stopped = true;
  }
  core->io.restart();
  core->io.poll();
  core->sessions.clear();
}

void HttpServer::Post(std::function<void()> fn) { core_->Post(std::move(fn)); }

std::function<void(std::function<void()>)> HttpServer::Poster() {
  std::weak_ptr<Core> weak = core_;
  return [weak](std::function<void()> fn) {
    if (auto core = weak.lock()) core->Post(std::move(fn));
  };
}

size_t HttpServer::open_connections() const { return core_->open.load(); }

}  // namespace herald::control
