// Wake lines: each arrow joins two lanes, from the wake to the woken task's next
// poll; too many in view and only the focused tasks' are kept.
#include <catch2/catch.hpp>

#include <vector>

#include "wake_lines.h"

using namespace spindle;
using namespace spindle::view;

namespace {

WakeArrow wake(Time from, TaskId waker, TaskId woken, Time to, WorkerId from_worker = 0,
               WorkerId to_worker = 1) {
    WakeArrow a;
    a.from_time = from;
    a.from_worker = from_worker;
    a.waker = waker;
    a.woken = woken;
    a.to_time = to;
    a.to_worker = to_worker;
    return a;
}

/// Task lanes 20 px apart, centred at 10, 30, 50, ... (task 1 first).
WakeLanes task_lanes(std::size_t tasks) {
    WakeLanes l;
    l.tasks = true;
    for (std::size_t i = 0; i < tasks; ++i)
        l.y.push_back(10 + 20 * static_cast<double>(i));
    return l;
}

}  // namespace

TEST_CASE("a wake arrow runs from the waker's lane to the woken task's, across lanes",
          "[app][wakes]") {
    const TimeAxis axis(0, 1000, 1000);  // 1 px per ns
    const std::vector<WakeArrow> wakes{wake(100, 1, 2, 300)};
    const WakePlan plan = plan_wake_lines(wakes, axis, task_lanes(3));
    REQUIRE(plan.lines.size() == 1);
    const WakeLine& l = plan.lines[0];
    CHECK(l.x0 == Approx(100));
    CHECK(l.y0 == Approx(10));  // task 1, the waker
    CHECK(l.x1 == Approx(300));
    CHECK(l.y1 == Approx(30));  // task 2, at its next poll
    CHECK(l.wake == 0);
    CHECK_FALSE(plan.dense);

    // Worker lanes: from the waking poll's thread to the next poll's.
    WakeLanes workers;
    workers.tasks = false;
    workers.y = {100, 140};
    const WakePlan on_workers = plan_wake_lines(wakes, axis, workers);
    REQUIRE(on_workers.lines.size() == 1);
    CHECK(on_workers.lines[0].y0 == Approx(100));
    CHECK(on_workers.lines[0].y1 == Approx(140));
}

TEST_CASE("wakes with no waking poll, or nothing to join, get no arrow", "[app][wakes]") {
    const TimeAxis axis(0, 1000, 1000);
    WakeLanes lanes = task_lanes(3);
    lanes.y[2] = WakeLanes::kHidden;                          // task 3's lane is not shown
    const std::vector<WakeArrow> wakes{wake(100, 0, 2, 200),  // a timer: no waking poll
                                       wake(100, 2, 2, 200),  // a self-wake (yield)
                                       wake(100, 1, 2, -1),   // never polled again
                                       wake(100, 1, 3, 200),  // the woken task's lane is hidden
                                       wake(100, 9, 2, 200),  // no such lane
                                       wake(100, 1, 2, 200, 0, 0)};
    const WakePlan plan = plan_wake_lines(wakes, axis, lanes);
    REQUIRE(plan.lines.size() == 1);
    CHECK(plan.lines[0].wake == 5);

    // On worker lanes, a wake polled on the waker's own thread stays on one lane: none.
    WakeLanes workers;
    workers.tasks = false;
    workers.y = {100, 140};
    CHECK(plan_wake_lines(std::vector{wake(100, 1, 2, 200, 0, 0)}, axis, workers).lines.empty());
    CHECK(plan_wake_lines(std::vector{wake(100, 1, 2, 200, 0, 1)}, axis, workers).lines.size() ==
          1);
}

TEST_CASE("arrows out of view are neither drawn nor counted", "[app][wakes]") {
    const TimeAxis axis(1000, 2000, 1000);
    const std::vector<WakeArrow> wakes{wake(100, 1, 2, 200),     // wholly before
                                       wake(900, 1, 2, 1100),    // reaches into view from the left
                                       wake(1500, 2, 1, 1600),   // inside
                                       wake(1900, 1, 2, 2500),   // leaves the view on the right
                                       wake(2100, 1, 2, 2200)};  // wholly after
    const WakePlan plan = plan_wake_lines(wakes, axis, task_lanes(2));
    CHECK(plan.in_view == 3);
    REQUIRE(plan.lines.size() == 3);
    CHECK(plan.lines[0].wake == 1);
    CHECK(plan.lines[0].x0 == Approx(-100));
    CHECK(plan.lines[2].x1 == Approx(1500));
}

TEST_CASE("dense arrows are drawn for the selected and the hovered task only", "[app][wakes]") {
    const double width = 800;
    const TimeAxis axis(0, 100'000, width);
    // Tasks 1..4 wake each other round-robin, one wake every `step` ns.
    auto round_robin = [](int n, Time step) {
        std::vector<WakeArrow> w;
        for (int i = 0; i < n; ++i)
            w.push_back(wake(i * step, static_cast<TaskId>(1 + i % 4),
                             static_cast<TaskId>(1 + (i + 1) % 4), i * step + step / 2));
        return w;
    };
    const auto limit = static_cast<int>(width / kMinPxPerArrow);  // 50 arrows

    // At the limit: all of them.
    const auto sparse = round_robin(limit, 100'000 / limit);
    const WakePlan all = plan_wake_lines(sparse, axis, task_lanes(4));
    CHECK_FALSE(all.dense);
    CHECK(all.lines.size() == static_cast<std::size_t>(limit));

    // One more: dense; none without a focus.
    const auto dense = round_robin(limit + 1, 100'000 / (limit + 1));
    const WakePlan none = plan_wake_lines(dense, axis, task_lanes(4));
    CHECK(none.dense);
    CHECK(none.in_view == static_cast<std::size_t>(limit + 1));
    CHECK(none.lines.empty());

    // The selected task's arrows (waking it or woken by it).
    const WakePlan selected = plan_wake_lines(dense, axis, task_lanes(4), 3);
    CHECK(selected.dense);
    REQUIRE_FALSE(selected.lines.empty());
    for (const WakeLine& l : selected.lines) {
        const WakeArrow& a = dense[l.wake];
        CHECK((a.waker == 3 || a.woken == 3));
    }
    // Task 3 is in two of every four wakes.
    CHECK(selected.lines.size() == 26);

    // The hovered task's too.
    const WakePlan both = plan_wake_lines(dense, axis, task_lanes(4), 3, 1);
    CHECK(both.lines.size() == dense.size());  // 1 and 3 touch every wake of the ring
    const WakePlan hovered = plan_wake_lines(dense, axis, task_lanes(4), 0, 1);
    for (const WakeLine& l : hovered.lines) {
        const WakeArrow& a = dense[l.wake];
        CHECK((a.waker == 1 || a.woken == 1));
    }
}
