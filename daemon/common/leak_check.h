// CheckLeaksBeforeTeardown: under LeakSanitizer, runs the leak check now,
// before a cpprest http_listener is closed, instead of at exit. Closing a
// listener while a client connection is still winding down leaves some of
// cpprest's own connection state behind, now and then, and an exit-time check
// would fail the tests on it. Leaks of our own code are unreachable by then
// and are reported all the same; a later check (the one at exit) does nothing,
// so call it only where the process is about to end (herald-sandbox on
// SIGTERM, heraldctl connect's loopback listener). Without sanitizers: nothing.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

namespace herald {

inline void CheckLeaksBeforeTeardown() {
#if defined(__SANITIZE_ADDRESS__)
  __lsan_do_leak_check();
#endif
}

}  // namespace herald
