// Instagram connector: parsing of content publishing answers (bodies as the
// Instagram Platform reference documents them), malformed and truncated bodies.
#include <catch2/catch.hpp>

#include "instagram/instagram_connector.h"

using namespace herald::connectors::instagram;

TEST_CASE("container status codes") {
  std::string detail;
  CHECK(ParseContainerStatus(R"({"status_code":"FINISHED","id":"1"})", &detail) ==
        ContainerStatus::kFinished);
  CHECK(ParseContainerStatus(R"({"status_code":"IN_PROGRESS","id":"1"})", &detail) ==
        ContainerStatus::kInProgress);
  CHECK(ParseContainerStatus(R"({"status_code":"ERROR","status":"ERROR: 2207026 bad video"})",
                             &detail) == ContainerStatus::kError);
  CHECK(detail == "ERROR: 2207026 bad video");
  CHECK(ParseContainerStatus(R"({"status_code":"EXPIRED"})", nullptr) == ContainerStatus::kExpired);
  CHECK(ParseContainerStatus(R"({"status_code":"PUBLISHED"})", nullptr) ==
        ContainerStatus::kPublished);
  CHECK(ParseContainerStatus(R"({"status_code":"FINIS)", nullptr) == ContainerStatus::kUnreadable);
  CHECK(ParseContainerStatus(R"({"status_code":"SOMETHING_NEW"})", nullptr) ==
        ContainerStatus::kUnreadable);
  CHECK(ParseContainerStatus("", nullptr) == ContainerStatus::kUnreadable);
}

TEST_CASE("content_publishing_limit") {
  auto l = ParsePublishingLimit(
      R"({"data":[{"quota_usage":2,"config":{"quota_total":100,"quota_duration":86400}}]})");
  REQUIRE(l);
  CHECK(l->usage == 2);
  CHECK(l->total == 100);
  CHECK_FALSE(ParsePublishingLimit(R"({"data":[]})"));
  CHECK_FALSE(ParsePublishingLimit(R"({"data":[{"quota_usage":2}]})"));
  CHECK_FALSE(ParsePublishingLimit(R"({"data":[{"quota_usage":2,"config":{"quota_tot)"));
}

TEST_CASE("media listing for reconciliation") {
  auto m = ParseMediaListing(
      R"({"data":[{"id":"17895695668004550","caption":"Go Tigers","timestamp":"2026-11-25T23:05:26+0000",
      "permalink":"https://www.instagram.com/p/abc/"}],"paging":{"cursors":{"after":"QVFI"}}})");
  REQUIRE(m);
  REQUIRE(m->media.size() == 1);
  CHECK(m->media[0].caption == "Go Tigers");
  CHECK(m->next_after == "QVFI");
  CHECK_FALSE(ParseMediaListing(R"({"data":[{"id":"1"}]})"));  // no timestamp
  CHECK_FALSE(ParseMediaListing(R"({"data":[{"id":"1","timest)"));
}

TEST_CASE("metrics merge fields and insights") {
  auto m =
      ParseMediaMetrics(R"({"id":"1","like_count":5,"comments_count":1})",
                        R"({"data":[{"name":"reach","period":"lifetime","values":[{"value":40}]},
      {"name":"saved","values":[{"value":2}]},{"name":"bad\"name","values":[{"value":1}]}]})");
  REQUIRE(m);
  CHECK(*m == R"({"likes":5,"comments":1,"reach":40,"saved":2})");
  auto no_insights = ParseMediaMetrics(R"({"id":"1","like_count":5})", "<html>");
  REQUIRE(no_insights);
  CHECK(*no_insights == R"({"likes":5,"comments":0})");
  CHECK_FALSE(ParseMediaMetrics(R"({"like_count":5)", ""));
}

TEST_CASE("status polls back off from 1 s to 30 s") {
  CHECK(PollDelayMs(0) == 1000);
  CHECK(PollDelayMs(1) == 2000);
  CHECK(PollDelayMs(4) == 16000);
  CHECK(PollDelayMs(5) == 30000);
  CHECK(PollDelayMs(50) == 30000);
}

TEST_CASE("Instagram Login token refresh answers") {
  auto fresh =
      ParseRefreshedToken(R"({"access_token":"IGAAx","token_type":"bearer","expires_in":5183944})");
  REQUIRE(fresh);
  CHECK(fresh->access_token == "IGAAx");
  CHECK(fresh->expires_in_s == 5183944);
  CHECK_FALSE(ParseRefreshedToken(R"({"access_token":"IGAAx"})"));  // no lifetime
  CHECK_FALSE(ParseRefreshedToken(R"({"expires_in":5183944})"));
  CHECK_FALSE(ParseRefreshedToken(R"({"access_token":"IGA)"));
}
