// RunSummary: statistics folded from the event stream, their JSON contract and tables.
// Note: never co_await inside a Catch2 assertion macro: GCC evaluates the
// short-circuited copy of the expression Catch keeps for warnings, awaiting twice.
#include <catch2/catch.hpp>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "runtime_test_support.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/instrument/recorder.h"
#include "spindle/instrument/run_summary.h"
#include "spindle/instrument/summary_json.h"
#include "spindle/instrument/text_table.h"
#include "spindle/instrument/trace_file.h"
#include "spindle/sync/mpsc.h"
#include "spindle/sync/mutex.h"

using namespace spindle;
using State = RunSummary::Task::State;

namespace {

constexpr Nanos ms(std::int64_t n) {
    return Nanos(n * 1'000'000);
}

RuntimeConfig cfg(int workers = 2, std::uint64_t seed = 1) {
    return rt_test::config_with(workers, seed, Policy::work_stealing, RuntimeConfig{}.poll_cost);
}

const RunSummary::Task* find_task(const RunSummary& s, std::string_view name) {
    for (const auto& t : s.tasks())
        if (t.name == name) return &t;
    return nullptr;
}

const RunSummary::Channel* find_channel(const RunSummary& s, std::string_view name) {
    for (const auto& c : s.channels())
        if (c.name == name) return &c;
    return nullptr;
}

/// Three 1 ms slices of CPU work with sleeps in between.
Task<void> cruncher() {
    for (int i = 0; i < 3; ++i) {
        co_await work(ms(1));
        co_await sleep(ms(1));
    }
}

/// A fast producer and a slow consumer on a capacity-2 channel.
Task<void> backpressure(int n) {
    auto [tx, rx] = mpsc::channel<int>(2, "narrow");
    auto [utx, urx] = mpsc::unbounded<int>("wide");
    auto consumer = spawn("consumer", [](mpsc::Receiver<int> rx) -> Task<void> {
        for (;;) {
            auto v = co_await rx.recv();
            if (!v) break;
            co_await sleep(ms(1));
        }
    }(std::move(rx)));
    for (int i = 0; i < n; ++i) {
        auto r = co_await tx.send(i);
        CHECK(r == mpsc::SendStatus::ok);
        utx.try_send(i);
    }
    tx.drop();
    co_await consumer;
    auto u = co_await urx.recv();
    CHECK(u.has_value());
}

/// One task fails with "boom"; main carries on.
Task<void> with_failure() {
    auto bad = spawn("bad", []() -> Task<void> {
        co_await yield_now();
        throw std::runtime_error("boom");
    }());
    auto res = co_await bad;
    CHECK(res.failed());
}

/// Two tasks take two mutexes in opposite orders: a lock-order deadlock.
Task<void> lock_cycle() {
    Mutex a("lock-a"), b("lock-b");
    auto ab = spawn("ab", [](Mutex first, Mutex second) -> Task<void> {
        auto g1 = co_await first.lock();
        co_await sleep(ms(1));
        auto g2 = co_await second.lock();
    }(a, b));
    auto ba = spawn("ba", [](Mutex first, Mutex second) -> Task<void> {
        auto g1 = co_await first.lock();
        co_await sleep(ms(1));
        auto g2 = co_await second.lock();
    }(b, a));
    co_await ab;
    co_await ba;
}

Task<void> fan_out(int n, Nanos each) {
    std::vector<JoinHandle<void>> hs;
    for (int i = 0; i < n; ++i)
        hs.push_back(spawn("job", [](Nanos d) -> Task<void> { co_await work(d); }(each)));
    for (auto& h : hs)
        co_await h;
}

/// A synthetic event with the fields a test sets.
Event ev(EventKind kind, std::int64_t t, TaskId task = 0, WorkerId worker = kNoWorker) {
    static std::uint64_t seq = 0;
    Event e;
    e.seq = seq++;
    e.kind = kind;
    e.time_ns = t;
    e.task = task;
    e.worker = worker;
    return e;
}

}  // namespace

