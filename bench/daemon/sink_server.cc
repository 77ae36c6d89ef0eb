// bench_sink_server: the loopback sink the daemon benchmarks publish to. An
// epoll HTTP/1.1 server (keep-alive) that answers every request at once with
// 200 and records, per request, the arrival time (Unix µs) and the body's due
// time ("JOB_ID DUE_MS"). On SIGTERM/SIGINT it writes "arrival_us due_ms job"
// lines to the file given as its second argument and exits.
//   bench_sink_server PORT_FILE OUT_FILE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

struct Record {
  long long arrival_us;
  std::string body;
};

long long NowUs() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s PORT_FILE OUT_FILE\n", argv[0]);
    return 2;
  }
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int one = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener, 4096) != 0) {
    std::perror("bind/listen");
    return 1;
  }
  socklen_t len = sizeof addr;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  {
    std::string tmp = std::string(argv[1]) + ".tmp";
    FILE* f = std::fopen(tmp.c_str(), "w");
    std::fprintf(f, "%d\n", ntohs(addr.sin_port));
    std::fclose(f);
    std::rename(tmp.c_str(), argv[1]);
  }
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  sigprocmask(SIG_BLOCK, &mask, nullptr);
  int sfd = ::signalfd(-1, &mask, SFD_NONBLOCK);

  int ep = ::epoll_create1(0);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = listener;
  ::epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);
  ev.data.fd = sfd;
  ::epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);

  std::unordered_map<int, std::string> buffers;
  std::vector<Record> records;
  records.reserve(1 << 20);
  static const char kReply[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  std::vector<epoll_event> events(256);
  for (bool running = true; running;) {
    int n = ::epoll_wait(ep, events.data(), static_cast<int>(events.size()), -1);
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (fd == sfd) {
        running = false;
        continue;
      }
      if (fd == listener) {
        for (;;) {
          int c = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK);
          if (c < 0) break;
          ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          epoll_event cev{};
          cev.events = EPOLLIN;
          cev.data.fd = c;
          ::epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
        }
        continue;
      }
      std::string& buf = buffers[fd];
      char chunk[16384];
      bool closed = false;
      for (;;) {
        ssize_t r = ::read(fd, chunk, sizeof chunk);
        if (r > 0) {
          buf.append(chunk, static_cast<size_t>(r));
          continue;
        }
        if (r == 0) closed = true;
        break;
      }
      // Answer every complete request in the buffer.
      for (;;) {
        size_t end = buf.find("\r\n\r\n");
        if (end == std::string::npos) break;
        size_t length = 0;
        size_t cl = buf.find("Content-Length: ");
        if (cl != std::string::npos && cl < end) length = std::stoul(buf.substr(cl + 16));
        if (buf.size() < end + 4 + length) break;
        records.push_back({NowUs(), buf.substr(end + 4, length)});
        buf.erase(0, end + 4 + length);
        (void)!::write(fd, kReply, sizeof kReply - 1);
      }
      if (closed) {
        ::close(fd);
        buffers.erase(fd);
      }
    }
  }
  FILE* out = std::fopen(argv[2], "w");
  for (const auto& r : records) {
    char job[64] = {};
    long long due = 0;
    std::sscanf(r.body.c_str(), "%63s %lld", job, &due);
    std::fprintf(out, "%lld %lld %s\n", r.arrival_us, due, job);
  }
  std::fclose(out);
  return 0;
}
