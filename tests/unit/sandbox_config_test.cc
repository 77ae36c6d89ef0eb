#include "sandbox/config.h"

#include <catch2/catch.hpp>

using namespace herald::sandbox;

TEST_CASE("the example sandbox config loads with its three accounts") {
  auto config = LoadConfig(HERALD_SOURCE_DIR "/examples/sandbox.yaml");
  REQUIRE(config.ok());
  REQUIRE(config->accounts.size() == 3);
  CHECK(config->FindAccount("104000000000001")->name == "corner-cleaners");
  CHECK(config->seed == 42);
}

TEST_CASE("a config error names its line") {
  auto config = ParseConfig("accounts:\n  - platform: myspace\n    id: x\n");
  REQUIRE_FALSE(config.ok());
  CHECK(config.error().message().find("line 2") != std::string::npos);
}

TEST_CASE("token status must be valid or expired") {
  auto config = ParseConfig(
      "accounts:\n  - platform: facebook\n    id: '1'\n    tokens: [{value: t, status: old}]\n");
  REQUIRE_FALSE(config.ok());
}
