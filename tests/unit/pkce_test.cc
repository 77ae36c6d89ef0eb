#include "ctl/pkce.h"

#include <catch2/catch.hpp>

#include <set>
#include <string>

using herald::ctl::Base64UrlNoPad;
using herald::ctl::CodeChallengeS256;
using herald::ctl::RandomUrlSafe;

TEST_CASE("RFC 7636 appendix B: the S256 challenge of the example verifier") {
  CHECK(CodeChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") ==
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST_CASE("RFC 7636 appendix B: the example octets encode to the example verifier") {
  const unsigned char octets[] = {116, 24,  223, 180, 151, 153, 224, 37,  79,  250, 96,
                                  125, 216, 173, 187, 186, 22,  212, 37,  77,  105, 214,
                                  191, 240, 91,  88,  5,   88,  83,  132, 141, 121};
  CHECK(Base64UrlNoPad(std::string(reinterpret_cast<const char*>(octets), sizeof octets)) ==
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
}

TEST_CASE("base64url without padding, RFC 4648 test vectors") {
  CHECK(Base64UrlNoPad("") == "");
  CHECK(Base64UrlNoPad("f") == "Zg");
  CHECK(Base64UrlNoPad("fo") == "Zm8");
  CHECK(Base64UrlNoPad("foo") == "Zm9v");
  CHECK(Base64UrlNoPad("foob") == "Zm9vYg");
  CHECK(Base64UrlNoPad("\xfb\xff") == "-_8");
}

TEST_CASE("random verifiers are 43 unreserved characters and differ") {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    auto v = RandomUrlSafe();
    REQUIRE(v.ok());
    CHECK(v->size() == 43);
    CHECK(
        v->find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
        std::string::npos);
    seen.insert(*v);
  }
  CHECK(seen.size() == 50);
}
