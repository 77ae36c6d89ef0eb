// The connectors' origin checks (plugins/common/origin.h): where a token may
// go when an answer names a URL or an id.
#include <catch2/catch.hpp>

#include "common/origin.h"

using namespace herald::connectors;

TEST_CASE("an origin is scheme, host and port, read strictly") {
  auto o = OriginOf("HTTPS://WWW.GoogleAPIs.com/upload?x=1");
  REQUIRE(o);
  CHECK(o->scheme == "https");
  CHECK(o->host == "www.googleapis.com");
  CHECK(o->port == 443);
  CHECK(o->Text() == "https://www.googleapis.com");
  CHECK(OriginOf("http://127.0.0.1:8080")->Text() == "http://127.0.0.1:8080");
  CHECK(OriginOf("http://[::1]:9/x")->port == 9);
  for (const char* bad :
       {"ftp://host/x", "https:/host/x", "//host/x", "/upload", "https://", "https://a@b/x",
        "https://a.com:/x", "https://a.com:99999/x", "https://a.com:8x/", "https://a%2eb/x",
        "https://a.com\\@b.com/", "https://a.com /x", "https://[::1/x", "https://[::1]x/",
        "https://ex\xc3\xa4mple.com/"}) {
    INFO(bad);
    CHECK_FALSE(OriginOf(bad));
  }
}

TEST_CASE("a URL from an answer is accepted only on the API's origin") {
  const std::string base = "https://www.googleapis.com";
  CHECK(OnOrigin("https://www.googleapis.com/upload/youtube/v3/videos?upload_id=1", base) ==
        "https://www.googleapis.com/upload/youtube/v3/videos?upload_id=1");
  CHECK(OnOrigin("https://www.googleapis.com:443/u", base));
  CHECK(OnOrigin("/upload/youtube/v3/videos?upload_id=1", base) ==
        "https://www.googleapis.com/upload/youtube/v3/videos?upload_id=1");
  CHECK(OnOrigin("/u", "http://127.0.0.1:8080/youtube") == "http://127.0.0.1:8080/u");
  for (const char* foreign :
       {"https://evil.example/upload", "http://www.googleapis.com/upload",
        "https://www.googleapis.com:8443/upload", "https://www.googleapis.com@evil.example/u",
        "https://www.googleapis.com.evil.example/u", "//evil.example/u", "upload?x",
        "https://evil.example\\@www.googleapis.com/", ""}) {
    INFO(foreign);
    CHECK_FALSE(OnOrigin(foreign, base));
  }
}

TEST_CASE("ids from answers stay on their Graph endpoint") {
  for (const char* ok : {"104_99", "17841400000000001/media", "me", "1/insights"}) {
    INFO(ok);
    CHECK(IsGraphPath(ok));
  }
  for (const char* bad : {"", "../me", "1/../../me/accounts", "./1", "1/", "/1", "1//media",
                          "1?fields=access_token", "1#x", "1 2", "1\\2", "a@b/x", "1%2F.."}) {
    INFO(bad);
    CHECK_FALSE(IsGraphPath(bad));
  }
  CHECK(IsUploadSessionId("upload:MTphdHRhY2htZW50Ojc2NGFl?sig=ARZqN4Qd-h_a"));
  CHECK(IsUploadSessionId("upload:MTph"));
  for (const char* bad :
       {"upload:", "MTph", "upload:x/../../104/feed", "upload:x?sig=a#b", "upload:x?sig=a?b",
        "upload:x?", "upload: x", "upload:x/", "upload:x/./y"}) {
    INFO(bad);
    CHECK_FALSE(IsUploadSessionId(bad));
  }
}
