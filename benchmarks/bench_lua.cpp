// The cost of scripting: a worker pool moving 1M messages written as a Lua
// scenario, and the same shape written in C++. Compare their ns/event; the
// "Uncounted" run shows what the instruction budget's count hook costs.
#include <benchmark/benchmark.h>

#include <chrono>

#include "bench_support.h"
#include "spindle/core/runtime.h"
#include "spindle/instrument/recorder.h"
#include "spindle/lua/scenario.h"
#include "spindle/sync/mpsc.h"

using namespace spindle;

namespace {

constexpr int kMessages = 1'000'000;
constexpr int kProducers = 4;

const char* kPoolScript = R"(
scenario{ workers = 4, seed = 1 }
local tx, rx = mpsc.channel(64, "jobs")
for p = 1, 4 do
  local mine = tx:clone()
  spawn("producer", function()
    for i = 1, 250000 do mine:send(i) end
    mine:drop()
  end)
end
tx:drop()
local n = 0
for v in rx:iter() do n = n + 1 end
assert(n == 1000000)
)";

Task<void> cpp_pool() {
    auto [tx, rx] = mpsc::channel<int>(64, "jobs");
    for (int p = 0; p < kProducers; ++p)
        spawn("producer", [](mpsc::Sender<int> mine) -> Task<void> {
            for (int i = 1; i <= kMessages / kProducers; ++i)
                co_await mine.send(i);
        }(tx.clone()));
    tx.drop();
    int n = 0;
    while (co_await rx.recv())
        ++n;
    if (n != kMessages) throw std::runtime_error("lost messages");
}

void report(benchmark::State& state, std::uint64_t events, double wall_ns, bool record) {
    state.counters["events"] = static_cast<double>(events) / state.iterations();
    state.counters["ns/event"] = wall_ns / static_cast<double>(events);
    state.SetLabel(record ? "recording" : "not recording");
}

double since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start)
        .count();
}

/// Arg 0: no sink; arg 1: an in-memory Recorder, as the app and spindle-run record.
void BM_WorkerPool_1M_Cpp(benchmark::State& state) {
    bench::run_case(state, cpp_pool);
}

/// The script as spindle-run runs it; `count_instructions` false is
/// --max-instructions 0, which runs Lua without its per-instruction count hook.
void run_lua_pool(benchmark::State& state, bool count_instructions) {
    const bool record = state.range(0) != 0;
    std::uint64_t events = 0;
    double wall_ns = 0;
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        Recorder rec;
        lua::ScenarioOptions o;
        if (!count_instructions) o.budgets.instructions_per_poll = 0;
        if (record) o.sinks.push_back(&rec);
        const lua::ScenarioResult r = lua::run_scenario_source(kPoolScript, "pool.lua", o);
        if (r.exit_code() != 0) state.SkipWithError("the Lua pool did not complete");
        events += r.events;
        wall_ns += since(start);
    }
    report(state, events, wall_ns, record);
}

void BM_WorkerPool_1M_Lua(benchmark::State& state) {
    run_lua_pool(state, true);
}

void BM_WorkerPool_1M_Lua_Uncounted(benchmark::State& state) {
    run_lua_pool(state, false);
}

}  // namespace

BENCHMARK(BM_WorkerPool_1M_Cpp)->Arg(0)->Arg(1)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WorkerPool_1M_Lua)->Arg(0)->Arg(1)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WorkerPool_1M_Lua_Uncounted)
    ->Arg(0)
    ->Arg(1)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
