// Chrome Trace Event Format export: metadata, poll slices, task async slices, wake
// flows, channel counters and log instants, parsed back with nlohmann::json.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "spindle/instrument/chrome_trace.h"

using namespace spindle;
using nlohmann::json;

namespace {

struct Item {
    Event event;
    std::string text;
};

/// producer (task 1) on worker 0 sends to "jobs" and wakes consumer (task 2), which runs
/// on worker 1 and ends; a timer wakes the producer, whose last poll never ends.
std::vector<Item> pingpong() {
    using E = EventKind;
    std::vector<Item> items = {
        {{.time_ns = 0, .kind = E::run_start, .count = 2, .text = 1, .arg = 7},
         "scenario=pingpong"},
        {{.time_ns = 0, .kind = E::worker_start, .worker = 0}, ""},
        {{.time_ns = 0, .kind = E::worker_start, .worker = 1}, ""},
        {{.time_ns = 0, .kind = E::worker_start, .detail = 1, .worker = 2}, ""},
        {{.time_ns = 0, .kind = E::resource_created, .object = 3, .count = 8, .text = 2}, "jobs"},
        {{.time_ns = 0, .kind = E::task_spawn, .task = 1, .text = 3}, "producer"},
        {{.time_ns = 0, .kind = E::task_spawn, .task = 2, .text = 4, .arg = 1}, "consumer"},
        {{.time_ns = 1000, .kind = E::poll_start, .worker = 0, .task = 1}, ""},
        {{.time_ns = 1500,
          .kind = E::chan_send,
          .worker = 0,
          .task = 1,
          .object = 3,
          .count = 1,
          .arg = 1},
         ""},
        {{.time_ns = 1500,
          .kind = E::task_wake,
          .detail = 2,
          .worker = 0,
          .task = 2,
          .object = 3,
          .arg = 1},
         ""},
        {{.time_ns = 1800,
          .kind = E::wait_start,
          .detail = 10,
          .worker = 0,
          .task = 1,
          .object = 12},
         ""},
        {{.time_ns = 2000, .kind = E::poll_end, .detail = 1, .worker = 0, .task = 1}, ""},
        {{.time_ns = 2200, .kind = E::task_scheduled, .worker = 0, .task = 2, .object = 1}, ""},
        {{.time_ns = 2500, .kind = E::poll_start, .worker = 1, .task = 2}, ""},
        {{.time_ns = 3000,
          .kind = E::chan_recv,
          .worker = 1,
          .task = 2,
          .object = 3,
          .count = 0,
          .arg = 1},
         ""},
        {{.time_ns = 3250, .kind = E::log, .worker = 1, .task = 2, .text = 5}, "got message 1"},
        {{.time_ns = 4000, .kind = E::poll_end, .detail = 0, .worker = 1, .task = 2}, ""},
        {{.time_ns = 4000, .kind = E::task_end, .worker = 1, .task = 2}, ""},
        {{.time_ns = 9000, .kind = E::timer_fired, .object = 12, .arg = 9000}, ""},
        {{.time_ns = 9000, .kind = E::task_wake, .detail = 1, .task = 1, .object = 12}, ""},
        {{.time_ns = 9500, .kind = E::poll_start, .worker = 0, .task = 1}, ""},
        {{.time_ns = 12000, .kind = E::run_end, .detail = 2, .arg = 1}, ""},
    };
    for (std::size_t i = 0; i < items.size(); ++i)
        items[i].event.seq = i;
    return items;
}

std::string convert_text(const std::vector<Item>& items,
                         std::optional<std::pair<std::int64_t, std::int64_t>> range = {}) {
    std::ostringstream out;
    ChromeTraceWriter writer(out);
    if (range) writer.set_range(range->first, range->second);
    for (const Item& it : items)
        writer.on_event(it.event, it.text);
    writer.on_finish();
    REQUIRE(writer.ok());
    return out.str();
}

json convert(const std::vector<Item>& items) {
    std::ostringstream out;
    ChromeTraceWriter writer(out);
    for (const Item& it : items)
        writer.on_event(it.event, it.text);
    writer.on_finish();
    REQUIRE(writer.ok());
    json doc = json::parse(out.str());  // throws (fails the test) on invalid JSON
    REQUIRE(doc.contains("traceEvents"));
    REQUIRE(doc["traceEvents"].is_array());
    return doc;
}

std::vector<json> select(const json& doc, const std::string& ph,
                         const std::string& name = std::string()) {
    std::vector<json> out;
    for (const json& e : doc["traceEvents"]) {
        if (e.value("ph", "") == ph && (name.empty() || e.value("name", "") == name)) {
            out.push_back(e);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("chrome trace: process and thread metadata") {
    const json doc = convert(pingpong());
    const auto process = select(doc, "M", "process_name");
    REQUIRE(process.size() == 1);
    CHECK(process[0]["args"]["name"] == "spindle scenario=pingpong");

    const auto names = select(doc, "M", "thread_name");
    const auto sort = select(doc, "M", "thread_sort_index");
    const auto name_of = [&](int tid) {
        for (const json& e : names) {
            if (e["tid"] == tid) return e["args"]["name"].get<std::string>();
        }
        return std::string("<none>");
    };
    CHECK(name_of(0) == "worker 0");
    CHECK(name_of(1) == "worker 1");
    CHECK(name_of(2) == "blocking 2");
    for (const int tid : {0, 1, 2}) {
        bool found = false;
        for (const json& e : sort) {
            if (e["tid"] == tid) {
                found = true;
                CHECK(e["args"]["sort_index"] == tid);
            }
        }
        CHECK(found);
    }
    for (const json& e : doc["traceEvents"])
        CHECK(e["pid"] == 1);
}

TEST_CASE("chrome trace: polls are complete slices named after the task") {
    const json doc = convert(pingpong());
    const auto producer = select(doc, "X", "producer");
    const auto consumer = select(doc, "X", "consumer");
    REQUIRE(producer.size() == 2);
    REQUIRE(consumer.size() == 1);

    CHECK(producer[0]["tid"] == 0);
    CHECK(producer[0]["cat"] == "sched");
    CHECK(producer[0]["ts"].get<double>() == Approx(1.0));
    CHECK(producer[0]["dur"].get<double>() == Approx(1.0));
    CHECK(producer[0]["args"]["task"] == 1);
    CHECK(producer[0]["args"]["result"] == "pending");

    CHECK(consumer[0]["tid"] == 1);
    CHECK(consumer[0]["ts"].get<double>() == Approx(2.5));  // fractional microseconds
    CHECK(consumer[0]["dur"].get<double>() == Approx(1.5));
    CHECK(consumer[0]["args"]["task"] == 2);
    CHECK(consumer[0]["args"]["result"] == "ready");

    // The producer's last poll never ended: closed at the last timestamp (12 us).
    CHECK(producer[1]["ts"].get<double>() == Approx(9.5));
    CHECK(producer[1]["dur"].get<double>() == Approx(2.5));
    CHECK(producer[1]["args"]["result"] == "unfinished");

    // What happened during a poll follows its slice in the file, so viewers that keep
    // file order for equal times see the enclosing slice first.
    const auto& events = doc["traceEvents"];
    std::size_t slice = 0, log = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (events[i]["ph"] == "X" && events[i]["name"] == "consumer") slice = i;
        if (events[i]["ph"] == "I" && events[i]["name"] == "got message 1") log = i;
    }
    CHECK(slice < log);
}

TEST_CASE("chrome trace: task lifetimes are async slices, open ones closed at the end") {
    const json doc = convert(pingpong());
    std::vector<json> begins, ends;
    for (const json& e : select(doc, "b"))
        if (e["name"] == "producer" || e["name"] == "consumer") begins.push_back(e);
    for (const json& e : select(doc, "e"))
        if (e["name"] == "producer" || e["name"] == "consumer") ends.push_back(e);
    REQUIRE(begins.size() == 2);
    REQUIRE(ends.size() == 2);
    for (const json& e : begins)
        CHECK(e["cat"] == "task");
    for (const json& e : ends)
        CHECK(e["cat"] == "task");

    const auto find = [](const std::vector<json>& events, int id) {
        for (const json& e : events) {
            if (e["id"] == id) return e;
        }
        FAIL("no event with id " << id);
        return json();
    };
    CHECK(find(begins, 1)["name"] == "producer");
    CHECK(find(begins, 2)["name"] == "consumer");
    CHECK(find(begins, 2)["args"]["parent"] == 1);
    CHECK(find(ends, 2)["ts"].get<double>() == Approx(4.0));
    CHECK(find(ends, 2)["args"]["outcome"] == "completed");
    CHECK(find(ends, 2)["name"] == "consumer");
    CHECK(find(ends, 1)["ts"].get<double>() == Approx(12.0));
    CHECK(find(ends, 1)["args"]["outcome"] == "unfinished");
}

TEST_CASE("chrome trace: a task's states are async slices nested in its lifetime") {
    const json doc = convert(pingpong());
    // (name, begin, end) of every state span of a task, in order; checks b/e pair up.
    const auto states = [&](int id) {
        std::vector<std::tuple<std::string, double, double>> out;
        std::vector<std::pair<std::string, double>> open;
        for (const json& e : doc["traceEvents"]) {
            if (e.value("cat", "") != "task" || e["id"] != id) continue;
            if (e["ph"] == "b") open.emplace_back(e["name"], e["ts"].get<double>());
            if (e["ph"] == "e") {
                REQUIRE_FALSE(open.empty());
                CHECK(open.back().first == e["name"]);  // properly nested
                out.emplace_back(open.back().first, open.back().second, e["ts"].get<double>());
                open.pop_back();
            }
        }
        CHECK(open.empty());
        return out;
    };
    using S = std::tuple<std::string, double, double>;
    const auto producer = states(1);
    REQUIRE(producer.size() == 4);
    CHECK(producer[0] == S{"running", 1.0, 2.0});
    CHECK(producer[1] == S{"waiting: sleep", 2.0, 9.5});
    CHECK(producer[2] == S{"running", 9.5, 12.0});
    CHECK(producer[3] == S{"producer", 0.0, 12.0});
    const auto consumer = states(2);
    REQUIRE(consumer.size() == 3);
    CHECK(consumer[0] == S{"queued", 2.2, 2.5});
    CHECK(consumer[1] == S{"running", 2.5, 4.0});
    CHECK(consumer[2] == S{"consumer", 0.0, 4.0});
}

TEST_CASE("chrome trace: wakes are flows bound to an instant and to the woken task's poll") {
    const json doc = convert(pingpong());
    const auto starts = select(doc, "s");
    const auto finishes = select(doc, "f");
    REQUIRE(starts.size() == 2);
    REQUIRE(finishes.size() == 2);
    // Both ends share the category of the events they bind to (the DevTools trace
    // engine binds by equal ts, pid, tid and category).
    for (const auto* list : {&starts, &finishes})
        for (const json& f : *list) {
            CHECK(f["cat"] == "sched");
            CHECK(f["name"] == "wake");
        }
    const auto bound = [&](const json& flow, const std::string& ph) {
        for (const json& e : select(doc, ph))
            if (e["ts"] == flow["ts"] && e["tid"] == flow["tid"] && e.value("cat", "") == "sched")
                return true;
        return false;
    };

    // Resource wake inside the producer's poll on worker 0 -> consumer's poll on worker 1.
    CHECK(starts[0]["tid"] == 0);
    CHECK(starts[0]["ts"].get<double>() == Approx(1.5));
    CHECK(bound(starts[0], "I"));
    CHECK(select(doc, "I", "wake consumer").size() == 1);
    CHECK(select(doc, "I", "wake consumer")[0]["args"]["waker"] == 1);
    CHECK(finishes[0]["id"] == starts[0]["id"]);
    CHECK(finishes[0]["tid"] == 1);
    CHECK(finishes[0]["ts"].get<double>() == Approx(2.5));
    CHECK(finishes[0]["bp"] == "e");
    CHECK(bound(finishes[0], "X"));

    // Timer wake: starts at an instant on the runtime track, ends at the producer's next poll.
    const auto marker = select(doc, "I", "timer 12 fired");
    REQUIRE(marker.size() == 1);
    CHECK(marker[0]["args"]["cause"] == "timer");
    CHECK(starts[1]["tid"] == marker[0]["tid"]);
    CHECK(starts[1]["ts"] == marker[0]["ts"]);
    CHECK(finishes[1]["id"] == starts[1]["id"]);
    CHECK(finishes[1]["id"] != finishes[0]["id"]);
    CHECK(finishes[1]["tid"] == 0);
    CHECK(finishes[1]["ts"].get<double>() == Approx(9.5));
    CHECK(bound(finishes[1], "X"));

    // The marker lives on the runtime track, which gets a name.
    bool runtime_named = false;
    for (const json& e : select(doc, "M", "thread_name")) {
        if (e["tid"] == marker[0]["tid"]) runtime_named = e["args"]["name"] == "runtime";
    }
    CHECK(runtime_named);
}

TEST_CASE("chrome trace: channel lengths are counters named by the channel, logs are instants") {
    const json doc = convert(pingpong());
    const auto counters = select(doc, "C");
    REQUIRE(counters.size() == 2);
    for (const json& c : counters)
        CHECK(c["name"] == "jobs");
    CHECK(counters[0]["args"]["len"] == 1);
    CHECK(counters[0]["ts"].get<double>() == Approx(1.5));
    CHECK(counters[1]["args"]["len"] == 0);

    const auto logs = select(doc, "I", "got message 1");
    REQUIRE(logs.size() == 1);
    CHECK(logs[0]["tid"] == 1);
    CHECK(logs[0]["s"] == "t");
    CHECK(logs[0]["ts"].get<double>() == Approx(3.25));
    CHECK(logs[0]["args"]["task"] == 2);

    const auto run_end = select(doc, "I", "run_end");
    REQUIRE(run_end.size() == 1);
    CHECK(run_end[0]["args"]["outcome"] == "deadlock");
}

TEST_CASE("chrome trace: unnamed and same-named channels get distinct counter names") {
    using E = EventKind;
    const std::vector<Item> items = {
        {{.seq = 0, .kind = E::resource_created, .object = 1, .text = 1}, "q"},
        {{.seq = 1, .kind = E::resource_created, .object = 2, .text = 1}, "q"},
        {{.seq = 2, .kind = E::chan_send, .worker = 0, .object = 1, .count = 1}, ""},
        {{.seq = 3, .kind = E::chan_send, .worker = 0, .object = 2, .count = 2}, ""},
        {{.seq = 4, .kind = E::chan_send, .worker = 0, .object = 9, .count = 3}, ""},
    };
    const json doc = convert(items);
    const auto counters = select(doc, "C");
    REQUIRE(counters.size() == 3);
    CHECK(counters[0]["name"] == "q");
    CHECK(counters[1]["name"] == "q (chan 2)");
    CHECK(counters[2]["name"] == "chan 9");
}

TEST_CASE("chrome trace: empty runs, invalid UTF-8 and file output") {
    {
        const json doc = convert({});
        const auto process = select(doc, "M", "process_name");
        REQUIRE(process.size() == 1);
        CHECK(process[0]["args"]["name"] == "spindle");
        CHECK(doc["traceEvents"].size() == 1);
    }
    {
        const std::vector<Item> items = {
            {{.seq = 0, .kind = EventKind::log, .worker = 0, .text = 1}, "bad \xff\xfe utf8"},
        };
        const json doc = convert(items);
        CHECK(select(doc, "I").size() == 1);
    }
    {
        const auto path = std::filesystem::temp_directory_path() /
                          ("spindle_" + std::to_string(::getpid()) + "_trace.json");
        {
            ChromeTraceWriter writer(path);
            for (const Item& it : pingpong())
                writer.on_event(it.event, it.text);
            writer.on_finish();
            CHECK(writer.ok());
        }
        std::ifstream in(path);
        const json doc = json::parse(in);
        CHECK(select(doc, "X", "consumer").size() == 1);
        std::filesystem::remove(path);

        ChromeTraceWriter bad(path.parent_path() / "no_such_dir_spindle" / "x.json");
        CHECK_FALSE(bad.ok());
        bad.on_finish();
        CHECK_FALSE(bad.error().empty());
    }
}

TEST_CASE("chrome trace: a flow starts before it ends in the file, and equal times are split") {
    // Task 1 polls on worker 0 from 0 to 10 us and wakes task 2 at 2 us; task 2's poll
    // on worker 1 starts at that very instant and ends first (at 4 us).
    using E = EventKind;
    std::vector<Item> items = {
        {{.kind = E::run_start, .count = 2}, ""},
        {{.kind = E::task_spawn, .task = 1, .text = 1}, "waker"},
        {{.kind = E::task_spawn, .task = 2, .text = 2}, "sleeper"},
        {{.time_ns = 0, .kind = E::poll_start, .worker = 0, .task = 1}, ""},
        {{.time_ns = 2000, .kind = E::task_wake, .detail = 2, .worker = 0, .task = 2, .arg = 1},
         ""},
        {{.time_ns = 2000, .kind = E::poll_start, .worker = 1, .task = 2}, ""},
        {{.time_ns = 4000, .kind = E::poll_end, .worker = 1, .task = 2}, ""},
        {{.time_ns = 10000, .kind = E::poll_end, .detail = 1, .worker = 0, .task = 1}, ""},
    };
    for (std::size_t i = 0; i < items.size(); ++i)
        items[i].event.seq = i;
    const json doc = convert(items);
    const auto& events = doc["traceEvents"];
    std::optional<std::size_t> start, end;
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (events[i]["ph"] == "s") start = i;
        if (events[i]["ph"] == "f") end = i;
    }
    REQUIRE(start);
    REQUIRE(end);
    CHECK(*start < *end);  // readers that pair flow events in file order need this
    // The DevTools engine keys a flow's events by time: the end moves 1 ns into the
    // poll, onto a "woken" instant there.
    CHECK(events[*start]["ts"].get<double>() == Approx(2.0));
    CHECK(events[*end]["ts"].get<double>() == Approx(2.001));
    const auto woken = select(doc, "I", "woken");
    REQUIRE(woken.size() == 1);
    CHECK(woken[0]["tid"] == 1);
    CHECK(woken[0]["cat"] == "sched");
    CHECK(woken[0]["ts"] == events[*end]["ts"]);
}

TEST_CASE("chrome trace: memory follows live tasks, not the run's length") {
    // 200k short tasks spawned, polled and ended one after another: the writer holds
    // only the live one.
    std::ostringstream out;
    ChromeTraceWriter writer(out);
    std::uint64_t seq = 0;
    const auto feed = [&](Event e, std::string_view text = {}) {
        e.seq = seq++;
        writer.on_event(e, text);
    };
    feed({.kind = EventKind::run_start, .count = 1});
    std::size_t peak = 0;
    for (TaskId t = 1; t <= 200'000; ++t) {
        const std::int64_t at = static_cast<std::int64_t>(t) * 10'000;
        feed({.time_ns = at, .kind = EventKind::task_spawn, .task = t, .text = 1}, "job");
        feed({.time_ns = at, .kind = EventKind::poll_start, .worker = 0, .task = t});
        feed({.time_ns = at + 5000, .kind = EventKind::poll_end, .worker = 0, .task = t});
        feed({.time_ns = at + 5000, .kind = EventKind::task_end, .worker = 0, .task = t});
        if (t % 1000 == 0) peak = std::max(peak, writer.memory_bytes());
    }
    writer.on_finish();
    REQUIRE(writer.ok());
    CHECK(out.str().size() > 200'000u * 100);  // everything was written...
    CHECK(peak < 512u * 1024);                 // ...from a buffer that stayed small
}

TEST_CASE("chrome trace: a range writes a consistent piece of the run") {
    // 1.6-3.5 us of pingpong: producer's poll (1.0-2.0) is open at the start, the
    // consumer's (2.5-4.0) at the end; the wake at 1.5 us falls before the range.
    const std::string text = convert_text(pingpong(), std::pair{1600, 3500});
    const json doc = json::parse(text);
    std::map<std::string, int> open;  // "id/name" -> begins minus ends
    std::set<std::uint64_t> flow_starts, flow_ends;
    for (const json& e : doc["traceEvents"]) {
        const std::string ph = e["ph"];
        if (ph == "M") continue;
        const double ts = e["ts"];
        INFO(e.dump());
        CHECK(ts >= 1.6);
        CHECK(ts + (e.contains("dur") ? e["dur"].get<double>() : 0.0) <= 3.5);
        if (ph == "b" || ph == "e")
            open[std::to_string(e["id"].get<int>()) + "/" + e["name"].get<std::string>()] +=
                ph == "b" ? 1 : -1;
        if (ph == "s") flow_starts.insert(e["id"].get<std::uint64_t>());
        if (ph == "f") flow_ends.insert(e["id"].get<std::uint64_t>());
    }
    for (const auto& [span, n] : open) {
        INFO(span);
        CHECK(n == 0);  // every span opened in the piece is closed in it
    }
    CHECK(flow_starts == flow_ends);  // the wake before the range has no dangling end
    // The producer's poll starts at the range's start; the consumer's is cut at its end.
    const auto producer = select(doc, "X", "producer");
    REQUIRE(producer.size() == 1);
    CHECK(producer[0]["ts"] == 1.6);
    CHECK(producer[0]["dur"] == 0.4);
    const auto consumer = select(doc, "X", "consumer");
    REQUIRE(consumer.size() == 1);
    CHECK(consumer[0]["dur"] == 1);
    CHECK(consumer[0]["args"]["result"] == "cut");
    // Both tasks were alive at 1.6 us: their spans open there.
    std::set<std::string> opened;
    for (const json& e : select(doc, "b"))
        if (e["ts"] == 1.6) opened.insert(e["name"].get<std::string>());
    CHECK(opened.count("producer"));
    CHECK(opened.count("consumer"));
    // The channel's length at the start, and what happened inside.
    const auto jobs = select(doc, "C", "jobs");
    REQUIRE(jobs.size() == 2);
    CHECK(jobs[0]["ts"] == 1.6);
    CHECK(jobs[0]["args"]["len"] == 1);
    CHECK(select(doc, "I", "got message 1").size() == 1);
    // Thread names are kept whatever the range.
    CHECK(select(doc, "M", "thread_name").size() >= 2);
}

TEST_CASE("chrome trace: a range covering the run writes the whole run, byte for byte") {
    CHECK(convert_text(pingpong(), std::pair{0, std::int64_t{1} << 50}) ==
          convert_text(pingpong()));
    // A range after the run's end: a valid document with only the metadata.
    const json past = json::parse(convert_text(pingpong(), std::pair{50000, 60000}));
    for (const json& e : past["traceEvents"])
        CHECK(e["ph"] == "M");
}
