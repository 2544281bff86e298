// Text dump: exact lines for every kind, escaping, time formatting, event names.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <locale>
#include <set>
#include <sstream>
#include <string>

#include "spindle/instrument/event_names.h"
#include "spindle/instrument/text_dump.h"

using namespace spindle;

namespace {

struct Case {
    Event event;
    std::string text;
    std::string line;
};

}  // namespace

TEST_CASE("text dump: exact line for every kind") {
    using E = EventKind;
    const Case cases[] = {
        {{.seq = 0,
          .time_ns = 0,
          .kind = E::run_start,
          .detail = 0,
          .count = 4,
          .text = 1,
          .arg = 42},
         "scenario=pingpong workers=4",
         "0 0.000000ms w- t- run_start policy=work-stealing workers=4 seed=42 "
         R"(config="scenario=pingpong workers=4")"},
        {{.seq = 1, .time_ns = 0, .kind = E::worker_start, .detail = 1, .worker = 5},
         "",
         "1 0.000000ms w5 t- worker_start role=blocking"},
        {{.seq = 2, .time_ns = 1500, .kind = E::worker_park, .worker = 0},
         "",
         "2 0.001500ms w0 t- worker_park"},
        {{.seq = 3, .time_ns = 2000, .kind = E::worker_unpark, .worker = 1, .arg = 7},
         "",
         "3 0.002000ms w1 t- worker_unpark by=7"},
        {{.seq = 4, .time_ns = 2500, .kind = E::worker_steal, .worker = 1, .object = 0, .count = 3},
         "",
         "4 0.002500ms w1 t- worker_steal victim=0 taken=3"},
        {{.seq = 5,
          .time_ns = 3000,
          .kind = E::task_spawn,
          .detail = 0,
          .worker = 0,
          .task = 7,
          .text = 2,
          .arg = 1},
         "producer",
         R"(5 0.003000ms w0 t7 task_spawn parent=1 flavor=async name="producer")"},
        {{.seq = 6, .time_ns = 3000, .kind = E::task_spawn, .detail = 1, .task = 8, .text = 3},
         "io",
         R"(6 0.003000ms w- t8 task_spawn parent=- flavor=blocking name="io")"},
        {{.seq = 7,
          .time_ns = 3000,
          .kind = E::task_scheduled,
          .detail = 2,
          .worker = 0,
          .task = 7,
          .object = kNoWorker},
         "",
         "7 0.003000ms w0 t7 task_scheduled place=global queue=global"},
        {{.seq = 8,
          .time_ns = 3000,
          .kind = E::task_scheduled,
          .detail = 1,
          .worker = 0,
          .task = 7,
          .object = 1},
         "",
         "8 0.003000ms w0 t7 task_scheduled place=local queue=1"},
        {{.seq = 9, .time_ns = 4000, .kind = E::poll_start, .worker = 1, .task = 7},
         "",
         "9 0.004000ms w1 t7 poll_start"},
        {{.seq = 10, .time_ns = 4500, .kind = E::poll_end, .detail = 1, .worker = 1, .task = 7},
         "",
         "10 0.004500ms w1 t7 poll_end result=pending"},
        {{.seq = 11, .time_ns = 5000, .kind = E::task_wake, .detail = 1, .task = 7, .object = 12},
         "",
         "11 0.005000ms w- t7 task_wake cause=timer waker=- timer=12"},
        {{.seq = 12,
          .time_ns = 5000,
          .kind = E::task_wake,
          .detail = 2,
          .worker = 0,
          .task = 7,
          .object = 3,
          .arg = 8},
         "",
         "12 0.005000ms w0 t7 task_wake cause=resource waker=8 res=3"},
        {{.seq = 13,
          .time_ns = 5000,
          .kind = E::task_wake,
          .detail = 0,
          .worker = 0,
          .task = 7,
          .arg = 8},
         "",
         "13 0.005000ms w0 t7 task_wake cause=task waker=8 obj=0"},
        {{.seq = 14,
          .time_ns = 6000,
          .kind = E::task_end,
          .detail = 1,
          .worker = 1,
          .task = 7,
          .text = 4},
         "boom",
         R"(14 0.006000ms w1 t7 task_end outcome=failed error="boom")"},
        {{.seq = 15, .time_ns = 6000, .kind = E::task_end, .detail = 0, .worker = 1, .task = 8},
         "",
         "15 0.006000ms w1 t8 task_end outcome=completed"},
        {{.seq = 16,
          .time_ns = 0,
          .kind = E::resource_created,
          .detail = 0,
          .object = 3,
          .count = kUnbounded,
          .text = 5},
         "jobs",
         R"(16 0.000000ms w- t- resource_created res=3 type=mpsc cap=unbounded name="jobs")"},
        {{.seq = 17,
          .time_ns = 0,
          .kind = E::resource_created,
          .detail = 6,
          .object = 4,
          .count = 16},
         "",
         "17 0.000000ms w- t- resource_created res=4 type=semaphore cap=16"},
        {{.seq = 18,
          .time_ns = 7000,
          .kind = E::chan_send,
          .worker = 0,
          .task = 7,
          .object = 3,
          .count = 2,
          .arg = 17},
         "",
         "18 0.007000ms w0 t7 chan_send chan=3 msg=17 len=2"},
        {{.seq = 19,
          .time_ns = 7000,
          .kind = E::chan_recv,
          .worker = 1,
          .task = 8,
          .object = 3,
          .count = 1,
          .arg = 16},
         "",
         "19 0.007000ms w1 t8 chan_recv chan=3 msg=16 len=1"},
        {{.seq = 20,
          .time_ns = 7000,
          .kind = E::chan_try_fail,
          .detail = 0,
          .worker = 0,
          .task = 7,
          .object = 3,
          .count = 16},
         "",
         "20 0.007000ms w0 t7 chan_try_fail chan=3 fail=send_full len=16"},
        {{.seq = 21, .time_ns = 7000, .kind = E::chan_close, .detail = 1, .object = 3},
         "",
         "21 0.007000ms w- t- chan_close chan=3 reason=senders_dropped"},
        {{.seq = 22,
          .time_ns = 7000,
          .kind = E::chan_lag,
          .worker = 0,
          .task = 7,
          .object = 4,
          .arg = 5},
         "",
         "22 0.007000ms w0 t7 chan_lag chan=4 skipped=5"},
        {{.seq = 23,
          .time_ns = 7000,
          .kind = E::chan_drop,
          .detail = 1,
          .worker = 0,
          .task = 7,
          .object = 3,
          .count = 0},
         "",
         "23 0.007000ms w0 t7 chan_drop chan=3 role=receiver live=0"},
        {{.seq = 24,
          .time_ns = 8000,
          .kind = E::wait_start,
          .detail = 1,
          .worker = 0,
          .task = 7,
          .object = 3},
         "",
         "24 0.008000ms w0 t7 wait_start res=3 op=recv"},
        {{.seq = 25,
          .time_ns = 9000,
          .kind = E::wait_end,
          .detail = 1,
          .worker = 0,
          .task = 7,
          .object = 3,
          .count = 1},
         "",
         "25 0.009000ms w0 t7 wait_end res=3 op=recv result=cancelled"},
        {{.seq = 26,
          .time_ns = 9000,
          .kind = E::lock_acquire,
          .detail = 2,
          .worker = 0,
          .task = 7,
          .object = 5,
          .count = 3},
         "",
         "26 0.009000ms w0 t7 lock_acquire lock=5 mode=permits permits=3"},
        {{.seq = 27,
          .time_ns = 9000,
          .kind = E::lock_release,
          .detail = 0,
          .worker = 0,
          .task = 7,
          .object = 5},
         "",
         "27 0.009000ms w0 t7 lock_release lock=5 mode=exclusive permits=0"},
        {{.seq = 28,
          .time_ns = 9000,
          .kind = E::timer_set,
          .worker = 0,
          .task = 7,
          .object = 12,
          .arg = 2'500'000},
         "",
         "28 0.009000ms w0 t7 timer_set timer=12 deadline=2.500000ms"},
        {{.seq = 29, .time_ns = 2'500'000, .kind = E::timer_fired, .object = 12, .arg = 2'500'000},
         "",
         "29 2.500000ms w- t- timer_fired timer=12 deadline=2.500000ms"},
        {{.seq = 30,
          .time_ns = 2'500'000,
          .kind = E::timer_cancelled,
          .object = 13,
          .arg = 3'000'001},
         "",
         "30 2.500000ms w- t- timer_cancelled timer=13 deadline=3.000001ms"},
        {{.seq = 31,
          .time_ns = 2'500'000,
          .kind = E::select_start,
          .detail = 1,
          .worker = 0,
          .task = 7,
          .object = 2,
          .count = 3},
         "",
         "31 2.500000ms w0 t7 select_start select=2 branches=3 biased=true"},
        {{.seq = 32,
          .time_ns = 2'500'000,
          .kind = E::select_winner,
          .worker = 0,
          .task = 7,
          .object = 2,
          .count = 1},
         "",
         "32 2.500000ms w0 t7 select_winner select=2 branch=1"},
        {{.seq = 33, .time_ns = 2'500'000, .kind = E::log, .worker = 0, .task = 7, .text = 6},
         "hello",
         R"(33 2.500000ms w0 t7 log msg="hello")"},
        {{.seq = 34, .time_ns = 3'000'000, .kind = E::run_end, .detail = 2, .arg = 3},
         "",
         "34 3.000000ms w- t- run_end outcome=deadlock alive=3"},
        {{.seq = 35, .time_ns = 3'000'000, .kind = E::run_end, .detail = 3, .text = 7, .arg = 1},
         "cancelled",
         R"(35 3.000000ms w- t- run_end outcome=budget_exceeded alive=1 reason="cancelled")"},
    };
    std::set<EventKind> covered;
    for (const Case& c : cases) {
        INFO(c.line);
        CHECK(format_event(c.event, c.text) == c.line);
        covered.insert(c.event.kind);
    }
    CHECK(covered.size() == static_cast<std::size_t>(kEventKindCount));
}

