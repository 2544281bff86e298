// StageTween: chips glide only while playing, settle within 300 ms of wall time
// after a pause, and a jump while paused is still at once. Driven with made-up
// wall times; one real run checks that a settled stage is the still at(t, 0).
#include <catch2/catch.hpp>

#include "app_test_support.h"
#include "stage_model.h"
#include "stage_tween.h"

using spindle::view::StageTween;
using spindle::view::Time;

TEST_CASE("stage tween: still until playing, gliding while playing", "[app][stage]") {
    StageTween tween;
    tween.set_glide(250'000);
    CHECK_FALSE(tween.playing());
    CHECK(tween.animation(0) == 0);  // a new window shows the still
    tween.play();
    CHECK(tween.animation(0) == 250'000);
    CHECK(tween.animation(1'000'000) == 250'000);  // however long it plays
    tween.set_glide(0);
    CHECK(tween.glide() == 1);  // a glide is never "none" or "the default"
}

TEST_CASE("stage tween: a pause settles within 300 ms, shrinking the glide", "[app][stage]") {
    StageTween tween;
    tween.set_glide(1'000'000);
    tween.play();
    tween.pause(5'000);
    REQUIRE(StageTween::kSettleMs <= 300);
    Time last = tween.animation(5'000);
    CHECK(last == 1'000'000);  // no jump at the pause itself
    for (std::int64_t ms = 5'000; ms <= 5'000 + StageTween::kSettleMs; ms += 10) {
        const Time now = tween.animation(ms);
        CHECK(now <= last);  // moves only ever finish
        last = now;
    }
    CHECK(tween.animation(5'000 + StageTween::kSettleMs) == 0);
    CHECK_FALSE(tween.settling(5'000 + StageTween::kSettleMs));
    CHECK(tween.settling(5'000 + StageTween::kSettleMs / 2));
    CHECK(tween.animation(5'300) == 0);
    CHECK(tween.animation(99'000) == 0);
}

TEST_CASE("stage tween: a jump while paused is still at once, playing is not a jump",
          "[app][stage]") {
    StageTween tween;
    tween.set_glide(1'000'000);
    tween.play();
    tween.jump();  // the playhead advancing while playing
    CHECK(tween.animation(0) == 1'000'000);
    tween.pause(100);
    CHECK(tween.settling(150));
    tween.jump();  // a step, a scrub, Home/End right after the pause
    CHECK_FALSE(tween.settling(150));
    CHECK(tween.animation(150) == 0);
    // Pausing twice does not restart the settling.
    tween.pause(160);
    CHECK(tween.animation(160) == 0);
}

TEST_CASE("stage tween: a settled stage is the still picture at the playhead", "[app][stage]") {
    spindle::view::RunModel m;
    app_test::run_pipeline(m);
    const spindle::view::StageIndex index(m);
    StageTween tween;
    tween.set_glide(index.default_animation() * 20);
    tween.play();
    // Somewhere in the run a chip is mid-move while playing...
    Time moving = -1;
    for (Time t = 0; t < m.end_time() && moving < 0; t += m.end_time() / 500) {
        const auto s = index.at(t, tween.animation(0));
        for (const auto& chip : s.tasks)
            if (chip.progress < 1) moving = t;
    }
    REQUIRE(moving >= 0);
    // ...and once paused and settled, every chip there has arrived.
    tween.pause(0);
    const auto settled = index.at(moving, tween.animation(StageTween::kSettleMs));
    CHECK(settled == index.at(moving, 0));
    for (const auto& chip : settled.tasks)
        CHECK(chip.progress == 1);
}
