// Opening a saved trace vs re-running its script, both folded into the view model
// the way the window does it (session::run_session): wall time and peak RSS growth
// of each, on a ~10M-event run (a bounded mpsc pool written in Lua), and their
// ratios; and, as the baseline, the trace read whole first (read_trace: a
// whole-run event vector) and then folded, the shape of loading before streaming.
// The .lua and its .spt are written once to a temporary folder before timing. Every measurement
// starts on fresh memory (freed heap is returned to the kernel and the peak RSS is reset first);
// the two alternate, three times each, and the medians are printed. Needs Linux
// (/proc/self/clear_refs, VmHWM).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <malloc.h>
#include <unistd.h>

#include "run_model.h"
#include "run_session.h"
#include "spindle/instrument/trace_file.h"
#include "spindle/instrument/trace_read_ahead.h"
#include "spindle/lua/scenario.h"

using namespace spindle;

namespace {

/// Messages through the pool: about 2.5 events per message, so ~10M events.
constexpr int kMessages = 4'000'000;
/// The model must hold the whole run (the window's own cap is lower).
constexpr std::uint64_t kModelEvents = 20'000'000;

std::string pool_script() {
    return R"(scenario{ workers = 4, seed = 1 }
local tx, rx = mpsc.channel(64, "jobs")
for p = 1, 4 do
  local mine = tx:clone()
  spawn("producer", function()
    for i = 1, )" +
           std::to_string(kMessages / 4) + R"( do mine:send(i) end
    mine:drop()
  end)
end
tx:drop()
local n = 0
for v in rx:iter() do n = n + 1 end
)";
}

/// The script and its trace, written once; removed at exit.
struct Files {
    std::filesystem::path dir;
    std::filesystem::path lua;
    std::filesystem::path spt;
    std::uint64_t events = 0;
    std::uint64_t spt_bytes = 0;

    Files() {
        dir = std::filesystem::temp_directory_path() /
              ("spindle-bench-open-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        lua = dir / "pool.lua";
        spt = dir / "pool.spt";
        std::ofstream(lua) << pool_script();
        TraceWriter writer(spt);
        lua::ScenarioOptions o;
        o.path = lua;
        o.sinks.push_back(&writer);
        const lua::ScenarioResult r = lua::run_scenario(o);
        writer.on_finish();
        events = r.events;
        spt_bytes = std::filesystem::file_size(spt);
    }
    ~Files() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
};

const Files& files() {
    static const Files f;
    return f;
}

/// A field of /proc/self/status in KiB ("VmRSS:", "VmHWM:").
double status_kib(const char* field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string key(field);
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0) return std::stod(line.substr(key.size()));
    return 0;
}

struct Measure {
    double seconds = 0;
    double peak_mib = 0;  ///< peak RSS growth over the RSS before
    std::uint64_t events = 0;
    bool ok = false;
};

/// Starts a measurement on fresh memory: returns the RSS it starts from.
double fresh_start() {
    ::malloc_trim(0);
    std::ofstream("/proc/self/clear_refs") << "5";  // resets VmHWM to the current RSS
    return status_kib("VmRSS:");
}

/// The baseline: the whole trace read into a Trace, then replayed into a model.
Measure measure_whole(const std::filesystem::path& path) {
    const double rss_before = fresh_start();
    Measure m;
    const auto start = std::chrono::steady_clock::now();
    {
        view::RunModel model;
        const TraceReadResult read = read_trace(path, TraceChecks::run, kModelEvents);
        if (read) replay_trace(*read.trace, model);
        m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        m.events = model.run().events;
        m.ok = bool(read);
    }
    m.peak_mib = (status_kib("VmHWM:") - rss_before) / 1024.0;
    return m;
}

