#include "core/due_queue.h"

#include <catch2/catch.hpp>

using herald::core::DueQueue;

TEST_CASE("jobs pop in due order, only when due", "[due_queue]") {
  DueQueue q;
  q.Schedule(3, 300);
  q.Schedule(1, 100);
  q.Schedule(2, 200);
  CHECK(q.NextDue() == 100);
  CHECK(q.PopDue(99).empty());
  CHECK(q.PopDue(200) == std::vector<DueQueue::Key>{1, 2});
  CHECK(q.NextDue() == 300);
  CHECK(q.size() == 1);
}

TEST_CASE("rescheduling moves a job; removing forgets it", "[due_queue]") {
  DueQueue q;
  q.Schedule(1, 100);
  q.Schedule(2, 150);
  q.Schedule(1, 500);
  CHECK(q.size() == 2);
  CHECK(q.PopDue(400) == std::vector<DueQueue::Key>{2});
  CHECK(q.NextDue() == 500);
  q.Remove(1);
  CHECK_FALSE(q.NextDue().has_value());
  CHECK(q.PopDue(1000).empty());
  q.Schedule(1, 50);
  CHECK(q.PopDue(1000) == std::vector<DueQueue::Key>{1});
}

TEST_CASE("PopDue honours its maximum; ties keep insertion order", "[due_queue]") {
  DueQueue q;
  for (int i = 0; i < 5; ++i) q.Schedule(10 + i, 10);
  CHECK(q.PopDue(10, 2) == std::vector<DueQueue::Key>{10, 11});
  CHECK(q.PopDue(10) == std::vector<DueQueue::Key>{12, 13, 14});
}
