#pragma once
// What the runtime and scripting benchmarks share: one simulated program run per
// iteration on four workers, recorded into an in-memory Recorder when the
// benchmark's argument is 1, reported as ns (and bytes) per event.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "spindle/core/runtime.h"
#include "spindle/instrument/recorder.h"

namespace spindle::bench {

/// Runs make() once per iteration; arg 0 does not record, arg 1 records.
template <class Make>
void run_case(benchmark::State& state, Make make) {
    const bool record = state.range(0) != 0;
    std::uint64_t events = 0;
    std::size_t memory = 0;
    double wall_ns = 0;
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        Recorder rec;
        RuntimeConfig c;
        c.workers = 4;
        Runtime rt(c);
        if (record) rt.subscribe(rec);
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
    state.SetLabel(record ? "recording" : "not recording");
}

}  // namespace spindle::bench
