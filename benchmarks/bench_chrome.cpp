// Chrome JSON export: ns per event and the writer's peak memory, converting a
// recorded run (1M messages through a bounded mpsc channel, four producers) into a
// stream that only counts bytes. The run is recorded once, outside the timing.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <ostream>
#include <streambuf>

#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/instrument/chrome_trace.h"
#include "spindle/instrument/recorder.h"
#include "spindle/sync/mpsc.h"

using namespace spindle;

namespace {

/// Counts what is written; keeps nothing.
class CountingBuf final : public std::streambuf {
public:
    std::size_t bytes = 0;

protected:
    std::streamsize xsputn(const char*, std::streamsize n) override {
        bytes += static_cast<std::size_t>(n);
        return n;
    }
    int_type overflow(int_type c) override {
        ++bytes;
        return c;
    }
};

Task<void> flood(int messages, int producers) {
    auto [tx, rx] = mpsc::channel<int>(64, "queue");
    for (int p = 0; p < producers; ++p)
        spawn("producer", [](mpsc::Sender<int> tx, int n) -> Task<void> {
            for (int i = 0; i < n; ++i)
                co_await tx.send(i);
        }(tx.clone(), messages / producers));
    tx.drop();
    while (co_await rx.recv()) {
    }
}

const Recorder& recorded_run() {
    static const std::unique_ptr<Recorder> rec = [] {
        auto r = std::make_unique<Recorder>();
        RuntimeConfig c;
        c.workers = 4;
        Runtime rt(c);
        rt.subscribe(*r);
        rt.block_on(flood(1'000'000, 4));
        return r;
    }();
    return *rec;
}

void BM_ChromeJson_Mpsc1M(benchmark::State& state) {
    const Recorder& rec = recorded_run();
    std::size_t peak = 0, bytes = 0;
    double wall_ns = 0;
    for (auto _ : state) {
        CountingBuf sink;
        std::ostream out(&sink);
        const auto start = std::chrono::steady_clock::now();
        ChromeTraceWriter writer(out);
        std::size_t n = 0;
        for (const Event& e : rec.events()) {
            writer.on_event(e, rec.text(e.text));
            if ((++n & 0xFFFF) == 0) peak = std::max(peak, writer.memory_bytes());
        }
        writer.on_finish();
        wall_ns +=
            std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start)
                .count();
        bytes = sink.bytes;
    }
    const double events = static_cast<double>(rec.events().size());
    state.counters["events"] = events;
    state.counters["ns/event"] = wall_ns / state.iterations() / events;
    state.counters["json B/event"] = static_cast<double>(bytes) / events;
    state.counters["writer peak KiB"] = static_cast<double>(peak) / 1024.0;
}

}  // namespace

BENCHMARK(BM_ChromeJson_Mpsc1M)->Iterations(1)->Repetitions(3)->Unit(benchmark::kMillisecond);
