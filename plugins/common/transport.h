// What a lost HTTP exchange means for a connector step: a request that never
// left is safe to repeat; one that may have reached the platform is "unknown"
// when it could have created something visible, and safe to repeat otherwise.
// Pure functions; any thread.
#pragma once

#include <herald/plugin.hpp>

#include <string_view>

namespace herald::connectors {

enum class Effect {
  kRead,         // a GET, or a write whose repetition creates nothing visible twice
  kCreatesPost,  // may have published something: a lost answer is `unknown`
};

// The outcome for a transport error of a request that did `what` (a short
// phrase for people, e.g. "creating the feed post").
herald::Outcome FromTransport(const herald::TransportError& error, Effect effect,
                              std::string_view what);

}  // namespace herald::connectors