TEST_CASE("text dump: unknown values and unused fields are shown raw") {
    Event poll_end{.seq = 1, .time_ns = 10, .kind = EventKind::poll_end, .detail = 9};
    CHECK(format_event(poll_end, "") == "1 0.000010ms w- t- poll_end result=?9");

    Event odd{.seq = 2,
              .kind = static_cast<EventKind>(200),
              .detail = 1,
              .object = 2,
              .count = 3,
              .arg = 4};
    CHECK(format_event(odd, "") == "2 0.000000ms w- t- ?200 detail=1 obj=2 count=3 arg=4");

    Event poll_start{.seq = 3, .kind = EventKind::poll_start, .worker = 2, .task = 1, .arg = 99};
    CHECK(format_event(poll_start, "") == "3 0.000000ms w2 t1 poll_start arg=99");

    Event send{
        .seq = 4, .kind = EventKind::chan_send, .object = 1, .count = 1, .text = 9, .arg = 5};
    CHECK(format_event(send, "note") ==
          R"(4 0.000000ms w- t- chan_send chan=1 msg=5 len=1 text="note")");

    Event select{.seq = 5, .kind = EventKind::select_start, .detail = 7, .object = 1, .count = 2};
    CHECK(format_event(select, "") ==
          "5 0.000000ms w- t- select_start select=1 branches=2 biased=?7");

    Event wait_end{.seq = 6, .kind = EventKind::wait_end, .detail = 10, .object = 1, .count = 300};
    CHECK(format_event(wait_end, "") == "6 0.000000ms w- t- wait_end res=1 op=sleep result=?300");
}

