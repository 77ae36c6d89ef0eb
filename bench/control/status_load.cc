// bench_status_load: a keep-alive HTTP/1.1 load client for a Unix socket
// (wrk and its kin speak TCP only). N connections, one thread each, send
// `GET PATH` for a fixed duration and record every request's latency.
//
//   bench_status_load SOCKET [--connections N] [--seconds S] [--rate R] [--path P]
//
// With --rate R (requests/s over all connections) each connection sends on a
// fixed schedule and a request's latency counts from its scheduled time, so a
// stalled server is charged for the requests it delayed (no coordinated
// omission). Without it, each connection sends its next request as soon as the
// previous answer is in (closed loop: the server's top rate).
// Prints one JSON object: requests, errors, seconds, rps, p50/p90/p99/p999/max in ms.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string socket;
  int connections = 4;
  double seconds = 10;
  double rate = 0;  // 0: closed loop
  std::string path = "/v1/status";
};

struct Tally {
  std::vector<double> latencies_ms;
  long errors = 0;
};

int Connect(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    ::close(fd);
    return -1;
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Waits in poll() for the answer, as curl and other real clients do: a
// thread asleep in recv() is also woken, for nothing, each time the server
// reads its request (the socket's write-space wakeup), which would charge the
// server's thread a second cross-CPU wakeup per request.
ssize_t Receive(int fd, char* data, size_t size) {
  pollfd p{fd, POLLIN, 0};
  while (::poll(&p, 1, -1) < 0) {
    if (errno != EINTR) return -1;
  }
  return ::recv(fd, data, size, 0);
}

// Reads one response (Content-Length framed) into `buffer`, which may hold
// the start of the next; returns its status, or -1 when the connection failed.
int ReadResponse(int fd, std::string& buffer) {
  size_t header_end;
  char chunk[16384];
  while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = Receive(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    buffer.append(chunk, static_cast<size_t>(n));
  }
  int status = std::atoi(buffer.c_str() + 9);  // "HTTP/1.1 200"
  size_t length = 0;
  std::string_view head(buffer.data(), header_end);
  for (std::string_view name : {"Content-Length:", "content-length:"}) {
    size_t at = head.find(name);
    if (at != std::string_view::npos) {
      length = std::strtoul(buffer.c_str() + at + name.size(), nullptr, 10);
      break;
    }
  }
  size_t total = header_end + 4 + length;
  while (buffer.size() < total) {
    ssize_t n = Receive(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    buffer.append(chunk, static_cast<size_t>(n));
  }
  buffer.erase(0, total);
  return status;
}

void RunConnection(const Options& options, Clock::time_point start, Clock::time_point end,
                   Tally& tally) {
  const std::string request =
      "GET " + options.path + " HTTP/1.1\r\nHost: herald\r\nConnection: keep-alive\r\n\r\n";
  const auto interval = options.rate > 0
                            ? std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(options.connections / options.rate))
                            : Clock::duration::zero();
  int fd = Connect(options.socket);
  std::string buffer;
  Clock::time_point next = start;
  while (true) {
    Clock::time_point sent;
    if (options.rate > 0) {
      if (next >= end) break;
      std::this_thread::sleep_until(next);
      sent = next;
      next += interval;
    } else {
      sent = Clock::now();
      if (sent >= end) break;
    }
    if (fd < 0) {
      fd = Connect(options.socket);
      if (fd < 0) {
        ++tally.errors;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
    }
    int status = SendAll(fd, request) ? ReadResponse(fd, buffer) : -1;
    auto done = Clock::now();
    if (status != 200) {
      ++tally.errors;
      if (status < 0) {
        ::close(fd);
        fd = -1;
        buffer.clear();
      }
      continue;
    }
    tally.latencies_ms.push_back(std::chrono::duration<double, std::milli>(done - sent).count());
  }
  if (fd >= 0) ::close(fd);
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

int Usage() {
  std::fprintf(stderr,
               "usage: bench_status_load SOCKET [--connections N] [--seconds S] [--rate R] "
               "[--path P]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (argc < 2) return Usage();
  options.socket = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc) return Usage();
    const char* value = argv[++i];
    if (arg == "--connections") {
      options.connections = std::max(1, std::atoi(value));
    } else if (arg == "--seconds") {
      options.seconds = std::atof(value);
    } else if (arg == "--rate") {
      options.rate = std::atof(value);
    } else if (arg == "--path") {
      options.path = value;
    } else {
      return Usage();
    }
  }
  std::vector<Tally> tallies(static_cast<size_t>(options.connections));
  for (auto& t : tallies) {
    t.latencies_ms.reserve(
        static_cast<size_t>(std::max(1000.0, (options.rate > 0 ? options.rate : 50000) *
                                                 options.seconds / options.connections * 1.2)));
  }
  auto start = Clock::now() + std::chrono::milliseconds(20);
  auto end = start + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(options.seconds));
  std::vector<std::thread> threads;
  for (auto& t : tallies) {
    threads.emplace_back([&options, start, end, &t] { RunConnection(options, start, end, t); });
  }
  for (auto& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<double> all;
  long errors = 0;
  for (auto& t : tallies) {
    all.insert(all.end(), t.latencies_ms.begin(), t.latencies_ms.end());
    errors += t.errors;
  }
  std::sort(all.begin(), all.end());
  std::printf(
      "{\"requests\": %zu, \"errors\": %ld, \"seconds\": %.3f, \"rps\": %.1f, \"p50_ms\": %.3f, "
      "\"p90_ms\": %.3f, \"p99_ms\": %.3f, \"p999_ms\": %.3f, \"max_ms\": %.3f}\n",
      all.size(), errors, elapsed, static_cast<double>(all.size()) / elapsed, Percentile(all, 50),
      Percentile(all, 90), Percentile(all, 99), Percentile(all, 99.9),
      all.empty() ? 0.0 : all.back());
  return all.empty() ? 1 : 0;
}
