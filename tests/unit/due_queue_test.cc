#include "core/due_queue.h"

#include <catch2/catch.hpp>

using herald::core::DueQueue;

TEST_CASE("jobs pop in due order, only when due", "[due_queue]") {
  DueQueue q;
  q.Schedule("c", 300);
  q.Schedule("a", 100);
  q.Schedule("b", 200);
  CHECK(q.NextDue() == 100);
  CHECK(q.PopDue(99).empty());
  CHECK(q.PopDue(200) == std::vector<std::string>{"a", "b"});
  CHECK(q.NextDue() == 300);
  CHECK(q.size() == 1);
}

TEST_CASE("rescheduling moves a job; removing forgets it", "[due_queue]") {
  DueQueue q;
  q.Schedule("a", 100);
  q.Schedule("b", 150);
  q.Schedule("a", 500);
  CHECK(q.size() == 2);
  CHECK(q.PopDue(400) == std::vector<std::string>{"b"});
  CHECK(q.NextDue() == 500);
  q.Remove("a");
  CHECK_FALSE(q.NextDue().has_value());
  CHECK(q.PopDue(1000).empty());
  q.Schedule("a", 50);
  CHECK(q.PopDue(1000) == std::vector<std::string>{"a"});
}

TEST_CASE("PopDue honours its maximum; ties keep insertion order", "[due_queue]") {
  DueQueue q;
  for (int i = 0; i < 5; ++i) q.Schedule("j" + std::to_string(i), 10);
  CHECK(q.PopDue(10, 2) == std::vector<std::string>{"j0", "j1"});
  CHECK(q.PopDue(10) == std::vector<std::string>{"j2", "j3", "j4"});
}
