// The viewer on ~1M- and ~10M-event runs: time to load them into the view models,
// time to paint one timeline frame (fit to window, and zoomed in) with the lanes'
// level-of-detail indexes (indexed:1) and with the straightforward walk over every
// item in view that they replace (indexed:0, the reference: the same picture), the
// first frame of a new renderer (which builds the indexes), and memory per event.
// Each run and its model are made once and shared by every case of that size. Loads
// are repeated three times on fresh memory (see the _median rows).
// A QGuiApplication (offscreen) is needed for text, so this has its own main.
#include <benchmark/benchmark.h>

#include <QGuiApplication>
#include <QImage>
#include <QPainter>

#include <malloc.h>

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "run_model.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/instrument/recorder.h"
#include "spindle/sync/mpsc.h"
#include "spindle/sync/mutex.h"
#include "timeline/timeline_renderer.h"

using namespace spindle;

namespace {

/// About `millions` million events: producers, a bounded channel and consumers on
/// four workers. Made once per size.
const Recorder& big_run(int millions) {
    static std::map<int, std::unique_ptr<Recorder>> runs;
    std::unique_ptr<Recorder>& run = runs[millions];
    if (run) return *run;
    run = std::make_unique<Recorder>();
    RuntimeConfig c;
    c.workers = 4;
    Runtime rt(c);
    rt.subscribe(*run);
    const int per_producer = 80'000 * millions;
    rt.block_on([](int n) -> Task<void> {
        auto [tx, rx] = mpsc::channel<int>(16, "jobs");
        for (int p = 0; p < 4; ++p)
            spawn("producer", [](mpsc::Sender<int> tx, int n) -> Task<void> {
                for (int i = 0; i < n; ++i) {
                    co_await work(std::chrono::microseconds(3));
                    co_await tx.send(i);
                }
            }(tx.clone(), n));
        tx.drop();
        auto shared = std::make_shared<mpsc::Receiver<int>>(std::move(rx));
        std::vector<JoinHandle<void>> consumers;
        for (int c = 0; c < 3; ++c)
            consumers.push_back(
                spawn("consumer", [](std::shared_ptr<mpsc::Receiver<int>> rx) -> Task<void> {
                    while (co_await rx->recv())
                        co_await work(std::chrono::microseconds(4));
                }(shared)));
        for (auto& h : consumers)
            co_await h;
    }(per_producer));
    return *run;
}

view::RunModel load(const Recorder& rec) {
    view::RunModel m;
    for (const Event& e : rec.events())
        m.on_event(e, rec.text(e.text));
    m.on_finish();
    return m;
}

/// About a million events on one mutex: six tasks taking it in turn, working inside
/// and outside it (the lock lane's holds, queue steps and hand-offs).
const view::RunModel& lock_model() {
    static const view::RunModel model = [] {
        Recorder rec;
        RuntimeConfig c;
        c.workers = 4;
        Runtime rt(c);
        rt.subscribe(rec);
        rt.block_on([]() -> Task<void> {
            Mutex m("state");
            std::vector<JoinHandle<void>> tasks;
            for (int t = 0; t < 6; ++t)
                tasks.push_back(spawn("locker", [](Mutex m, int t) -> Task<void> {
                    for (int i = 0; i < 20'000; ++i) {
                        auto guard = co_await m.lock();
                        co_await work(std::chrono::microseconds(1 + (i + t) % 3));
                        guard.unlock();
                        co_await work(std::chrono::microseconds(2));
                    }
                }(m, t)));
            for (auto& h : tasks)
                co_await h;
        }());
        return load(rec);
    }();
    return model;
}

const view::RunModel& big_model(int millions) {
    static std::map<int, std::unique_ptr<view::RunModel>> models;
    std::unique_ptr<view::RunModel>& model = models[millions];
    if (!model) model = std::make_unique<view::RunModel>(load(big_run(millions)));
    return *model;
}

/// Resident memory of this process, in MiB (VmRSS).
double rss_mib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    return 0;
}

/// One fold per repetition, on fresh memory: the last model is dropped and the freed
/// heap given back to the kernel (malloc_trim) before timing, as a new window has it.
void BM_LoadIntoViewModel(benchmark::State& state) {
    const int millions = static_cast<int>(state.range(0));
    const Recorder& rec = big_run(millions);
    std::size_t bytes = 0;
    std::optional<view::RunModel> model;
    for (auto _ : state) {
        state.PauseTiming();
        model.reset();
        ::malloc_trim(0);
        state.ResumeTiming();
        model.emplace(load(rec));
        bytes = model->memory_bytes();
        benchmark::DoNotOptimize(*model);
    }
    state.counters["events"] = static_cast<double>(rec.events().size());
    state.counters["bytes/event"] = static_cast<double>(bytes) / rec.events().size();
    state.counters["RSS MiB"] = rss_mib();
}