TEST_CASE("text dump: escaping of quoted text") {
    CHECK(quote_text("") == R"("")");
    CHECK(quote_text("plain text") == R"("plain text")");
    CHECK(quote_text("a\"b") == R"("a\"b")");
    CHECK(quote_text("back\\slash") == R"("back\\slash")");
    CHECK(quote_text("two\nlines\r\tend") == R"("two\nlines\r\tend")");
    CHECK(quote_text(std::string("nul\0x\x01\x1f\x7f", 8)) == R"("nul\x00x\x01\x1f\x7f")");
    CHECK(quote_text("caf\xc3\xa9") == "\"caf\xc3\xa9\"");  // UTF-8 copied as is
    // A C1 control (U+009B is CSI) and bytes that are not UTF-8 are escaped too.
    CHECK(quote_text("a\xc2\x9b"
                     "2Jb") == R"("a\xc2\x9b2Jb")");
    CHECK(quote_text("\xff\xe2\x82") == R"("\xff\xe2\x82")");
    CHECK(quote_text("\xe2\x82\xac\xf0\x9f\x98\x80") == "\"\xe2\x82\xac\xf0\x9f\x98\x80\"");

    Event log{.seq = 7, .kind = EventKind::log, .text = 1};
    const std::string line = format_event(log, "say \"hi\"\n\\bye");
    CHECK(line == R"(7 0.000000ms w- t- log msg="say \"hi\"\n\\bye")");
    CHECK(line.find('\n') == std::string::npos);
}

