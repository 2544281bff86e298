// PlaybackController: stepping between event times, speed, scrubbing (also
// backwards), and the bounds of the playhead. Driven through advance(), never by
// real time, so nothing here depends on the machine's speed.
#include <catch2/catch.hpp>

#include <chrono>
#include <vector>

#include "gui_test_support.h"
#include "playback_controller.h"

using spindle::ui::PlaybackController;
using namespace std::chrono_literals;

namespace {

/// Records the values a signal carries (a QSignalSpy without linking QtTest).
template <class T>
struct Recorder {
    template <class Signal>
    Recorder(PlaybackController& pb, Signal signal) {
        QObject::connect(&pb, signal, &pb, [this](T v) { values.push_back(v); });
    }
    std::size_t count() const { return values.size(); }
    std::vector<T> values;
};

}  // namespace

TEST_CASE("playback starts paused at the start, with sorted distinct event times", "[playback]") {
    PlaybackController pb;
    Recorder<qint64> range(pb, &PlaybackController::range_changed);
    Recorder<qint64> moved(pb, &PlaybackController::time_changed);
    pb.set_times(1000, {500, 100, 100, 900, 300, 1200, -5});
    CHECK(pb.end() == 1000);
    CHECK(pb.time() == 0);
    CHECK_FALSE(pb.playing());
    CHECK(pb.event_times() == std::vector<PlaybackController::Time>{100, 300, 500, 900});
    CHECK(range.count() == 1);
    CHECK(moved.values == std::vector<qint64>{0});  // the views learn the time, even 0

    // A run that replaces one being looked at may keep the moment (clamped).
    pb.set_times(2000, {}, 700);
    CHECK(pb.time() == 700);
    pb.set_times(500, {}, 700);
    CHECK(pb.time() == 500);
}

TEST_CASE("playback steps to the next and previous event times", "[playback]") {
    PlaybackController pb;
    pb.set_times(1000, {100, 300, 500, 900});
    pb.jump_to_start();
    CHECK(pb.time() == 0);

    std::vector<PlaybackController::Time> forward;
    for (int i = 0; i < 6; ++i) {
        pb.step_forward();
        forward.push_back(pb.time());
    }
    // After the last event time comes the end, and the end stays the end.
    CHECK(forward == std::vector<PlaybackController::Time>{100, 300, 500, 900, 1000, 1000});

    std::vector<PlaybackController::Time> backward;
    for (int i = 0; i < 6; ++i) {
        pb.step_backward();
        backward.push_back(pb.time());
    }
    CHECK(backward == std::vector<PlaybackController::Time>{900, 500, 300, 100, 0, 0});

    // From between two events, each step lands on the neighbouring one.
    pb.set_time(400);
    CHECK(pb.next_event_time() == 500);
    CHECK(pb.previous_event_time() == 300);
    pb.step_backward();
    CHECK(pb.time() == 300);
}

TEST_CASE("playback advances by real time times the speed and stops at the end", "[playback]") {
    PlaybackController pb;
    pb.set_times(10'000'000, {});  // a 10 ms run
    pb.jump_to_start();
    pb.set_speed(0.001);  // 1 ms of the run per real second
    CHECK(pb.speed() == Approx(0.001));

    pb.play();
    CHECK(pb.playing());
    pb.advance(1s);
    CHECK(pb.time() == 1'000'000);
    pb.advance(500ms);
    CHECK(pb.time() == 1'500'000);

    // Slow speeds accumulate fractions of a nanosecond instead of losing them.
    pb.set_speed(PlaybackController::kMinSpeed);
    for (int i = 0; i < 1000; ++i)
        pb.advance(1ms);  // 1 s real at 1e-6: 1 µs of virtual time
    CHECK(pb.time() == 1'501'000);

    pb.set_speed(PlaybackController::kMaxSpeed);
    pb.advance(1s);  // far past the end
    CHECK(pb.time() == pb.end());
    CHECK_FALSE(pb.playing());
}

TEST_CASE("playback clamps speed and time", "[playback]") {
    PlaybackController pb;
    pb.set_times(5000, {1000});
    Recorder<double> speed(pb, &PlaybackController::speed_changed);
    pb.set_speed(1e9);
    CHECK(pb.speed() == PlaybackController::kMaxSpeed);
    pb.set_speed(0);
    CHECK(pb.speed() == PlaybackController::kMinSpeed);
    CHECK(speed.count() == 2);

    pb.set_time(-100);
    CHECK(pb.time() == 0);
    pb.set_time(1'000'000);
    CHECK(pb.time() == 5000);
}

TEST_CASE("scrubbing backwards moves the playhead back and signals each move", "[playback]") {
    PlaybackController pb;
    pb.set_times(1000, {100, 200});
    Recorder<qint64> moved(pb, &PlaybackController::time_changed);
    for (qint64 t : {900, 600, 300, 301, 0})
        pb.set_time(t);
    pb.set_time(0);  // unchanged: no signal

    CHECK(moved.values == std::vector<qint64>{900, 600, 300, 301, 0});
    CHECK(pb.time() == 0);
}

TEST_CASE("play from the end starts again at zero, scrubbing does not stop a pause", "[playback]") {
    PlaybackController pb;
    pb.set_times(1000, {});
    pb.jump_to_end();
    Recorder<bool> playing(pb, &PlaybackController::playing_changed);
    pb.play();  // at the end: rewinds
    CHECK(pb.time() == 0);
    CHECK(pb.playing());
    pb.pause();
    CHECK_FALSE(pb.playing());
    CHECK(playing.count() == 2);
    pb.toggle_play();
    CHECK(pb.playing());
    pb.step_forward();  // stepping pauses
    CHECK_FALSE(pb.playing());
    CHECK(pb.time() == 1000);
}

TEST_CASE("playback takes its times from a real run", "[playback]") {
    const spindle::view::RunModel& model = spindle::test::scenario_model("worker_pool.lua");
    PlaybackController pb;
    pb.set_model(&model);
    CHECK(pb.end() == model.end_time());
    REQUIRE_FALSE(pb.event_times().empty());
    CHECK(std::is_sorted(pb.event_times().begin(), pb.event_times().end()));
    CHECK(pb.event_times().front() >= 0);
    CHECK(pb.event_times().back() <= pb.end());

    // Poll starts are step targets: one step from just before a poll lands on it
    // (or on an earlier event in between).
    const auto& polls = model.workers().at(0).polls;
    REQUIRE(polls.size() >= 2);
    const spindle::view::Time start = polls[1].start;
    REQUIRE(start > 0);
    pb.set_time(start - 1);
    pb.step_forward();
    CHECK(pb.time() == start);

    // Walking back from the end visits every time, down to zero.
    pb.jump_to_end();
    std::size_t steps = 0;
    while (pb.time() > 0 && steps < 100'000) {
        pb.step_backward();
        ++steps;
    }
    CHECK(pb.time() == 0);
    // One step per distinct time below the end (the end itself is one of them).
    CHECK(steps + 1 >= pb.event_times().size());

    pb.set_model(nullptr);
    CHECK(pb.end() == 0);
    CHECK(pb.time() == 0);
}
