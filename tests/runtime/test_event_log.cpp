// EventLog: events appended across chunks read back in order; chunks reused through
// a ChunkPool; moves hand the chunks over.
#include <catch2/catch.hpp>

#include <vector>

#include "spindle/instrument/event_log.h"
#include "spindle/instrument/recorder.h"

using namespace spindle;

namespace {

Event numbered(std::uint64_t i) {
    Event e;
    e.seq = i;
    e.time_ns = static_cast<std::int64_t>(i) * 3;
    e.arg = ~i;
    return e;
}

}  // namespace

TEST_CASE("event log: events across several chunks read back in order") {
    EventLog log;
    const std::size_t n = 2 * EventLog::kPerChunk + 17;
    for (std::size_t i = 0; i < n; ++i)
        log.push_back(numbered(i));
    REQUIRE(log.size() == n);
    CHECK(log.memory_bytes() == 3 * EventLog::kChunkBytes);
    CHECK(log.front().seq == 0);
    CHECK(log.back().seq == n - 1);
    for (const std::size_t i : {std::size_t{0}, EventLog::kPerChunk - 1, EventLog::kPerChunk,
                                2 * EventLog::kPerChunk, n - 1}) {
        CHECK(log[i].seq == i);
        CHECK(log[i].arg == ~std::uint64_t{i});
    }
    std::size_t expected = 0;
    bool in_order = true;
    for (const Event& e : log)
        in_order = in_order && e.seq == expected++;
    CHECK(in_order);
    CHECK(expected == n);
    CHECK(std::vector<Event>(log.begin(), log.end()).size() == n);

    log.clear();
    CHECK(log.empty());
    CHECK(log.begin() == log.end());
    log.push_back(numbered(7));  // usable again after clear
    CHECK(log.size() == 1);
    CHECK(log[0].seq == 7);
}

TEST_CASE("event log: a pool keeps released chunks and hands them to the next log") {
    ChunkPool pool;
    {
        EventLog log(&pool);
        for (std::size_t i = 0; i < EventLog::kPerChunk + 1; ++i)
            log.push_back(numbered(i));
        CHECK(pool.kept() == 0);
    }
    CHECK(pool.kept() == 2);  // both chunks kept mapped, not unmapped
    Recorder rec(&pool);      // a recorder made after it reuses them
    rec.on_event(numbered(42), {});
    CHECK(pool.kept() == 1);
    CHECK(rec.events()[0].seq == 42);
}

TEST_CASE("event log: a move hands the chunks over and leaves the source empty") {
    EventLog a;
    for (std::size_t i = 0; i < 10; ++i)
        a.push_back(numbered(i));
    EventLog b(std::move(a));
    CHECK(b.size() == 10);
    CHECK(a.size() == 0);  // NOLINT(bugprone-use-after-move): moved-from is empty
    a.push_back(numbered(99));
    CHECK(a[0].seq == 99);
    b = std::move(a);
    CHECK(b.size() == 1);
    CHECK(b[0].seq == 99);
}