TEST_CASE("text dump: times are exact milliseconds from integer nanoseconds") {
    CHECK(format_ms(0) == "0.000000ms");
    CHECK(format_ms(1) == "0.000001ms");
    CHECK(format_ms(999'999) == "0.999999ms");
    CHECK(format_ms(1'000'250) == "1.000250ms");
    CHECK(format_ms(123'456'789'012) == "123456.789012ms");
    CHECK(format_ms(-1) == "-0.000001ms");
    CHECK(format_ms(-2'000'000) == "-2.000000ms");
    CHECK(format_ms(std::numeric_limits<std::int64_t>::max()) == "9223372036854.775807ms");
    CHECK(format_ms(std::numeric_limits<std::int64_t>::min()) == "-9223372036854.775808ms");

    Event big{.seq = std::numeric_limits<std::uint64_t>::max(),
              .kind = EventKind::chan_send,
              .worker = 0xFFFE,
              .task = 0xFFFFFFFF,
              .object = 0xFFFFFFFF,
              .count = 0xFFFFFFFF,
              .arg = std::numeric_limits<std::uint64_t>::max()};
    CHECK(format_event(big, "") ==
          "18446744073709551615 0.000000ms w65534 t4294967295 chan_send chan=4294967295 "
          "msg=18446744073709551615 len=4294967295");
}

namespace {

/// Groups digits with ',' - would show up if the dump used locale-aware formatting.
struct GroupingPunct : std::numpunct<char> {
    char do_thousands_sep() const override { return ','; }
    char do_decimal_point() const override { return '#'; }
    std::string do_grouping() const override { return "\3"; }
};

}  // namespace

TEST_CASE("text dump: sink writes one line per event, keeps texts, ignores locale") {
    std::ostringstream out;
    out.imbue(std::locale(out.getloc(), new GroupingPunct));
    TextDump dump(out);
    dump.on_event({.seq = 1234567,
                   .time_ns = 1'234'567'890,
                   .kind = EventKind::task_spawn,
                   .worker = 0,
                   .task = 1,
                   .text = 1},
                  "main");
    // A later event with the same text id may come without the text.
    dump.on_event({.seq = 1234568,
                   .time_ns = 1'234'567'890,
                   .kind = EventKind::log,
                   .worker = 0,
                   .task = 1,
                   .text = 1},
                  "");
    dump.on_event({.seq = 1234569,
                   .time_ns = 1'234'567'891,
                   .kind = EventKind::log,
                   .worker = 0,
                   .task = 1,
                   .text = 2},
                  "second");
    dump.on_finish();
    CHECK(out.str() ==
          "1234567 1234.567890ms w0 t1 task_spawn parent=- flavor=async name=\"main\"\n"
          "1234568 1234.567890ms w0 t1 log msg=\"main\"\n"
          "1234569 1234.567891ms w0 t1 log msg=\"second\"\n");
}

TEST_CASE("text dump: show_seq=false drops the sequence number only") {
    std::ostringstream out;
    TextDump dump(out, TextDumpOptions{.show_seq = false});
    dump.on_event(
        {.seq = 5, .time_ns = 1000, .kind = EventKind::poll_start, .worker = 0, .task = 2}, "");
    CHECK(out.str() == "0.001000ms w0 t2 poll_start\n");
    CHECK(format_event({.seq = 5, .kind = EventKind::worker_park, .worker = 3}, "",
                       TextDumpOptions{.show_seq = false}) == "0.000000ms w3 t- worker_park");
}

TEST_CASE("text dump: event names are unique and parse back") {
    std::set<std::string_view> names;
    for (int i = 0; i < kEventKindCount; ++i) {
        const auto kind = static_cast<EventKind>(i);
        const std::string_view name = to_string(kind);
        CHECK(name != kUnknownName);
        CHECK(names.insert(name).second);
        REQUIRE(parse_event_kind(name).has_value());
        CHECK(*parse_event_kind(name) == kind);
        CHECK(is_known_kind(static_cast<std::uint8_t>(i)));
    }
    CHECK_FALSE(is_known_kind(kEventKindCount));
    CHECK_FALSE(parse_event_kind("nonsense").has_value());
    CHECK_FALSE(parse_event_kind("").has_value());
    CHECK(to_string(static_cast<EventKind>(kEventKindCount)) == kUnknownName);

    CHECK(to_string(EventKind::resource_created) == "resource_created");
    CHECK(to_string(Policy::work_stealing) == "work-stealing");
    CHECK(to_string(Policy::global_queue) == "global-queue");
    CHECK(to_string(Policy::current_thread) == "current-thread");
    CHECK(to_string(RunOutcome::budget_exceeded) == "budget_exceeded");
    CHECK(to_string(QueuePlace::stolen) == "stolen");
    CHECK(to_string(WakeCause::spawn) == "spawn");
    CHECK(to_string(TaskOutcome::aborted) == "aborted");
    CHECK(to_string(ResourceKind::timer) == "timer");
    CHECK(to_string(ResourceKind::semaphore) == "semaphore");
    CHECK(to_string(TryFail::recv_closed) == "recv_closed");
    CHECK(to_string(CloseReason::receiver_dropped) == "receiver_dropped");
    CHECK(to_string(EndpointRole::sender) == "sender");
    CHECK(to_string(WaitOp::sleep) == "sleep");
    CHECK(to_string(WaitOp::notified) == "notified");
    CHECK(to_string(LockMode::shared) == "shared");
    CHECK(to_string(WorkerRole::blocking) == "blocking");
    CHECK(to_string(TaskFlavor::async) == "async");
    CHECK(to_string(PollResult::ready) == "ready");
    CHECK(to_string(WaitResult::cancelled) == "cancelled");
    CHECK(to_string(static_cast<WaitOp>(11)) == kUnknownName);
    CHECK(to_string(static_cast<Policy>(3)) == kUnknownName);
}
