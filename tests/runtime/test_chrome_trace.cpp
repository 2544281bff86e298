// Chrome Trace Event Format export: metadata, poll slices, task async slices, wake
// flows, channel counters and log instants, parsed back with nlohmann::json.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
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
        {{.time_ns = 2000, .kind = E::poll_end, .detail = 1, .worker = 0, .task = 1}, ""},
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
}

TEST_CASE("chrome trace: task lifetimes are async slices, open ones closed at the end") {
    const json doc = convert(pingpong());
    const auto begins = select(doc, "b");
    const auto ends = select(doc, "e");
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

TEST_CASE("chrome trace: wakes are flows from the waking poll to the woken task's poll") {
    const json doc = convert(pingpong());
    const auto starts = select(doc, "s");
    const auto finishes = select(doc, "f");
    REQUIRE(starts.size() == 2);
    REQUIRE(finishes.size() == 2);

    // Resource wake inside the producer's poll on worker 0 -> consumer's poll on worker 1.
    CHECK(starts[0]["tid"] == 0);
    CHECK(starts[0]["ts"].get<double>() == Approx(1.5));
    CHECK(starts[0]["args"]["woken"] == 2);
    CHECK(starts[0]["args"]["waker"] == 1);
    CHECK(finishes[0]["id"] == starts[0]["id"]);
    CHECK(finishes[0]["tid"] == 1);
    CHECK(finishes[0]["ts"].get<double>() == Approx(2.5));
    CHECK(finishes[0]["bp"] == "e");
    for (const json& f : finishes) {
        CHECK(f["cat"] == "wake");
        CHECK(f["name"] == "wake");
    }

    // Timer wake: starts at a zero-length marker slice, ends at the producer's next poll.
    const auto marker = select(doc, "X", "timer 12 fired");
    REQUIRE(marker.size() == 1);
    CHECK(marker[0]["dur"].get<double>() == 0.0);
    CHECK(starts[1]["tid"] == marker[0]["tid"]);
    CHECK(starts[1]["ts"] == marker[0]["ts"]);
    CHECK(starts[1]["args"]["cause"] == "timer");
    CHECK(finishes[1]["id"] == starts[1]["id"]);
    CHECK(finishes[1]["id"] != finishes[0]["id"]);
    CHECK(finishes[1]["tid"] == 0);
    CHECK(finishes[1]["ts"].get<double>() == Approx(9.5));

    // The marker lives on the runtime track, which gets a name.
    bool runtime_named = false;
    for (const json& e : select(doc, "M", "thread_name")) {
        if (e["tid"] == marker[0]["tid"]) runtime_named = e["args"]["name"] == "runtime";
    }
    CHECK(runtime_named);
}

TEST_CASE("chrome trace: channel lengths are counters named by the channel; logs are instants") {
    const json doc = convert(pingpong());
    const auto counters = select(doc, "C");
    REQUIRE(counters.size() == 2);
    for (const json& c : counters)
        CHECK(c["name"] == "jobs");
    CHECK(counters[0]["args"]["len"] == 1);
    CHECK(counters[0]["ts"].get<double>() == Approx(1.5));
    CHECK(counters[1]["args"]["len"] == 0);

    const auto logs = select(doc, "i", "got message 1");
    REQUIRE(logs.size() == 1);
    CHECK(logs[0]["tid"] == 1);
    CHECK(logs[0]["s"] == "t");
    CHECK(logs[0]["ts"].get<double>() == Approx(3.25));
    CHECK(logs[0]["args"]["task"] == 2);

    const auto run_end = select(doc, "i", "run_end");
    REQUIRE(run_end.size() == 1);
    CHECK(run_end[0]["args"]["outcome"] == "deadlock");
}

TEST_CASE("chrome trace: unnamed and same-named channels get distinct counter names") {
    using E = EventKind;
    const std::vector<Item> items = {
        {{.seq = 0, .kind = E::resource_created, .object = 1, .text = 1}, "q"},
        {{.seq = 1, .kind = E::resource_created, .object = 2, .text = 1}, ""},
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
        CHECK(select(doc, "i").size() == 1);
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
