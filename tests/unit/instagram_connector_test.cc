// Instagram connector: parsing of content publishing answers (bodies as the
// Instagram Platform reference documents them), malformed and truncated bodies.
#include <catch2/catch.hpp>

#include "common/checkpoint.h"
#include "instagram/instagram_connector.h"
#include "support/canned_host.h"

using namespace herald::connectors::instagram;
using herald::connectors::Checkpoint;
using herald::testing::Canned;
using herald::testing::CannedHost;
using herald::testing::TestPost;

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

// ------------------------------------------------- the step state machine

namespace {

constexpr const char* kRoom = R"({"data":[{"quota_usage":3,"config":{"quota_total":100}}]})";

// An Instagram account (Facebook Login) on a test Graph host, and an image post.
struct Account {
  CannedHost host;
  TestPost post;
  std::optional<InstagramConnector> ig;
  explicit Account(std::string settings = R"({"ig_user_id":"1784"})") {
    host.credentials["access_token"] = "page-token";
    herald::testing::TestMedium image;
    image.public_url = "https://media.test/a.jpg";
    post.media = {image};
    ig.emplace(host.host(),
               herald::Account{"instagram", "shop", std::string("https://graph.test"), settings});
  }
  herald::Outcome Step(std::optional<std::string> checkpoint = std::nullopt) {
    if (!checkpoint) return ig->Step(post.view(), std::nullopt);
    return ig->Step(post.view(), std::string_view(*checkpoint));
  }
  // The checkpoint once container c1 exists.
  std::string Created() {
    host.On("GET", "/1784/content_publishing_limit", Canned::Answer(200, kRoom));
    host.On("POST", "/1784/media", Canned::Answer(200, R"({"id":"c1"})"));
    herald::Outcome o = Step();
    REQUIRE(o.kind() == herald::OutcomeKind::kContinue);
    return o.checkpoint();
  }
  void Status(const std::string& id, const std::string& code) {
    host.On("GET", "/" + id + "?", Canned::Answer(200, R"({"status_code":")" + code + R"("})"));
  }
};

struct StatusCase {
  int status;
  std::string body;
  herald::OutcomeKind kind;
};

}  // namespace

