// TimeAxis on a run: fitting shows the whole run from 0, and no zoom or pan of a
// view kept on the run shows negative time — also for a run of a few µs, where
// the old fit showed −6 µs to 18 µs.
#include <catch2/catch.hpp>

#include <algorithm>

#include "time_axis.h"

using spindle::view::TimeAxis;
using Time = TimeAxis::Time;

namespace {

/// No tick and no pixel of the view lies before 0.
void check_no_negative_time(const TimeAxis& a) {
    INFO("view " << a.start() << " to " << a.end() << " ns");
    CHECK(a.start() >= 0);
    CHECK(a.time(0) >= 0);
    for (const TimeAxis::Tick& t : a.ticks())
        CHECK(t.time >= 0);
}

}  // namespace

TEST_CASE("time axis: fitting a run shows it all from 0, room for a label after it",
          "[app][axis]") {
    for (const Time end : {Time{1000}, Time{6000}, Time{3'500'000}, Time{7'000'000'000}})
        for (const double width : {120.0, 800.0, 1800.0}) {
            INFO(end << " ns at " << width << " px");
            TimeAxis a(-123, 456, width);
            const double room = std::min(70.0, width / 4);
            a.fit_run(end, room);
            CHECK(a.start() == 0);
            CHECK(a.width() == width);
            CHECK(a.end() >= end);
            CHECK(a.x(end) <= width - room + 0.5);
            CHECK(a.x(end) >= width - room - 1.5);
            check_no_negative_time(a);
        }
}

TEST_CASE("time axis: a 6 µs run zoomed out or panned never shows negative time", "[app][axis]") {
    const Time end = 6000;
    TimeAxis a(0, 1, 900);
    a.fit_run(end, 70);
    // Zoomed out as far as it goes: at most kMaxRunSpans runs wide, from 0.
    for (int i = 0; i < 40; ++i) {
        a.zoom(1 / 1.25, a.width() / 2);
        a.keep_on_run(end);
        check_no_negative_time(a);
    }
    CHECK(a.start() == 0);
    CHECK(a.span() <= end * TimeAxis::kMaxRunSpans + TimeAxis::kMinSpan);
    CHECK(a.end() >= end);

    // Zoomed in at the start, then panned towards earlier times.
    a.fit_run(end, 70);
    a.zoom(8, 0);
    a.keep_on_run(end);
    CHECK(a.start() == 0);
    a.pan(-5000);
    a.keep_on_run(end);
    check_no_negative_time(a);
    CHECK(a.start() == 0);

    // Panned far past the end: it stops half a view after it.
    a.pan(1e9);
    a.keep_on_run(end);
    CHECK(a.start() == end - a.span() / 2);

    // A zoom anchored left of 0 (the label column) still starts at 0.
    a.fit_run(end, 70);
    a.zoom(1 / 3.0, -50);
    a.keep_on_run(end);
    check_no_negative_time(a);
}

TEST_CASE("time axis: keeping a view on a run leaves a good view alone", "[app][axis]") {
    TimeAxis a(2'000'000, 3'000'000, 1000);
    a.keep_on_run(10'000'000);
    CHECK(a.start() == 2'000'000);
    CHECK(a.end() == 3'000'000);
}
