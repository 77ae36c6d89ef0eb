// PKCE (RFC 7636) and OAuth state values for heraldctl connect: random
// verifiers and states from OpenSSL's CSPRNG, the S256 code challenge
// (BASE64URL(SHA-256(verifier)), no padding).
//
// Values returned are secrets of the flow (the verifier, the state): callers
// must not log them. Pure functions apart from the CSPRNG; any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace herald::ctl {

// RFC 4648 section 5 (URL- and filename-safe alphabet), without '=' padding.
std::string Base64UrlNoPad(std::string_view bytes);

// BASE64URL(SHA-256(ASCII(verifier))), RFC 7636 section 4.2.
std::string CodeChallengeS256(std::string_view verifier);

// `bytes` random bytes, base64url-encoded: 32 bytes give a 43-character
// code_verifier (RFC 7636 section 4.1 asks for 43 to 128). kInternal when the
// CSPRNG fails.
Result<std::string> RandomUrlSafe(size_t bytes = 32);

}  // namespace herald::ctl