TEST_CASE("an image: limit, container, polls, publish, permalink", "[instagram][steps]") {
  Account acct;
  const int64_t t0 = acct.host.now_ms;
  std::string cp = acct.Created();
  CHECK(acct.host.seen().back().body.find("image_url=https%3A%2F%2Fmedia.test%2Fa.jpg") !=
        std::string::npos);
  CHECK(acct.host.seen().back().body.find("caption=Hello") != std::string::npos);
  acct.Status("c1", "IN_PROGRESS");
  acct.host.now_ms = t0 + 1000;
  herald::Outcome poll = acct.Step(cp);
  REQUIRE(poll.kind() == herald::OutcomeKind::kContinue);
  CHECK(poll.at_ms() == acct.host.now_ms + 2000);  // 1 s, 2 s, 4 s ... between polls
  acct.Status("c1", "FINISHED");
  acct.host.On("POST", "/1784/media_publish", Canned::Answer(200, R"({"id":"m1"})"));
  acct.host.On("GET", "/m1?",
               Canned::Answer(200, R"({"permalink":"https://www.instagram.com/p/x/"})"));
  acct.host.now_ms = poll.at_ms();
  herald::Outcome done = acct.Step(poll.checkpoint());
  REQUIRE(done.kind() == herald::OutcomeKind::kPublished);
  CHECK(done.remote_id() == "m1");
  CHECK(done.url() == "https://www.instagram.com/p/x/");
  CHECK(acct.host.seen().at(acct.host.seen().size() - 2).body.find("creation_id=c1") !=
        std::string::npos);
  CHECK(acct.host.unanswered().empty());
  CHECK(acct.host.pending() == 0);
}

TEST_CASE("a carousel: one item container per step, then the carousel", "[instagram][steps]") {
  Account acct;
  herald::testing::TestMedium second;
  second.public_url = "https://media.test/b.jpg";
  acct.post.media.push_back(second);
  acct.host.On("GET", "/1784/content_publishing_limit", Canned::Answer(200, kRoom));
  acct.host.On("POST", "/1784/media", Canned::Answer(200, R"({"id":"k1"})"));
  herald::Outcome one = acct.Step();
  REQUIRE(one.kind() == herald::OutcomeKind::kContinue);
  CHECK(acct.host.seen().back().body.find("is_carousel_item=true") != std::string::npos);
  acct.host.On("POST", "/1784/media", Canned::Answer(200, R"({"id":"k2"})"));
  herald::Outcome two = acct.Step(one.checkpoint());
  REQUIRE(two.kind() == herald::OutcomeKind::kContinue);
  acct.Status("k1", "FINISHED");
  acct.Status("k2", "FINISHED");
  acct.host.On("POST", "/1784/media", Canned::Answer(200, R"({"id":"c9"})"));
  herald::Outcome parent = acct.Step(two.checkpoint());
  REQUIRE(parent.kind() == herald::OutcomeKind::kContinue);
  CHECK(acct.host.seen().back().body.find("children=k1%2Ck2") != std::string::npos);
  CHECK(Checkpoint::Decode(parent.checkpoint())->Get("c") == "c9");
  CHECK(acct.host.unanswered().empty());
}

TEST_CASE("every status each Instagram request can get has an outcome", "[instagram][steps]") {
  using K = herald::OutcomeKind;
  SECTION("the publishing limit") {
    for (const StatusCase& c : std::vector<StatusCase>{
             {200, R"({"data":[{"quota_usage":100,"config":{"quota_total":100}}]})", K::kRetry},
             {202, "{}", K::kRetry},
             {204, "", K::kRetry},
             {302, "", K::kFailed},
             {400, R"({"error":{"message":"expired","code":190}})", K::kAuthExpired},
             {404, "", K::kFailed},
             {429, "", K::kRetry},
             {500, "", K::kRetry}}) {
      CAPTURE(c.status, c.body);
      Account acct;
      acct.host.On("GET", "/1784/content_publishing_limit", Canned::Answer(c.status, c.body));
      CHECK(acct.Step().kind() == c.kind);
      CHECK(acct.host.unanswered().empty());
    }
  }
  SECTION("creating the container (invisible: never unknown)") {
    for (const StatusCase& c :
         std::vector<StatusCase>{{202, "{}", K::kRetry},
                                 {204, "", K::kRetry},
                                 {302, "", K::kFailed},
                                 {400, R"({"error":{"code":9004}})", K::kFailed},
                                 {500, "", K::kRetry},
                                 {503, "", K::kRetry}}) {
      CAPTURE(c.status, c.body);
      Account acct;
      acct.host.On("GET", "/1784/content_publishing_limit", Canned::Answer(200, kRoom));
      acct.host.On("POST", "/1784/media", Canned::Answer(c.status, c.body));
      CHECK(acct.Step().kind() == c.kind);
    }
    Account lost;
    lost.host.On("GET", "/1784/content_publishing_limit", Canned::Answer(200, kRoom));
    lost.host.On("POST", "/1784/media", Canned::Transport(HERALD_ERR_HTTP_NO_RESPONSE, "reset"));
    CHECK(lost.Step().kind() == K::kRetry);
  }
  SECTION("the container's status") {
    for (const StatusCase& c : std::vector<StatusCase>{
             {200, R"({"status_code":"ERROR","status":"ERROR: 2207026"})", K::kFailed},
             {200, R"({"status_code":"EXPIRED"})", K::kContinue},
             {200, R"({"status_code":"PUBLISHED"})", K::kUnknown},
             {200, R"({"status_code":"NEW_THING"})", K::kRetry},
             {202, "{}", K::kRetry},
             {204, "", K::kRetry},
             {302, "", K::kFailed},
             {400, R"({"error":{"message":"gone","code":100}})", K::kFailed},
             {500, "", K::kRetry}}) {
      CAPTURE(c.status, c.body);
      Account acct;
      std::string cp = acct.Created();
      acct.host.On("GET", "/c1?", Canned::Answer(c.status, c.body));
      herald::Outcome o = acct.Step(cp);
      CHECK(o.kind() == c.kind);
      if (c.body.find("EXPIRED") != std::string::npos) {
        CHECK(Checkpoint::Decode(o.checkpoint())->Get("c").empty());  // new containers
      }
    }
  }
  SECTION("publishing (creates the post)") {
    for (const StatusCase& c : std::vector<StatusCase>{
             {202, "{}", K::kUnknown},
             {204, "", K::kUnknown},
             {302, "", K::kFailed},
             {400, R"({"error":{"message":"not ready","code":9007,"error_subcode":2207027}})",
              K::kContinue},
             {400, R"({"error":{"message":"cap","code":9,"error_subcode":2207042}})", K::kRetry},
             {400, R"({"error":{"message":"bad","code":100}})", K::kFailed},
             {500, "", K::kRetry},
             {503, "", K::kRetry}}) {
      CAPTURE(c.status, c.body);
      Account acct;
      std::string cp = acct.Created();
      acct.Status("c1", "FINISHED");
      acct.host.On("POST", "/1784/media_publish", Canned::Answer(c.status, c.body));
      CHECK(acct.Step(cp).kind() == c.kind);
    }
    Account lost;
    std::string cp = lost.Created();
    lost.Status("c1", "FINISHED");
    lost.host.On("POST", "/1784/media_publish",
                 Canned::Transport(HERALD_ERR_HTTP_NO_RESPONSE, "reset"));
    CHECK(lost.Step(cp).kind() == K::kUnknown);
  }
  SECTION("the permalink (the post is live whatever it gets)") {
    for (int status : {200, 204, 302, 404, 500}) {
      CAPTURE(status);
      Account acct;
      std::string cp = acct.Created();
      acct.Status("c1", "FINISHED");
      acct.host.On("POST", "/1784/media_publish", Canned::Answer(200, R"({"id":"m1"})"));
      acct.host.On("GET", "/m1?", Canned::Answer(status, ""));
      herald::Outcome o = acct.Step(cp);
      CHECK(o.kind() == K::kPublished);
      CHECK(o.remote_id() == "m1");
    }
  }
}

// ------------------------------------------------ the container deadline

namespace {

// Polls the container at each Continue's time until the step stops continuing.
herald::Outcome PollUntilSettled(Account& acct, herald::Outcome o, int* polls) {
  while (o.kind() == herald::OutcomeKind::kContinue && *polls < 1000) {
    acct.host.now_ms = o.at_ms();
    acct.Status("c1", "IN_PROGRESS");
    o = acct.Step(o.checkpoint());
    ++*polls;
  }
  return o;
}

}  // namespace

TEST_CASE("a container that never finishes fails the job at the deadline, saying so",
          "[instagram][deadline]") {
  Account acct;
  const int64_t created = acct.host.now_ms;
  herald::Outcome o = herald::Outcome::Continue(acct.host.now_ms, acct.Created());
  int polls = 0;
  o = PollUntilSettled(acct, o, &polls);
  REQUIRE(o.kind() == herald::OutcomeKind::kFailed);
  CHECK(o.reason().find("container c1 was still IN_PROGRESS 30 minutes after it was created") !=
        std::string::npos);
  CHECK(o.reason().find("container_deadline_minutes") != std::string::npos);
  // Polled until the deadline and not beyond: the last poll is within 30 s of it.
  CHECK(acct.host.now_ms >= created + 30 * 60'000);
  CHECK(acct.host.now_ms < created + 30 * 60'000 + 30'000);
  CHECK(polls > 50);  // 1 s doubling to 30 s: about 60 polls in 30 minutes
  CHECK(acct.host.unanswered().empty());
}

TEST_CASE("container_deadline_minutes sets the deadline; a bad value is refused",
          "[instagram][deadline]") {
  Account acct(R"({"ig_user_id":"1784","container_deadline_minutes":5})");
  const int64_t created = acct.host.now_ms;
  int polls = 0;
  herald::Outcome o =
      PollUntilSettled(acct, herald::Outcome::Continue(created, acct.Created()), &polls);
  REQUIRE(o.kind() == herald::OutcomeKind::kFailed);
  CHECK(o.reason().find("5 minutes after it was created") != std::string::npos);
  CHECK(acct.host.now_ms < created + 5 * 60'000 + 30'000);

  for (const char* bad : {R"("0")", R"("abc")", "2000", R"("-5")", R"("1.5")"}) {
    CAPTURE(bad);
    Account wrong(std::string(R"({"ig_user_id":"1784","container_deadline_minutes":)") + bad + "}");
    herald::Outcome refused = wrong.Step();
    CHECK(refused.kind() == herald::OutcomeKind::kFailed);
    CHECK(refused.reason().find("container_deadline_minutes") != std::string::npos);
    CHECK(wrong.host.seen().empty());  // refused before any request
  }
}

TEST_CASE("a checkpoint without a creation time starts the deadline at its first poll",
          "[instagram][deadline]") {
  Account acct;
  Checkpoint old;
  old.Set("kind", "IMAGE").Set("c", "c1").SetInt("n", 3);  // as written before the deadline
  const int64_t first_poll = acct.host.now_ms;
  acct.Status("c1", "IN_PROGRESS");
  herald::Outcome o = acct.Step(old.Encode());
  REQUIRE(o.kind() == herald::OutcomeKind::kContinue);
  CHECK(Checkpoint::Decode(o.checkpoint())->GetInt("ct") == first_poll);
  int polls = 0;
  o = PollUntilSettled(acct, o, &polls);
  CHECK(o.kind() == herald::OutcomeKind::kFailed);
  CHECK(acct.host.now_ms >= first_poll + 30 * 60'000);
}

TEST_CASE("a stuck carousel item and a container never ready to publish fail too",
          "[instagram][deadline]") {
  SECTION("carousel item") {
    Account acct;
    herald::testing::TestMedium second;
    second.public_url = "https://media.test/b.jpg";
    acct.post.media.push_back(second);
    acct.host.On("GET", "/1784/content_publishing_limit", Canned::Answer(200, kRoom));
    acct.host.On("POST", "/1784/media", Canned::Answer(200, R"({"id":"k1"})"));
    herald::Outcome o = acct.Step();
    acct.host.On("POST", "/1784/media", Canned::Answer(200, R"({"id":"k2"})"));
    o = acct.Step(o.checkpoint());
    REQUIRE(o.kind() == herald::OutcomeKind::kContinue);
    for (int polls = 0; o.kind() == herald::OutcomeKind::kContinue && polls < 1000; ++polls) {
      acct.host.now_ms = std::max(o.at_ms(), acct.host.now_ms + 1);
      acct.Status("k1", "FINISHED");
      acct.Status("k2", "IN_PROGRESS");
      o = acct.Step(o.checkpoint());
    }
    REQUIRE(o.kind() == herald::OutcomeKind::kFailed);
    CHECK(o.reason().find("container k2 was still IN_PROGRESS") != std::string::npos);
  }
  SECTION("not ready to publish") {
    Account acct;
    const int64_t created = acct.host.now_ms;
    herald::Outcome o = herald::Outcome::Continue(created, acct.Created());
    int polls = 0;
    while (o.kind() == herald::OutcomeKind::kContinue && polls++ < 1000) {
      acct.host.now_ms = o.at_ms();
      acct.Status("c1", "FINISHED");
      acct.host.On(
          "POST", "/1784/media_publish",
          Canned::Answer(
              400, R"({"error":{"message":"not ready","code":9007,"error_subcode":2207027}})"));
      o = acct.Step(o.checkpoint());
    }
    REQUIRE(o.kind() == herald::OutcomeKind::kFailed);
    CHECK(o.reason().find("not ready to publish") != std::string::npos);
    CHECK(acct.host.now_ms >= created + 30 * 60'000);
  }
}
