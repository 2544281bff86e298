// RaceMarks and the task-lane marks: select races (winner, cancelled losers), late
// messages, broadcast lags per receiver task, watch versions seen and skipped — on
// shipped scenarios and on a hand-built event stream.

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>

#include "app_test_support.h"
#include "run_model.h"
#include "spindle/instrument/event_payloads.h"
#include "spindle/instrument/recorder.h"
#include "spindle/lua/scenario.h"
#include "task_marks.h"

using namespace spindle;
using namespace spindle::view;

namespace {

/// scenarios/NAME run into `model`, its events kept in `rec`.
void run_scenario(const std::string& name, RunModel& model, Recorder& rec) {
    lua::ScenarioOptions options;
    options.path = std::string(SPINDLE_SOURCE_DIR) + "/scenarios/" + name;
    options.sinks.push_back(&model);
    options.sinks.push_back(&rec);
    const lua::ScenarioResult result = lua::run_scenario(options);
    (void)result;
    REQUIRE(model.finished());
}

std::size_t count_kind(const Recorder& rec, EventKind kind) {
    return static_cast<std::size_t>(std::count_if(rec.events().begin(), rec.events().end(),
                                                  [&](const Event& e) { return e.kind == kind; }));
}

/// Feeds typed payloads to a model by hand.
struct Feeder {
    RunModel& model;
    std::uint64_t seq = 0;
    template <class P>
    void emit(std::int64_t t, TaskId task, const P& payload, std::string_view text = {}) {
        Event e;
        e.seq = seq++;
        e.time_ns = t;
        e.kind = P::kind;
        e.worker = 0;
        e.task = task;
        payload::encode(payload, e);
        e.text = text.empty() ? 0 : 1;
        model.on_event(e, text);
    }
};

}  // namespace

TEST_CASE("select_race: a winner per select and a cancel mark per losing branch") {
    RunModel model;
    Recorder rec;
    run_scenario("select_race.lua", model, rec);
    const RaceMarks& races = model.races();

    REQUIRE(count_kind(rec, EventKind::select_start) == 8);
    REQUIRE(races.selects().size() == 8);
    std::size_t by_timeout = 0, by_reply = 0;
    for (const SelectRace& s : races.selects()) {
        REQUIRE(s.end >= s.start);
        REQUIRE(s.winner != kNoBranch);
        REQUIRE(s.armed.size() == 2);
        CHECK(s.armed[0].op == WaitOp::recv);
        CHECK(s.armed[1].op == WaitOp::sleep);
        if (s.winner == 1) {
            CHECK(s.winner_name == "timeout");
            CHECK(s.armed[0].cancelled);  // the receive dropped without effect
            ++by_timeout;
        } else {
            CHECK(s.winner_name == "reply");
            CHECK(s.armed[1].cancelled);  // the timer cancelled
            ++by_reply;
        }
    }
    CHECK(by_timeout == 4);
    CHECK(by_reply == 4);
    CHECK(count_kind(rec, EventKind::select_winner) == races.selects().size());

    // One cancel mark per cancelled timer, each inside the select it lost.
    const auto timers =
        std::count_if(races.cancels().begin(), races.cancels().end(),
                      [](const CancelMark& c) { return c.kind == CancelMark::Kind::timer; });
    CHECK(static_cast<std::size_t>(timers) == count_kind(rec, EventKind::timer_cancelled));
    CHECK(static_cast<std::size_t>(timers) == by_reply);
    const auto waits =
        std::count_if(races.cancels().begin(), races.cancels().end(), [](const CancelMark& c) {
            return c.kind == CancelMark::Kind::wait && c.op == WaitOp::recv;
        });
    CHECK(static_cast<std::size_t>(waits) == by_timeout);
    for (const CancelMark& c : races.cancels()) {
        CHECK(c.select != 0);
        CHECK(std::string(model.task_name(c.task)) == "main");
    }

    // Every reply that came after its timeout is a late mark on its reply channel.
    REQUIRE(races.lates().size() == 4);
    for (const LateMark& l : races.lates()) {
        const ResourceTrack* chan = model.resource(l.chan);
        REQUIRE(chan);
        CHECK(chan->name.rfind("reply ", 0) == 0);
        CHECK(chan->received == 0);
        CHECK(l.receiver_left >= 0);
        CHECK(l.time > l.receiver_left);
        CHECK(std::string(model.task_name(l.receiver)) == "main");
        CHECK(std::string(model.task_name(l.sender)).rfind("handler ", 0) == 0);
    }
}

TEST_CASE("broadcast_bus: the lags are marked on the lagging receiver's task with the count") {
    RunModel model;
    Recorder rec;
    run_scenario("broadcast_bus.lua", model, rec);
    const TaskInfo* slow = app_test::task_named(model, "slow");
    const TaskInfo* fast = app_test::task_named(model, "fast");
    REQUIRE(slow);
    REQUIRE(fast);
    const std::vector<TaskLag> lags = lags_of_task(model, slow->id);
    REQUIRE(lags.size() == count_kind(rec, EventKind::chan_lag));
    REQUIRE_FALSE(lags.empty());
    std::uint64_t skipped = 0;
    for (const TaskLag& l : lags) {
        CHECK(l.skipped > 0);
        skipped += l.skipped;
    }
    const ResourceTrack* bus = model.resource(lags.front().chan);
    REQUIRE(bus);
    CHECK(bus->name == "bus");
    CHECK(skipped == bus->lagged);
    CHECK(lags_of_task(model, fast->id).empty());
}

