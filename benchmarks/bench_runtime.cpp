// Runtime benchmarks: wall time per simulated event with recording on and off,
// and bytes per recorded event. Each case runs a whole simulated program once
// per iteration; "ns/event" is wall time divided by the events the run emitted.
#include <benchmark/benchmark.h>

#include <chrono>
#include <vector>

#include "bench_support.h"
#include "spindle/core/blocking_scope.h"
#include "spindle/core/ops.h"
#include "spindle/core/rayon.h"
#include "spindle/core/runtime.h"
#include "spindle/core/spawn.h"
#include "spindle/sync/crossbeam.h"
#include "spindle/sync/mpsc.h"
#include "spindle/sync/oneshot.h"

using namespace spindle;

namespace {

Task<void> spawn_join(int n) {
    for (int i = 0; i < n; ++i) {
        auto h = spawn("job", []() -> Task<int> { co_return 1; }());
        co_await h;
    }
}

Task<void> mpsc_flood(int messages, int producers) {
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

/// A crossbeam pipeline (#12): one producer thread, `consumers` OS threads draining a
/// bounded MPMC queue with blocking calls, the main task joining them (blocking too).
Task<void> crossbeam_pipeline(int messages, int consumers) {
    auto [tx, rx] = crossbeam::bounded<int>(64, "jobs");
    std::vector<JoinHandle<void>> threads;
    for (int c = 0; c < consumers; ++c)
        threads.push_back(spawn_thread("consumer", [](crossbeam::Receiver<int> rx) -> Task<void> {
            BlockingScope blocking;
            while (co_await rx.recv()) {
            }
        }(rx.clone())));
    rx.drop();
    threads.push_back(spawn_thread("producer", [](crossbeam::Sender<int> tx, int n) -> Task<void> {
        BlockingScope blocking;
        for (int i = 0; i < n; ++i)
            co_await tx.send(i);
    }(std::move(tx), messages)));
    BlockingScope blocking;
    for (auto& t : threads)
        co_await t;
}

/// A Rayon divide-and-conquer sum (#12): rayon::join down to `grain` items, on a pool
/// of `threads` — the fork-join jobs, deque pushes, steals and join waits of a par_iter.
Task<long> rayon_tree(int lo, int hi, int grain) {
    if (hi - lo <= grain) {
        co_await work(Nanos(hi - lo));
        co_return static_cast<long>(hi - lo);
    }
    const int mid = lo + (hi - lo) / 2;
    auto [a, b] = co_await rayon::join(rayon_tree(lo, mid, grain), rayon_tree(mid, hi, grain));
    co_return a + b;
}

Task<void> rayon_sum(int items, int grain, std::uint32_t threads) {
    const ResourceId pool = make_rayon_pool("bench", threads);
    JoinHandle<long> h = spawn_job(pool, "sum", rayon_tree(0, items, grain));
    BlockingScope blocking;
    co_await h;
}

Task<void> ping_pong(int rounds) {
    auto [tx, rx] = mpsc::channel<oneshot::Sender<int>>(1, "pings");
    spawn("ponger", [](mpsc::Receiver<oneshot::Sender<int>> rx) -> Task<void> {
        while (auto reply = co_await rx.recv())
            reply->send(1);
    }(std::move(rx)));
    for (int i = 0; i < rounds; ++i) {
        auto [reply_tx, reply_rx] = oneshot::channel<int>("pong");
        co_await tx.send(std::move(reply_tx));
        co_await reply_rx.recv();
    }
}

void BM_SpawnJoin_1M(benchmark::State& s) {
    bench::run_case(s, [] { return spawn_join(1'000'000); });
}
void BM_MpscBounded_1M_4producers(benchmark::State& s) {
    bench::run_case(s, [] { return mpsc_flood(1'000'000, 4); });
}
void BM_CrossbeamPipeline_1M_4threads(benchmark::State& s) {
    bench::run_case(s, [] { return crossbeam_pipeline(1'000'000, 4); });
}
void BM_RayonJoinTree_256k_4threads(benchmark::State& s) {
    bench::run_case(s, [] { return rayon_sum(1 << 22, 16, 4); });
}
void BM_OneshotPingPong_100k(benchmark::State& s) {
    bench::run_case(s, [] { return ping_pong(100'000); });
}

}  // namespace

// Arg: 0 not recording, 1 recording on fresh memory, 2 on reused memory, 3 the old
// std::deque recorder on fresh memory (see bench_support.h).
BENCHMARK(BM_SpawnJoin_1M)->DenseRange(0, 3)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MpscBounded_1M_4producers)
    ->DenseRange(0, 3)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CrossbeamPipeline_1M_4threads)
    ->DenseRange(0, 3)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RayonJoinTree_256k_4threads)
    ->DenseRange(0, 3)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OneshotPingPong_100k)->DenseRange(0, 3)->Iterations(1)->Unit(benchmark::kMillisecond);
