// The lanes' level-of-detail indexes change how fast a frame is painted, never what
// it shows: every shipped scenario, a synthetic 200k-event run and a lock-heavy one,
// at several zooms and with a selection, painted with the indexes and with the
// straightforward walk over every item in view (TimelineRenderer::set_indexed(false),
// the reference), must give the same pixels; so must a model that grows between
// frames (a live run) with one renderer kept across them.
#include <catch2/catch.hpp>

#include <QDir>
#include <QImage>
#include <QPainter>

#include <chrono>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "gui_test_support.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/instrument/recorder.h"
#include "spindle/sync/mpsc.h"
#include "spindle/sync/mutex.h"
#include "timeline/timeline_renderer.h"

using namespace spindle;
using namespace spindle::render;
using spindle::test::scenario_model;

namespace {

QImage paint(const TimelineRenderer& r, const view::TimeAxis& axis) {
    QImage image(static_cast<int>(r.label_width() + axis.width()),
                 static_cast<int>(std::ceil(r.content_height())), QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    r.paint(p, axis);
    p.end();
    return image;
}

/// Pixels that differ; on any, both pictures are left in the temp dir to look at.
int differing_pixels(const QImage& a, const QImage& b, const QString& name) {
    if (a.size() != b.size()) return -1;
    int n = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x)
            n += a.pixel(x, y) != b.pixel(x, y);
    if (n > 0) {
        a.save(QDir::temp().filePath(name + QStringLiteral("-indexed.png")));
        b.save(QDir::temp().filePath(name + QStringLiteral("-walk.png")));
    }
    return n;
}

/// Views of a run ending at `end`: the whole run, then closer looks at various places.
std::vector<std::pair<view::Time, view::Time>> views_of(view::Time end) {
    end = std::max<view::Time>(end, 1000);
    return {{0, end + end / 50},
            {end / 7, end / 7 + end / 3},
            {end / 3, end / 3 + end / 40},
            {end / 2, end / 2 + std::max<view::Time>(end / 2000, 100)}};
}

/// Paints `model` at every view, indexed and walked, with `options`; checks the pixels.
void check_same_pictures(const view::RunModel& model, const std::string& name,
                         RenderOptions options) {
    TimelineRenderer indexed(model), walk(model);
    walk.set_indexed(false);
    indexed.set_options(options);
    walk.set_options(options);
    const auto views = views_of(model.end_time());
    for (std::size_t v = 0; v < views.size(); ++v) {
        const view::TimeAxis axis = indexed.make_axis(views[v].first, views[v].second, 1600);
        const QImage a = paint(indexed, axis), b = paint(walk, axis);
        INFO(name << ", view " << v << " [" << views[v].first << ", " << views[v].second << ")");
        REQUIRE(differing_pixels(a, b, QString::fromStdString(name) + QString::number(v)) == 0);
        CHECK(indexed.blocks_drawn() == walk.blocks_drawn());
    }
}

/// A synthetic run of about 200k events: producers, a bounded channel, consumers.
const Recorder& synthetic_run() {
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
                    for (int i = 0; i < 16'000; ++i) {
                        co_await work(std::chrono::microseconds(3 + i % 5));
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

/// Six tasks taking one mutex in turn (holds, a queue that comes and goes).
view::RunModel lock_run() {
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
                for (int i = 0; i < 3000; ++i) {
                    auto guard = co_await m.lock();
                    co_await work(std::chrono::microseconds(1 + (i * 7 + t) % 5));
                    guard.unlock();
                    co_await work(std::chrono::microseconds(1 + i % 4));
                }
            }(m, t)));
        for (auto& h : tasks)
            co_await h;
    }());
    view::RunModel model;
    for (const Event& e : rec.events())
        model.on_event(e, rec.text(e.text));
    model.on_finish();
    return model;
}

}  // namespace

TEST_CASE("A lock-heavy run paints the same pixels with the lanes' indexes as without",
          "[renderer][lod]") {
    const view::RunModel model = lock_run();
    REQUIRE(model.run().events > 100'000);
    check_same_pictures(model, "locks", RenderOptions{});
}

TEST_CASE("Every shipped scenario paints the same pixels with the lanes' indexes as without",
          "[renderer][lod]") {
    for (const char* name :
         {"worker_pool.lua", "backpressure.lua", "blocking.lua", "broadcast_bus.lua",
          "config_reload.lua", "deadlock.lua", "graceful_shutdown.lua", "lifo_slot.lua",
          "oneshot_request.lua", "rwlock_cache.lua", "select_race.lua", "work_stealing.lua"}) {
        const view::RunModel& model = scenario_model(name);
        RenderOptions options;
        options.legend = true;
        options.wake_arrows = true;
        check_same_pictures(model, name, options);
    }
}

TEST_CASE("A 200k-event run paints the same pixels with the lanes' indexes as without",
          "[renderer][lod]") {
    const Recorder& rec = synthetic_run();
    REQUIRE(rec.events().size() > 190'000);
    view::RunModel model;
    for (const Event& e : rec.events())
        model.on_event(e, rec.text(e.text));
    model.on_finish();
    check_same_pictures(model, "synthetic", RenderOptions{});
    // A selection dims everything else and outlines the selected task's polls.
    RenderOptions selected;
    selected.selected_task = 3;
    selected.selected_resource = 1;
    check_same_pictures(model, "synthetic-selected", selected);

    // The indexes are small: a few bytes for every hundred events.
    TimelineRenderer renderer(model);
    (void)paint(renderer, renderer.make_axis(0, model.end_time(), 1600));
    CHECK(renderer.index_bytes() > 0);
    CHECK(renderer.index_bytes() < rec.events().size());
}

TEST_CASE(
    "A growing run (live) paints the same pixels with one indexed renderer kept across "
    "frames",
    "[renderer][lod]") {
    const Recorder& rec = synthetic_run();
    const auto& events = rec.events();
    view::RunModel model;
    std::unique_ptr<TimelineRenderer> live;
    std::size_t fed = 0;
    for (int frame = 1; frame <= 12; ++frame) {
        // Uneven steps: some frames see a few events more, some many.
        const std::size_t to = frame == 12 ? events.size() : events.size() * frame * frame / 160;
        for (; fed < to; ++fed)
            model.on_event(events[fed], rec.text(events[fed].text));
        if (frame == 12) model.on_finish();
        // Kept without rebuild(): its lanes stay those of the run's first thousands of
        // events (every task and the channel exist by then), their indexes extend.
        if (!live && fed > 2000) live = std::make_unique<TimelineRenderer>(model);
        if (!live) continue;
        TimelineRenderer walk(model);
        walk.set_indexed(false);
        // The live view shows the whole run so far, and a close look at its end.
        const view::Time end = std::max<view::Time>(model.end_time(), 1000);
        for (const auto& [from, until] :
             {std::pair(view::Time{0}, end), std::pair(end - end / 500, end + end / 2000)}) {
            const view::TimeAxis axis = live->make_axis(from, until, 1400);
            INFO("frame " << frame << " after " << fed << " events, view [" << from << ", " << until
                          << ")");
            REQUIRE(differing_pixels(paint(*live, axis), paint(walk, axis),
                                     QStringLiteral("live%1").arg(frame)) == 0);
        }
    }
    REQUIRE(live);
}
