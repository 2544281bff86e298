// first_divergence: the first event where two runs' streams differ, on hand-built streams.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "divergence.h"

using namespace spindle;
using spindle::view::first_divergence;

namespace {

Event ev(std::uint64_t seq, std::int64_t t, EventKind kind, TaskId task = 0, WorkerId worker = 0,
         std::uint64_t arg = 0) {
    Event e;
    e.seq = seq;
    e.time_ns = t;
    e.kind = kind;
    e.task = task;
    e.worker = worker;
    e.arg = arg;
    return e;
}

/// run_start (with `seed`), two tasks polled on worker 0 in the order given.
std::vector<Event> stream(std::uint64_t seed, TaskId first, TaskId second) {
    return {ev(0, 0, EventKind::run_start, 0, kNoWorker, seed),
            ev(1, 0, EventKind::task_spawn, 1),
            ev(2, 0, EventKind::task_spawn, 2),
            ev(3, 100, EventKind::poll_start, first),
            ev(4, 200, EventKind::poll_end, first),
            ev(5, 300, EventKind::poll_start, second),
            ev(6, 400, EventKind::poll_end, second)};
}

}  // namespace

TEST_CASE("divergence: the same schedule under two seeds does not diverge", "[app][divergence]") {
    // run_start differs (the seed), nothing else: no divergence.
    CHECK_FALSE(first_divergence(stream(1, 1, 2), stream(2, 1, 2)).has_value());
}

TEST_CASE("divergence: the first differing event, ignoring seq", "[app][divergence]") {
    const auto a = stream(1, 1, 2);
    auto b = stream(7, 2, 1);
    const auto d = first_divergence(a, b);
    REQUIRE(d);
    CHECK(d->index == 2);  // after run_start: spawn, spawn, then the first poll differs
    CHECK(d->time_a == 100);
    CHECK(d->time_b == 100);
    CHECK_FALSE(d->a_ended);
    CHECK_FALSE(d->b_ended);

    // Renumbered (seq shifted by 10) but otherwise equal: still no divergence.
    auto shifted = a;
    for (Event& e : shifted)
        e.seq += 10;
    CHECK_FALSE(first_divergence(a, shifted).has_value());

    // Only the time of a later event differs.
    auto later = a;
    later[5].time_ns = 350;
    const auto t = first_divergence(a, later);
    REQUIRE(t);
    CHECK(t->index == 4);
    CHECK(t->time_a == 300);
    CHECK(t->time_b == 350);
}

TEST_CASE("divergence: one stream stops where the other goes on", "[app][divergence]") {
    const auto a = stream(1, 1, 2);
    auto b = a;
    b.push_back(ev(7, 500, EventKind::log, 1));
    const auto d = first_divergence(a, b);
    REQUIRE(d);
    CHECK(d->index == 6);
    CHECK(d->a_ended);
    CHECK_FALSE(d->b_ended);
    CHECK(d->time_a == 400);  // where a stopped
    CHECK(d->time_b == 500);
    // Streams without run_start compare the same way.
    const std::vector<Event> bare(a.begin() + 1, a.end());
    CHECK_FALSE(first_divergence(a, bare).has_value());
}

TEST_CASE("divergence: texts compared through each trace's own string table", "[app][divergence]") {
    // Two runs print the same two lines, but each numbered its texts in its own
    // order: a's table has "hello" at 1 and "bye" at 2, b's the other way round.
    const std::vector<std::string> texts_a{"", "hello", "bye"};
    const std::vector<std::string> texts_b{"", "bye", "hello"};
    auto log = [](std::uint64_t seq, std::int64_t t, TextId text) {
        Event e = ev(seq, t, EventKind::log, 1);
        e.text = text;
        return e;
    };
    const std::vector<Event> a{ev(0, 0, EventKind::run_start), log(1, 10, 1), log(2, 20, 2)};
    const std::vector<Event> b{ev(0, 0, EventKind::run_start), log(1, 10, 2), log(2, 20, 1)};
    using view::EventStream;
    CHECK_FALSE(first_divergence(EventStream{a, texts_a}, EventStream{b, texts_b}).has_value());
    // Without the tables the ids differ at once.
    const auto by_id = first_divergence(a, b);
    REQUIRE(by_id);
    CHECK(by_id->index == 0);

    // The same ids standing for different texts differ, at the second line.
    const std::vector<std::string> other{"", "hello", "goodbye"};
    const auto d = first_divergence(EventStream{a, texts_a}, EventStream{a, other});
    REQUIRE(d);
    CHECK(d->index == 1);
    CHECK(d->time_a == 20);
    CHECK(d->time_b == 20);
    // An id a table lacks reads as "", like the trace reader's text().
    CHECK(EventStream{a, texts_a}.text(9).empty());
}