TEST_CASE("polls, busy time and the lifetime split of real tasks", "[summary]") {
    Recorder rec;
    RunSummary sum;
    Runtime rt(cfg(2));
    rt.subscribe(rec);
    rt.subscribe(sum);
    rt.block_on([]() -> Task<void> {
        auto h = spawn("cruncher", cruncher());
        co_await h;
    }());
    REQUIRE(sum.finished());

    std::map<TaskId, std::uint64_t> poll_starts;
    for (const Event& e : rec.events())
        if (e.kind == EventKind::poll_start) ++poll_starts[e.task];
    REQUIRE(sum.tasks().size() == 2);
    for (const auto& t : sum.tasks()) {
        CHECK(t.polls == poll_starts[t.id]);
        CHECK(t.state == State::completed);
        CHECK(t.end_ns >= t.spawn_ns);
        // Every nanosecond of the lifetime is busy, queued or idle.
        CHECK(t.busy_ns + t.scheduled_wait_ns + t.idle_ns == t.end_ns - t.spawn_ns);
    }
    const auto* c = find_task(sum, "cruncher");
    REQUIRE(c);
    CHECK(c->busy_ns >= ms(3).count());
    CHECK(c->busy_ns < ms(4).count());
    CHECK(c->idle_ns >= ms(3).count() - 10'000);  // three 1 ms sleeps, minus poll costs
    CHECK(c->wakes >= 3);                         // one per timer
    CHECK(c->parent == find_task(sum, "main")->id);
    CHECK(c->last_worker != kNoWorker);

    CHECK(sum.run().outcome == RunOutcome::completed);
    CHECK(sum.run().events == rt.event_count());
    CHECK(sum.run().duration_ns == rt.end_time().count());
    CHECK(sum.run().workers == 2);
    CHECK(sum.run().seed == 1);
    CHECK(sum.run().config == rt.config().describe());

    // Worker figures add up to the task figures.
    std::uint64_t polls = 0;
    std::int64_t busy = 0;
    for (const auto& w : sum.workers()) {
        polls += w.polls;
        busy += w.busy_ns;
    }
    std::uint64_t all_poll_starts = 0;
    for (const auto& [id, n] : poll_starts)
        all_poll_starts += n;
    CHECK(polls == all_poll_starts);
    CHECK(busy == find_task(sum, "main")->busy_ns + c->busy_ns);
}

TEST_CASE("exact accounting on a hand-made stream", "[summary]") {
    RunSummary sum;
    auto feed = [&](const Event& e, std::string_view text = {}) { sum.on_event(e, text); };
    Event start = ev(EventKind::run_start, 0);
    start.count = 1;
    start.arg = 42;
    start.text = 9;
    feed(start, "workers=1");
    Event ws = ev(EventKind::worker_start, 0, 0, 0);
    feed(ws);
    Event spawn = ev(EventKind::task_spawn, 0, 1);
    spawn.text = 2;
    feed(spawn, "solo");
    feed(ev(EventKind::task_scheduled, 0, 1));
    feed(ev(EventKind::poll_start, 10, 1, 0));
    Event created = ev(EventKind::resource_created, 10, 1, 0);
    created.detail = static_cast<std::uint8_t>(ResourceKind::mpsc);
    created.object = 1;
    created.count = 2;
    created.text = 3;
    feed(created, "ch");
    auto chan = [&](EventKind k, std::int64_t t, std::uint32_t len) {
        Event e = ev(k, t, 1, 0);
        e.object = 1;
        e.count = len;
        feed(e);
    };
    chan(EventKind::chan_send, 12, 1);
    chan(EventKind::chan_send, 14, 2);  // full from 14
    chan(EventKind::chan_recv, 20, 1);  // ... to 20
    feed(ev(EventKind::poll_end, 30, 1, 0));
    feed(ev(EventKind::worker_park, 30, 0, 0));
    feed(ev(EventKind::task_wake, 50, 1));
    feed(ev(EventKind::task_scheduled, 50, 1));
    feed(ev(EventKind::poll_start, 60, 1, 0));
    chan(EventKind::chan_send, 65, 2);  // full again from 65 to the end (100)
    feed(ev(EventKind::poll_end, 70, 1, 0));
    Event end = ev(EventKind::task_end, 70, 1, 0);
    end.detail = static_cast<std::uint8_t>(TaskOutcome::failed);
    end.text = 4;
    feed(end, "script.lua:3: nope");
    Event run_end = ev(EventKind::run_end, 100);
    run_end.detail = static_cast<std::uint8_t>(RunOutcome::failed);
    feed(run_end);

    REQUIRE(sum.finished());
    REQUIRE(sum.tasks().size() == 1);
    const auto& t = sum.tasks()[0];
    CHECK(t.name == "solo");
    CHECK(t.polls == 2);
    CHECK(t.busy_ns == 30);
    CHECK(t.scheduled_wait_ns == 20);
    CHECK(t.idle_ns == 20);
    CHECK(t.wakes == 1);
    CHECK(t.state == State::failed);
    CHECK(t.error == "script.lua:3: nope");
    CHECK(sum.errors() == std::vector<std::string>{"script.lua:3: nope"});
    REQUIRE(sum.channels().size() == 1);
    const auto& c = sum.channels()[0];
    CHECK(c.sent == 3);
    CHECK(c.received == 1);
    CHECK(c.max_len == 2);
    CHECK(c.time_full_ns == 6 + 35);
    REQUIRE(sum.workers().size() == 1);
    CHECK(sum.workers()[0].busy_ns == 30);
    CHECK(sum.workers()[0].polls == 2);
    CHECK(sum.workers()[0].parks == 1);
    CHECK(sum.run().duration_ns == 100);
    CHECK(sum.run().events == 18);
    CHECK(sum.run().seed == 42);
    CHECK(sum.run().config == "workers=1");
    CHECK(sum.run().outcome == RunOutcome::failed);
}

TEST_CASE("a bounded channel under backpressure fills up, an unbounded one has no capacity",
          "[summary]") {
    RunSummary sum;
    Runtime rt(cfg(2));
    rt.subscribe(sum);
    rt.block_on(backpressure(6));
    const auto* narrow = find_channel(sum, "narrow");
    REQUIRE(narrow);
    CHECK(narrow->kind == ResourceKind::mpsc);
    CHECK(narrow->capacity == 2);
    CHECK(narrow->sent == 6);
    CHECK(narrow->received == 6);
    CHECK(narrow->max_len == 2);
    CHECK(narrow->time_full_ns > 0);
    CHECK(narrow->time_full_ns < sum.run().duration_ns);
    CHECK(narrow->closed);
    const auto* wide = find_channel(sum, "wide");
    REQUIRE(wide);
    CHECK_FALSE(wide->bounded());
    CHECK(wide->sent == 6);
    CHECK(wide->received == 1);
    CHECK(wide->max_len == 6);
    CHECK(wide->time_full_ns == 0);

    const auto j = nlohmann::json::parse(to_json(sum, nullptr, "bp"));
    bool saw_null = false, saw_two = false;
    for (const auto& c : j.at("channels")) {
        if (c.at("name") == "wide") saw_null = c.at("capacity").is_null();
        if (c.at("name") == "narrow") saw_two = c.at("capacity") == 2 && c.at("max_len") == 2;
    }
    CHECK(saw_null);
    CHECK(saw_two);
}

TEST_CASE("a failed task has its state and error, the run is failed", "[summary]") {
    RunSummary sum;
    Runtime rt(cfg(2));
    rt.subscribe(sum);
    rt.block_on(with_failure());
    const auto* bad = find_task(sum, "bad");
    REQUIRE(bad);
    CHECK(bad->state == State::failed);
    CHECK(bad->error == "boom");
    CHECK(find_task(sum, "main")->state == State::completed);
    CHECK(find_task(sum, "main")->error.empty());
    CHECK(sum.errors() == std::vector<std::string>{"boom"});
    CHECK(sum.run().outcome == RunOutcome::failed);

    const auto j = nlohmann::json::parse(to_json(sum, nullptr, "fail"));
    CHECK(j.at("outcome") == "failed");
    CHECK(j.at("errors") == nlohmann::json::array({"boom"}));
    for (const auto& t : j.at("tasks")) {
        if (t.at("name") == "bad") {
            CHECK(t.at("state") == "failed");
            CHECK(t.at("error") == "boom");
        } else {
            CHECK_FALSE(t.contains("error"));
        }
    }
}

TEST_CASE("an aborted task ends as aborted, without an error", "[summary]") {
    RunSummary sum;
    Runtime rt(cfg(2));
    rt.subscribe(sum);
    rt.block_on([]() -> Task<void> {
        auto h = spawn("sleeper", []() -> Task<void> { co_await sleep(ms(10)); }());
        co_await sleep(ms(1));
        h.abort();
        auto r = co_await h;
        CHECK(r.aborted());
    }());
    const auto* s = find_task(sum, "sleeper");
    REQUIRE(s);
    CHECK(s->state == State::aborted);
    CHECK(s->error.empty());
    CHECK(sum.errors().empty());
    CHECK(sum.run().outcome == RunOutcome::completed);
}

TEST_CASE("a deadlocked run leaves its tasks waiting, the JSON carries the report", "[summary]") {
    RunSummary sum;
    Runtime rt(cfg(2));
    rt.subscribe(sum);
    rt.block_on(lock_cycle());
    REQUIRE(rt.outcome() == RunOutcome::deadlock);
    REQUIRE(rt.deadlock());
    CHECK(sum.run().outcome == RunOutcome::deadlock);
    CHECK(sum.run().alive_at_end == 3);
    for (const auto& t : sum.tasks()) {
        CHECK(t.state == State::waiting);
        CHECK(t.end_ns == -1);
        CHECK(t.busy_ns + t.scheduled_wait_ns + t.idle_ns == sum.run().duration_ns - t.spawn_ns);
    }
    REQUIRE(sum.resources().size() == 2);
    for (const auto& r : sum.resources()) {
        CHECK(r.kind == ResourceKind::mutex);
        CHECK(r.acquisitions == 1);
        CHECK(r.max_waiters == 1);
    }

    const auto j = nlohmann::json::parse(to_json(sum, rt.deadlock(), "cycle"));
    CHECK(j.at("outcome") == "deadlock");
    const auto& d = j.at("deadlock");
    REQUIRE(d.is_object());
    CHECK(d.at("report") == rt.deadlock()->to_text());
    CHECK(d.at("cycle").size() == 2);
    REQUIRE(d.at("tasks").size() == 3);
    int lock_waits = 0;
    for (const auto& t : d.at("tasks")) {
        CHECK(t.at("id").is_number());
        CHECK(t.at("name").is_string());
        for (const auto& w : t.at("waits")) {
            CHECK(w.at("resource").is_number());
            CHECK(w.at("resource_name").is_string());
            CHECK(w.at("holders").is_array());
            CHECK_FALSE(w.contains("live_senders"));  // -1 for locks: omitted
            if (w.at("op") == "lock") {
                ++lock_waits;
                CHECK(w.at("resource_kind") == "mutex");
                CHECK(w.at("holders").size() == 1);
            }
        }
    }
    CHECK(lock_waits == 2);
    for (const auto& t : j.at("tasks"))
        CHECK(t.at("state") == "waiting");
}

TEST_CASE("steals are counted per thief worker", "[summary]") {
    Recorder rec;
    RunSummary sum;
    Runtime rt(cfg(4));
    rt.subscribe(rec);
    rt.subscribe(sum);
    rt.block_on(fan_out(32, ms(1)));
    std::map<WorkerId, std::uint64_t> steals, taken, parks;
    for (const Event& e : rec.events()) {
        if (e.kind == EventKind::worker_steal) {
            ++steals[e.worker];
            taken[e.worker] += e.count;
        }
        if (e.kind == EventKind::worker_park) ++parks[e.worker];
    }
    REQUIRE_FALSE(steals.empty());
    REQUIRE(sum.workers().size() == 4);
    std::uint64_t total = 0;
    for (const auto& w : sum.workers()) {
        CHECK(w.role == WorkerRole::core);
        CHECK(w.steals == steals[w.id]);
        CHECK(w.stolen_tasks == taken[w.id]);
        CHECK(w.parks == parks[w.id]);
        CHECK(w.busy_ns <= sum.run().duration_ns);
        total += w.steals;
    }
    CHECK(total > 0);
}

TEST_CASE("blocking lanes are workers with the blocking role", "[summary]") {
    RunSummary sum;
    Runtime rt(cfg(2));
    rt.subscribe(sum);
    rt.block_on([]() -> Task<void> {
        auto h = spawn_blocking("io", []() -> Task<void> { co_await work(ms(2)); }());
        co_await h;
    }());
    const auto* io = find_task(sum, "io");
    REQUIRE(io);
    CHECK(io->flavor == TaskFlavor::blocking);
    REQUIRE(sum.workers().size() == 3);
    const auto& lane = sum.workers().back();
    CHECK(lane.role == WorkerRole::blocking);
    CHECK(lane.id == io->last_worker);
    CHECK(lane.busy_ns >= ms(2).count());
    const auto j = nlohmann::json::parse(to_json(sum, nullptr, "blocking"));
    CHECK(j.at("worker_count") == 2);
    CHECK(j.at("workers").at(2).at("role") == "blocking");
}

TEST_CASE("the JSON has every contract key with the right type", "[summary]") {
    RunSummary sum;
    Runtime rt(cfg(2, 7));
    rt.subscribe(sum);
    rt.block_on([]() -> Task<void> {
        co_await backpressure(4);
        co_await with_failure();
    }());
    const std::string text = to_json(sum, nullptr, "contract");
    const auto j = nlohmann::json::parse(text);
    REQUIRE(j.is_object());
    CHECK(j.at("scenario") == "contract");
    CHECK(j.at("seed") == 7);
    CHECK(j.at("worker_count") == 2);  // `workers` is the per-worker array
    CHECK(j.at("policy") == "work-stealing");
    CHECK(j.at("outcome") == "failed");
    CHECK(j.at("duration_ms").is_number());
    CHECK(j.at("duration_ms").get<double>() * 1e6 ==
          Approx(static_cast<double>(rt.end_time().count())));
    CHECK(j.at("events") == rt.event_count());
    CHECK(j.at("deadlock").is_null());
    CHECK(j.at("errors").is_array());

    REQUIRE(j.at("tasks").is_array());
    REQUIRE(j.at("tasks").size() == sum.tasks().size());
    for (const auto& t : j.at("tasks")) {
        CHECK(t.at("id").is_number_unsigned());
        CHECK(t.at("name").is_string());
        const std::string state = t.at("state").get<std::string>();
        CHECK((state == "completed" || state == "failed" || state == "aborted" ||
               state == "waiting"));
        CHECK(t.at("polls").is_number_unsigned());
        CHECK(t.at("busy_ms").is_number());
        CHECK(t.at("idle_ms").is_number());
        CHECK(t.at("scheduled_wait_ms").is_number());
        CHECK(t.at("wakes").is_number_unsigned());
        CHECK(t.contains("error") == (state == "failed"));
    }
    REQUIRE(j.at("channels").size() == 2);
    for (const auto& c : j.at("channels")) {
        CHECK(c.at("id").is_number_unsigned());
        CHECK(c.at("name").is_string());
        CHECK(c.at("kind") == "mpsc");
        CHECK((c.at("capacity").is_null() || c.at("capacity").is_number_unsigned()));
        for (const char* k : {"sent", "received", "max_len", "lagged"})
            CHECK(c.at(k).is_number_unsigned());
    }
    REQUIRE(j.at("workers").size() == 2);
    for (const auto& w : j.at("workers")) {
        CHECK(w.at("id").is_number_unsigned());
        CHECK(w.at("polls").is_number_unsigned());
        CHECK(w.at("busy_ms").is_number());
        CHECK(w.at("steals").is_number_unsigned());
        CHECK(w.at("role") == "core");
        CHECK(w.at("parks").is_number_unsigned());
    }
    // Compact form parses to the same document.
    CHECK(nlohmann::json::parse(to_json(sum, nullptr, "contract", -1)) == j);
    CHECK(to_json(sum, nullptr, "contract", -1).find('\n') == std::string::npos);
}

TEST_CASE("invalid UTF-8 in names does not break the JSON", "[summary]") {
    RunSummary sum;
    Runtime rt(cfg(1));
    rt.subscribe(sum);
    rt.block_on([]() -> Task<void> { co_return; }(), "bad\xFFname");
    const auto j = nlohmann::json::parse(to_json(sum, nullptr, "utf8"));
    CHECK(j.at("tasks").at(0).at("name") == "bad\xEF\xBF\xBDname");
}

TEST_CASE("a replayed trace gives the same summary as the live run", "[summary]") {
    RunSummary live;
    std::ostringstream bytes;
    TraceWriter writer(bytes);
    Runtime rt(cfg(3));
    rt.subscribe(live);
    rt.subscribe(writer);
    rt.block_on([]() -> Task<void> {
        co_await backpressure(5);
        co_await with_failure();
        co_await fan_out(8, ms(1));
    }());
    REQUIRE(writer.ok());
    const auto read = read_trace_bytes(bytes.str());
    REQUIRE(read);
    RunSummary replayed;
    replay_trace(*read.trace, replayed);
    CHECK(to_json(replayed, nullptr, "x") == to_json(live, nullptr, "x"));
    CHECK(to_text_tables(replayed) == to_text_tables(live));
}

TEST_CASE("text tables show every task, channel and worker, aligned", "[summary]") {
    RunSummary sum;
    Runtime rt(cfg(2));
    rt.subscribe(sum);
    rt.block_on([]() -> Task<void> {
        co_await backpressure(4);
        co_await with_failure();
        auto h = spawn("a-task-with-a-rather-long-name-indeed",
                       []() -> Task<void> { co_await work(ms(1)); }());
        co_await h;
    }());
    const std::string t = to_text_tables(sum);
    INFO(t);
    CHECK(t.rfind("run: failed  duration ", 0) == 0);
    CHECK(t.find(" ms  events " + std::to_string(rt.event_count())) != std::string::npos);
    for (const char* s :
         {"\nTasks\n", "\nChannels\n", "\nWorkers\n", "\nErrors\n  boom\n", " main ", " consumer ",
          " bad ", " narrow ", " wide ", " unbounded ", " completed ", " failed ", " core "})
        CHECK(t.find(s) != std::string::npos);
    CHECK(t.find("a-task-with-a-rather-long-name-indeed") == std::string::npos);
    CHECK(t.find("a-task-with-a-rather-...") != std::string::npos);

    // Within the Tasks table, the right-aligned "polls" column ends at the same place
    // on every line.
    std::istringstream in(t.substr(t.find("\nTasks\n") + 7));
    std::string line;
    std::getline(in, line);
    const std::size_t header_len = line.size();
    const std::size_t polls_end = line.find("polls") + 5;
    int rows = 0;
    while (std::getline(in, line) && !line.empty()) {
        CHECK(line.size() == header_len);  // last column right-aligned too
        CHECK(line[polls_end - 1] != ' ');
        CHECK(line[polls_end] == ' ');
        ++rows;
    }
    CHECK(rows == static_cast<int>(sum.tasks().size()));
    // Durations: three decimals.
    CHECK(t.find("1.0") != std::string::npos);
}
