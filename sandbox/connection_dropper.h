// Cuts the TCP connection a request arrived on, without a byte of answer,
// for the "drop" and "upload_break" faults (the request was applied; the
// client never hears so).
//
// cpprest's http_listener never exposes its sockets, so the sandbox learns
// which socket carried a request by wrapping recvmsg()/recv(): the wrapper
// (defined here, exported by the executable, called by the listener's Asio
// code through the dynamic linker) records on each thread the last socket it
// read. cpprest calls the request handler synchronously on the thread that
// read the request's last header bytes, so at the handler's entry that socket
// is the request's connection. Dropping it is shutdown(SHUT_RDWR): the peer
// sees the connection close; cpprest's later write fails and it closes and
// frees the socket itself. Thread-safe.
//
// cpprest may instead run the handler on another pool thread, so the wrapper
// also keeps, per socket, the request line it read last: a request is matched
// to its socket by method and path when exactly one socket carries that line
// (exact for requests that are not sent concurrently with an identical line).
#pragma once

#include <string>

namespace herald::sandbox {

// The socket the calling thread read last, or -1 when it has read none
// (e.g. the wrapper is not in effect).
int LastReadSocket();
// The one socket whose last request line is `method path` (path without the
// query), or -1 when none or several are.
int SocketForRequest(const std::string& method, const std::string& path);
// Whether LastReadSocket() can work in this process (the wrapper is linked
// in and the dynamic linker resolved cpprest's calls to it).
bool ConnectionDropSupported();
// Shuts down `fd` if it is a TCP socket connected to our listening `port`;
// false when it is not (nothing is done then).
bool DropConnection(int fd, int port);

}  // namespace herald::sandbox