/// The frame's axis: `zoom` = visible fraction of the run (1 = fit to window).
view::TimeAxis frame_axis(const render::TimelineRenderer& renderer, const QImage& image,
                          double zoom) {
    const view::Time end = renderer.model().end_time();
    const view::Time span = static_cast<view::Time>(static_cast<double>(end) * zoom);
    const view::Time start = (end - span) / 2;
    return renderer.make_axis(start, start + span, image.width());
}

/// One 1600×900 frame, again and again (the indexes built before timing).
void paint_frame(benchmark::State& state, double zoom) {
    const view::RunModel& model = big_model(static_cast<int>(state.range(0)));
    const bool indexed = state.range(1) != 0;
    render::TimelineRenderer renderer(model);
    renderer.set_indexed(indexed);
    QImage image(1600, 900, QImage::Format_ARGB32_Premultiplied);
    const view::TimeAxis axis = frame_axis(renderer, image, zoom);
    {
        QPainter warm(&image);
        renderer.paint(warm, axis, QRectF(0, 0, image.width(), image.height()));
    }
    for (auto _ : state) {
        QPainter p(&image);
        renderer.paint(p, axis, QRectF(0, 0, image.width(), image.height()));
    }
    state.counters["blocks drawn"] = static_cast<double>(renderer.blocks_drawn());
    state.counters["events"] = static_cast<double>(model.run().events);
    state.counters["index bytes/event"] =
        static_cast<double>(renderer.index_bytes()) / static_cast<double>(model.run().events);
    state.SetLabel(indexed ? "indexed" : "walk (reference)");
}

void BM_PaintFrame_FitToWindow(benchmark::State& s) {
    paint_frame(s, 1.0);
}
/// The lock-heavy run's frame, fit to window (argument: indexed).
void BM_PaintFrame_Locks(benchmark::State& state) {
    const view::RunModel& model = lock_model();
    render::TimelineRenderer renderer(model);
    renderer.set_indexed(state.range(0) != 0);
    QImage image(1600, 900, QImage::Format_ARGB32_Premultiplied);
    const view::TimeAxis axis = frame_axis(renderer, image, 1.0);
    for (auto _ : state) {
        QPainter p(&image);
        renderer.paint(p, axis, QRectF(0, 0, image.width(), image.height()));
    }
    state.counters["events"] = static_cast<double>(model.run().events);
    state.SetLabel(state.range(0) ? "indexed" : "walk (reference)");
}
void BM_PaintFrame_ZoomedIn(benchmark::State& s) {
    paint_frame(s, 0.001);
}

/// The first frame, fit to window, of a new renderer: it builds the lanes' indexes.
void BM_PaintFrame_First(benchmark::State& state) {
    const view::RunModel& model = big_model(static_cast<int>(state.range(0)));
    QImage image(1600, 900, QImage::Format_ARGB32_Premultiplied);
    std::size_t index_bytes = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto renderer = std::make_unique<render::TimelineRenderer>(model);
        const view::TimeAxis axis = frame_axis(*renderer, image, 1.0);
        state.ResumeTiming();
        QPainter p(&image);
        renderer->paint(p, axis, QRectF(0, 0, image.width(), image.height()));
        p.end();
        index_bytes = renderer->index_bytes();
        state.PauseTiming();
        renderer.reset();
        state.ResumeTiming();
    }
    state.counters["events"] = static_cast<double>(model.run().events);
    state.counters["index bytes/event"] =
        static_cast<double>(index_bytes) / static_cast<double>(model.run().events);
}

}  // namespace

// Arguments: millions of events (1 or 10); for frames, whether the lanes' indexes are used.
BENCHMARK(BM_LoadIntoViewModel)
    ->ArgName("Mevents")
    ->Arg(1)
    ->Arg(10)
    ->Iterations(1)
    ->Repetitions(3)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PaintFrame_FitToWindow)
    ->ArgNames({"Mevents", "indexed"})
    ->ArgsProduct({{1, 10}, {0, 1}})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PaintFrame_ZoomedIn)
    ->ArgNames({"Mevents", "indexed"})
    ->ArgsProduct({{1, 10}, {0, 1}})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PaintFrame_Locks)->ArgName("indexed")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PaintFrame_First)->ArgName("Mevents")->Arg(1)->Arg(10)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