/// One load on fresh memory: the model is built, then dropped after measuring.
Measure measure(const std::filesystem::path& path, session::RunRequest::Source source,
                bool read_ahead = true) {
    const double rss_before = fresh_start();
    Measure m;
    const auto start = std::chrono::steady_clock::now();
    {
        session::RunRequest request;
        request.source = source;
        request.path = path;
        request.budgets.events = kModelEvents;
        session::SessionOptions options;
        options.max_model_events = kModelEvents;
        options.read_ahead = read_ahead;
        const session::Session s = session::run_session(request, options);
        m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        m.events = s.model ? s.model->run().events : 0;
        m.ok = s.report.status == session::RunStatus::completed;
    }
    m.peak_mib = (status_kib("VmHWM:") - rss_before) / 1024.0;
    return m;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void BM_OpenTraceVsRerun_10M(benchmark::State& state) {
    const Files& f = files();
    std::vector<double> rerun_s, rerun_mib, open_s, open_mib, whole_s, whole_mib;
    for (auto _ : state) {
        for (int rep = 0; rep < 3; ++rep) {
            const Measure run = measure(f.lua, session::RunRequest::Source::scenario_file);
            const Measure open = measure(f.spt, session::RunRequest::Source::trace_file);
            const Measure whole = measure_whole(f.spt);
            if (!run.ok || !open.ok || !whole.ok || run.events != open.events ||
                open.events != f.events || whole.events != f.events) {
                state.SkipWithError("the re-run and the opened trace differ or failed");
                return;
            }
            rerun_s.push_back(run.seconds);
            rerun_mib.push_back(run.peak_mib);
            open_s.push_back(open.seconds);
            open_mib.push_back(open.peak_mib);
            whole_s.push_back(whole.seconds);
            whole_mib.push_back(whole.peak_mib);
        }
    }
    state.counters["events"] = static_cast<double>(f.events);
    state.counters["spt MiB"] = static_cast<double>(f.spt_bytes) / (1024.0 * 1024.0);
    state.counters["rerun s"] = median(rerun_s);
    state.counters["rerun MiB"] = median(rerun_mib);
    state.counters["open s"] = median(open_s);
    state.counters["open MiB"] = median(open_mib);
    state.counters["read whole s"] = median(whole_s);
    state.counters["read whole MiB"] = median(whole_mib);
    state.counters["time open/rerun"] = median(open_s) / median(rerun_s);
    state.counters["mem open/rerun"] = median(open_mib) / median(rerun_mib);
    state.SetLabel("medians of 3, fresh memory each; target time <= 0.5, memory <= 1.1");
}

/// The open alone, three times: what to profile (perf record --benchmark_filter=OpenTraceOnly).
/// Arg 0 decodes on the calling thread, 1 on the read-ahead helper (as the app does).
void BM_OpenTraceOnly_10M(benchmark::State& state) {
    const Files& f = files();
    const bool ahead = state.range(0) != 0;
    std::vector<double> open_s;
    for (auto _ : state) {
        for (int rep = 0; rep < 3; ++rep) {
            const Measure open = measure(f.spt, session::RunRequest::Source::trace_file, ahead);
            if (!open.ok || open.events != f.events) {
                state.SkipWithError("the trace did not open");
                return;
            }
            open_s.push_back(open.seconds);
        }
    }
    state.counters["open s"] = median(open_s);
    state.SetLabel(state.range(0) ? "read-ahead thread; median of 3, fresh memory each"
                                  : "one thread; median of 3, fresh memory each");
}

/// Decoding alone, into a sink that only counts: on the calling thread (Arg 0) or with
/// the read-ahead helper (Arg 1), as the window opens a trace.
void BM_DecodeTrace_10M(benchmark::State& state) {
    struct Count final : EventSink {
        std::uint64_t n = 0;
        void on_event(const Event&, std::string_view) override { ++n; }
    };
    const Files& f = files();
    std::vector<double> secs;
    for (auto _ : state) {
        for (int rep = 0; rep < 3; ++rep) {
            Count sink;
            TraceStreamOptions o;
            o.checks = TraceChecks::run;
            o.max_events = kModelEvents;
            const auto start = std::chrono::steady_clock::now();
            const TraceStreamResult r = state.range(0) ? stream_trace_read_ahead(f.spt, sink, o)
                                                       : stream_trace(f.spt, sink, o);
            secs.push_back(
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            if (r.error || sink.n != f.events) {
                state.SkipWithError("the trace did not decode");
                return;
            }
        }
    }
    state.counters["s"] = median(secs);
    state.counters["ns/event"] = median(secs) * 1e9 / static_cast<double>(f.events);
    state.SetLabel(state.range(0) ? "read-ahead thread" : "one thread");
}

}  // namespace

BENCHMARK(BM_DecodeTrace_10M)->Arg(0)->Arg(1)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK(BM_OpenTraceOnly_10M)->Arg(0)->Arg(1)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK(BM_OpenTraceVsRerun_10M)->Iterations(1)->Unit(benchmark::kSecond);