TEST_CASE("config_reload: the slow server sees a strict subset of the versions, skips recorded") {
    RunModel model;
    Recorder rec;
    run_scenario("config_reload.lua", model, rec);
    const RaceMarks& races = model.races();
    std::set<std::uint64_t> sent;
    for (const WatchVersion& v : races.watch_versions())
        sent.insert(v.version);
    CHECK(sent == std::set<std::uint64_t>{2, 3, 4, 5, 6});

    const TaskInfo* slow = app_test::task_named(model, "server c (slow)");
    const TaskInfo* a = app_test::task_named(model, "server a");
    REQUIRE(slow);
    REQUIRE(a);
    std::set<std::uint64_t> seen_slow, skipped_slow;
    for (const WatchSeen& s : watch_seen_by(model, slow->id)) {
        seen_slow.insert(s.version);
        for (std::uint64_t v = s.skipped_from; v <= s.skipped_to; ++v)
            skipped_slow.insert(v);
    }
    CHECK(seen_slow.size() < sent.size());
    CHECK(std::includes(sent.begin(), sent.end(), seen_slow.begin(), seen_slow.end()));
    CHECK_FALSE(skipped_slow.empty());
    // Seen and skipped together are every version sent, each once.
    std::set<std::uint64_t> all = seen_slow;
    all.insert(skipped_slow.begin(), skipped_slow.end());
    CHECK(all == sent);
    CHECK(seen_slow.size() + skipped_slow.size() == sent.size());

    std::set<std::uint64_t> seen_a;
    for (const WatchSeen& s : watch_seen_by(model, a->id)) {
        seen_a.insert(s.version);
        CHECK(s.skipped() == 0);
    }
    CHECK(seen_a == sent);
}

TEST_CASE("a select won by its timer: the receive is cancelled and the late reply marked late") {
    RunModel model;
    Feeder f{model};
    f.emit(0, 0, payload::RunStart{.workers = 1});
    f.emit(0, 1, payload::TaskSpawn{}, "client");
    f.emit(0, 2, payload::TaskSpawn{.parent = 1}, "server");
    f.emit(0, 0,
           payload::ResourceCreated{.resource = 1, .type = ResourceKind::oneshot, .capacity = 1},
           "reply");
    f.emit(10, 1, payload::SelectStart{.select = 1, .branches = 2});
    f.emit(10, 1, payload::WaitStart{.resource = 1, .op = WaitOp::recv});
    f.emit(10, 1, payload::TimerSet{.timer = 7, .deadline_ns = 100});
    f.emit(10, 1, payload::WaitStart{.resource = 7, .op = WaitOp::sleep});
    f.emit(100, 1, payload::TimerFired{.timer = 7, .deadline_ns = 100});
    f.emit(102, 1,
           payload::WaitEnd{.resource = 1, .op = WaitOp::recv, .result = WaitResult::cancelled});
    f.emit(102, 1,
           payload::WaitEnd{.resource = 7, .op = WaitOp::sleep, .result = WaitResult::done});
    f.emit(102, 1, payload::SelectWinner{.select = 1, .branch = 1}, "timeout");
    f.emit(103, 1, payload::ChanDrop{.chan = 1, .role = EndpointRole::receiver, .live = 0});
    // The reply comes after the client gave up.
    f.emit(150, 2, payload::ChanTryFail{.chan = 1, .fail = TryFail::send_closed});
    f.emit(150, 2, payload::ChanDrop{.chan = 1, .role = EndpointRole::sender, .live = 0});
    f.emit(160, 0, payload::RunEnd{});
    model.on_finish();

    const RaceMarks& races = model.races();
    REQUIRE(races.selects().size() == 1);
    const SelectRace& s = races.selects().front();
    CHECK(s.task == 1);
    CHECK(s.start == 10);
    CHECK(s.end == 102);
    CHECK(s.winner == 1);
    CHECK(s.winner_name == "timeout");
    REQUIRE(s.armed.size() == 2);
    CHECK(s.armed[0].cancelled);
    CHECK_FALSE(s.armed[1].cancelled);
    CHECK(races.select_at(1, 50) == &s);
    CHECK(races.select_at(1, 103) == nullptr);
    CHECK(races.select_at(2, 50) == nullptr);

    REQUIRE(races.cancels().size() == 1);  // the receive; the timer fired, not cancelled
    CHECK(races.cancels()[0].kind == CancelMark::Kind::wait);
    CHECK(races.cancels()[0].resource == 1);
    CHECK(races.cancels()[0].select == 1);

    REQUIRE(races.lates().size() == 1);
    const LateMark& late = races.lates().front();
    CHECK(late.time == 150);
    CHECK(late.chan == 1);
    CHECK(late.sender == 2);
    CHECK(late.receiver == 1);
    CHECK(late.receiver_left == 103);
}

TEST_CASE("a send refused because its senders closed the channel is not late") {
    RunModel model;
    Feeder f{model};
    f.emit(0, 1, payload::TaskSpawn{}, "t");
    f.emit(0, 0, payload::ResourceCreated{.resource = 1, .type = ResourceKind::mpsc, .capacity = 2},
           "c");
    f.emit(5, 1, payload::ChanTryFail{.chan = 1, .fail = TryFail::send_closed});
    model.on_finish();
    CHECK(model.races().lates().empty());
}

TEST_CASE("watch version labels") {
    WatchSeen s{.version = 5, .skipped_from = 3, .skipped_to = 4};
    CHECK(version_label(5) == "v5");
    CHECK(skipped_label(s) == "skipped v3\u2013v4");
    s.skipped_from = 4;
    CHECK(skipped_label(s) == "skipped v4");
    s.skipped_from = 5;
    CHECK(skipped_label(s).empty());
}
