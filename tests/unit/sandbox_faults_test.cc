#include "sandbox/faults.h"

#include <catch2/catch.hpp>

using namespace herald::sandbox;

TEST_CASE("glob matches across slashes") {
  CHECK(GlobMatch("/v*/*/feed", "/v21.0/123/feed"));
  CHECK_FALSE(GlobMatch("/v*/*/feed", "/v21.0/123/photos"));
  CHECK(GlobMatch("*", ""));
}

TEST_CASE("a --fault spec parses and is consumed after count requests") {
  auto rule = ParseFaultSpec("kind=status,status=503,path=*/feed,method=post,count=2");
  REQUIRE(rule.ok());
  CHECK(rule->method == "POST");
  FaultSet set;
  set.Add(*rule);
  CHECK_FALSE(set.Take("GET", "/v21.0/1/feed"));
  CHECK(set.Take("POST", "/v21.0/1/feed"));
  CHECK(set.Take("POST", "/v21.0/1/feed"));
  CHECK_FALSE(set.Take("POST", "/v21.0/1/feed"));
}

TEST_CASE("bad fault specs are rejected") {
  CHECK_FALSE(ParseFaultSpec("path=*").ok());
  CHECK_FALSE(ParseFaultSpec("kind=explode").ok());
  CHECK_FALSE(ParseFaultSpec("kind=rate_limit,code=5").ok());
  CHECK_FALSE(ParseFaultSpec("kind=status,count=0").ok());
}

TEST_CASE("faults come from JSON too") {
  auto rule = FaultFromJson(web::json::value::parse(R"({"kind":"retry_after","retry_after":9})"));
  REQUIRE(rule.ok());
  CHECK(rule->kind == FaultKind::kRetryAfter);
  CHECK(rule->retry_after == 9);
}
