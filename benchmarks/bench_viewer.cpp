// The viewer's cost on a large run: folding ~1M events into the view models,
// and the memory the models hold per event.
#include <benchmark/benchmark.h>

#include <chrono>

#include "run_model.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/instrument/recorder.h"
#include "spindle/sync/mpsc.h"

using namespace spindle;

namespace {

/// A recorded run of roughly one million events: producers, a bounded channel
/// and consumers doing a little work, on four workers.
const Recorder& big_run() {
    static Recorder rec = [] {
        Recorder r;
        RuntimeConfig c;
        c.workers = 4;
        Runtime rt(c);
        rt.subscribe(r);
        rt.block_on([]() -> Task<void> {
            auto [tx, rx] = mpsc::channel<int>(16, "jobs");
            for (int p = 0; p < 4; ++p)
                spawn("producer", [](mpsc::Sender<int> tx) -> Task<void> {
                    for (int i = 0; i < 80'000; ++i) {
                        co_await work(std::chrono::microseconds(3));
                        co_await tx.send(i);
                    }
                }(tx.clone()));
            tx.drop();
            auto shared = std::make_shared<mpsc::Receiver<int>>(std::move(rx));
            std::vector<JoinHandle<void>> consumers;
            for (int c = 0; c < 3; ++c)
                consumers.push_back(spawn("consumer", [](std::shared_ptr<mpsc::Receiver<int>> rx) -> Task<void> {
                    while (co_await rx->recv()) co_await work(std::chrono::microseconds(4));
                }(shared)));
            for (auto& h : consumers) co_await h;
        }());
        return r;
    }();
    return rec;
}

void BM_LoadIntoViewModel(benchmark::State& state) {
    const Recorder& rec = big_run();
    std::size_t bytes = 0;
    for (auto _ : state) {
        view::RunModel model;
        for (const Event& e : rec.events()) model.on_event(e, rec.text(e.text));
        model.on_finish();
        bytes = model.memory_bytes();
        benchmark::DoNotOptimize(model);
    }
    state.counters["events"] = static_cast<double>(rec.events().size());
    state.counters["bytes/event"] = static_cast<double>(bytes) / rec.events().size();
}

}  // namespace

BENCHMARK(BM_LoadIntoViewModel)->Iterations(3)->Unit(benchmark::kMillisecond);
