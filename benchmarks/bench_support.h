#pragma once
// What the runtime and scripting benchmarks share: one simulated program run per
// iteration on four workers, reported as ns (and bytes) per event. The benchmark's
// argument: 0 does not record; 1 records into a Recorder on fresh memory (what a
// person's first run meets: freed heap is returned to the kernel first and the
// recorder maps new chunks); 2 records into memory reused from an earlier run (a
// shared ChunkPool, warmed before timing); 3 records on fresh memory into a
// std::deque, as the Recorder did before its EventLog (the baseline of the ratio).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <string_view>

#include <malloc.h>

#include "spindle/core/runtime.h"
#include "spindle/instrument/recorder.h"

namespace spindle::bench {

/// The Recorder as it was before EventLog: events in a std::deque (512-byte blocks
/// from malloc). Kept only as the benchmarks' baseline.
class DequeRecorder final : public EventSink {
public:
    void on_event(const Event& event, std::string_view) override { m_events.push_back(event); }
    std::size_t size() const { return m_events.size(); }

private:
    std::deque<Event> m_events;
};

/// Chunks kept between runs for the "reused memory" cases.
inline ChunkPool& reuse_pool() {
    static ChunkPool pool;
    return pool;
}

/// Runs make() once per iteration; see the file comment for the argument.
template <class Make>
void run_case(benchmark::State& state, Make make) {
    const bool record = state.range(0) == 1 || state.range(0) == 2;
    const bool reuse = state.range(0) == 2;
    const bool baseline = state.range(0) == 3;
    ChunkPool* pool = reuse ? &reuse_pool() : nullptr;
    if (reuse && reuse_pool().kept() == 0) {  // warm the pool with one untimed run
        Recorder warm(pool);
        RuntimeConfig c;
        c.workers = 4;
        Runtime rt(c);
        rt.subscribe(warm);
        rt.block_on(make());
    }
    std::uint64_t events = 0;
    std::size_t memory = 0;
    double wall_ns = 0;
    for (auto _ : state) {
        if (!reuse) ::malloc_trim(0);  // freed heap goes back: the run meets fresh pages
        const auto start = std::chrono::steady_clock::now();
        Recorder rec(pool);
        DequeRecorder old;
        RuntimeConfig c;
        c.workers = 4;
        Runtime rt(c);
        if (record) rt.subscribe(rec);
        if (baseline) rt.subscribe(old);
        rt.block_on(make());
        events += rt.event_count();
        wall_ns +=
            std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start)
                .count();
        if (record) memory = rec.memory_bytes() / std::max<std::size_t>(1, rec.events().size());
    }
    state.counters["events"] = static_cast<double>(events) / state.iterations();
    state.counters["ns/event"] = wall_ns / static_cast<double>(events);
    if (record) state.counters["bytes/event"] = static_cast<double>(memory);
    state.SetLabel(baseline  ? "recording into a std::deque (before), fresh memory"
                   : !record ? "not recording"
                   : reuse   ? "recording, reused memory"
                             : "recording, fresh memory");
}

}  // namespace spindle::bench
