// The viewer on a ~1M-event run: time to load it into the view models, time to
// paint one timeline frame (fit to window, and zoomed in), and model memory per
// event. A QGuiApplication (offscreen) is needed for text, so this has its own main.
#include <benchmark/benchmark.h>

#include <QGuiApplication>
#include <QImage>
#include <QPainter>

#include <chrono>

#include "run_model.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/instrument/recorder.h"
#include "spindle/sync/mpsc.h"
#include "timeline/timeline_renderer.h"

using namespace spindle;

namespace {

/// About a million events: producers, a bounded channel and consumers on four workers.
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
                consumers.push_back(
                    spawn("consumer", [](std::shared_ptr<mpsc::Receiver<int>> rx) -> Task<void> {
                        while (co_await rx->recv())
                            co_await work(std::chrono::microseconds(4));
                    }(shared)));
            for (auto& h : consumers)
                co_await h;
        }());
        return r;
    }();
    return rec;
}

const view::RunModel& big_model() {
    static view::RunModel model = [] {
        view::RunModel m;
        const Recorder& rec = big_run();
        for (const Event& e : rec.events())
            m.on_event(e, rec.text(e.text));
        m.on_finish();
        return m;
    }();
    return model;
}

void BM_LoadIntoViewModel_1M(benchmark::State& state) {
    const Recorder& rec = big_run();
    std::size_t bytes = 0;
    for (auto _ : state) {
        view::RunModel model;
        for (const Event& e : rec.events())
            model.on_event(e, rec.text(e.text));
        model.on_finish();
        bytes = model.memory_bytes();
        benchmark::DoNotOptimize(model);
    }
    state.counters["events"] = static_cast<double>(rec.events().size());
    state.counters["bytes/event"] = static_cast<double>(bytes) / rec.events().size();
}

/// One 1600×900 frame; `zoom` = visible fraction of the run (1 = fit to window).
void paint_frame(benchmark::State& state, double zoom) {
    const view::RunModel& model = big_model();
    render::TimelineRenderer renderer(model);
    QImage image(1600, 900, QImage::Format_ARGB32_Premultiplied);
    const view::Time end = model.end_time();
    const view::Time span = static_cast<view::Time>(static_cast<double>(end) * zoom);
    const view::Time start = (end - span) / 2;
    const view::TimeAxis axis = renderer.make_axis(start, start + span, image.width());
    for (auto _ : state) {
        QPainter p(&image);
        renderer.paint(p, axis, QRectF(0, 0, image.width(), image.height()));
    }
    state.counters["blocks drawn"] = static_cast<double>(renderer.blocks_drawn());
    state.counters["events"] = static_cast<double>(model.run().events);
}

void BM_PaintFrame_FitToWindow(benchmark::State& s) {
    paint_frame(s, 1.0);
}
void BM_PaintFrame_ZoomedIn(benchmark::State& s) {
    paint_frame(s, 0.001);
}

}  // namespace

BENCHMARK(BM_LoadIntoViewModel_1M)->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PaintFrame_FitToWindow)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PaintFrame_ZoomedIn)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
