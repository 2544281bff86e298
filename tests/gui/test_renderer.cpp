// TimelineRenderer headless: lane order, geometry, hit-testing, level of detail,
// wake arrows.
#include <catch2/catch.hpp>

#include <QApplication>
#include <QImage>
#include <QMouseEvent>
#include <QPainter>
#include <QTemporaryDir>

#include <atomic>
#include <memory>

#include "export.h"
#include "gui_test_support.h"
#include "lane/channel_lane.h"
#include "lane/lock_lane.h"
#include "lane/task_lane.h"
#include "lane/worker_lane.h"
#include "outcome.h"
#include "run_session.h"
#include "spindle/lua/scenario.h"
#include "timeline/timeline_renderer.h"
#include "timeline_view.h"

using namespace spindle;
using namespace spindle::render;
using spindle::test::EventFeeder;
using spindle::test::scenario_model;

namespace {

/// Paints `r` over `axis` into an image of the timeline's size; returns the image.
QImage paint(const TimelineRenderer& r, const view::TimeAxis& axis) {
    QImage image(static_cast<int>(r.label_width() + axis.width()),
                 static_cast<int>(std::ceil(r.content_height())), QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    r.paint(p, axis);
    p.end();
    return image;
}

/// A run of `polls` short polls alternating between two tasks on two workers.
void feed_many_polls(view::RunModel& m, int polls) {
    EventFeeder f(m);
    f.emit_event(EventKind::run_start, 0, kNoWorker, 0, 0, 2, 1, "workers=2");
    f.emit_event(EventKind::worker_start, 0, 0);
    f.emit_event(EventKind::worker_start, 0, 1);
    f.emit_event(EventKind::task_spawn, 0, kNoWorker, 1, 0, 0, 0, "main");
    f.emit_event(EventKind::task_spawn, 0, kNoWorker, 2, 0, 0, 1, "spinner");
    for (int i = 0; i < polls; ++i) {
        const auto worker = static_cast<WorkerId>(i % 2);
        const auto task = static_cast<TaskId>(1 + i % 2);
        const std::int64_t t = std::int64_t{i} * 1000;
        f.emit_event(EventKind::poll_start, t, worker, task);
        f.emit_event(EventKind::poll_end, t + 600, worker, task, 1);
    }
    f.emit_event(EventKind::run_end, std::int64_t{polls} * 1000, kNoWorker, 0, 0);
    m.on_finish();
}

}  // namespace

TEST_CASE("lanes come as workers, blocking threads, tasks, then channels", "[gui][renderer]") {
    const view::RunModel& m = scenario_model("blocking.lua");
    TimelineRenderer r(m);
    const auto& lanes = r.lanes();
    REQUIRE_FALSE(lanes.empty());
    int order = 0;
    std::size_t workers = 0, blocking = 0, tasks = 0;
    for (const auto& lane : lanes) {
        const int k = static_cast<int>(lane->kind());
        CHECK(k >= order);
        order = k;
        workers += lane->kind() == Lane::Kind::worker;
        blocking += lane->kind() == Lane::Kind::blocking;
        tasks += lane->kind() == Lane::Kind::task;
    }
    std::size_t model_blocking = 0;
    for (const view::WorkerTrack& w : m.workers())
        model_blocking += w.role == WorkerRole::blocking;
    CHECK(workers + blocking == m.workers().size());
    CHECK(blocking == model_blocking);
    CHECK(blocking >= 1);
    CHECK(tasks == m.tasks().size());
    CHECK(lanes.front()->label() == QStringLiteral("thread 0"));
}

TEST_CASE("hit-test finds the task under a worker slice", "[gui][renderer]") {
    const view::RunModel& m = scenario_model("worker_pool.lua");
    TimelineRenderer r(m);
    const view::TimeAxis axis = r.make_axis(0, m.end_time(), 1600);
    // The widest poll on worker 0.
    const auto& polls = m.workers().at(0).polls;
    REQUIRE_FALSE(polls.empty());
    const view::PollSlice* widest = &polls.front();
    for (const view::PollSlice& s : polls)
        if (s.end - s.start > widest->end - widest->start) widest = &s;
    const int lane = r.worker_lane(0);
    REQUIRE(lane >= 0);
    const QRectF rect = r.lane_rect(axis, lane);
    REQUIRE_FALSE(rect.isEmpty());
    const QPointF at(rect.left() + axis.x((widest->start + widest->end) / 2), rect.center().y());
    CHECK(r.lane_at(at.y()) == lane);

    const Hit hit = r.hit_test(axis, at);
    CHECK(hit.task == widest->task);
    CHECK(hit.worker == 0);
    const QString name = QString::fromStdString(m.task(widest->task)->name);
    CHECK(hit.text.contains(name));
    CHECK(hit.text.contains(QStringLiteral("thread 0")));
}

TEST_CASE("hit-test on task and channel lanes describes what is there", "[gui][renderer]") {
    const view::RunModel& m = scenario_model("worker_pool.lua");
    TimelineRenderer r(m);
    const view::TimeAxis axis = r.make_axis(0, m.end_time(), 1600);
    int producer = -1, jobs = -1;
    for (std::size_t i = 0; i < r.lanes().size(); ++i) {
        if (r.lanes()[i]->label() == QStringLiteral("producer")) producer = static_cast<int>(i);
        if (r.lanes()[i]->label() == QStringLiteral("jobs")) jobs = static_cast<int>(i);
    }
    REQUIRE(producer >= 0);
    REQUIRE(jobs >= 0);

    // The producer waits on send while "jobs" is full: find such a span.
    const auto* lane = dynamic_cast<const TaskLane*>(r.lanes()[producer].get());
    REQUIRE(lane);
    const view::TaskInfo* t = m.task(lane->task());
    REQUIRE(t);
    const view::TaskSpan* waiting = nullptr;
    for (const view::TaskSpan& s : t->spans)
        if (s.state == view::TaskState::waiting && s.op == WaitOp::send &&
            (!waiting || s.end - s.start > waiting->end - waiting->start))
            waiting = &s;
    REQUIRE(waiting);
    const QRectF rect = r.lane_rect(axis, producer);
    const view::Time mid = (waiting->start + waiting->end) / 2;
    const Hit hit = r.hit_test(axis, QPointF(rect.left() + axis.x(mid), rect.center().y()));
    CHECK(hit.task == lane->task());
    CHECK(hit.text.contains(QStringLiteral("waiting: send on jobs")));

    const QRectF crect = r.lane_rect(axis, jobs);
    const Hit chit = r.hit_test(axis, QPointF(crect.left() + axis.x(mid), crect.center().y()));
    CHECK(chit.resource == dynamic_cast<const ChannelLane&>(*r.lanes()[jobs]).resource());
    CHECK(chit.text.contains(QStringLiteral("jobs")));

    // Over the label column: the lane's summary.
    const Hit label = r.hit_test(axis, QPointF(5, rect.center().y()));
    CHECK(label.task == lane->task());
    CHECK(label.text.contains(QStringLiteral("polls")));
    // Over nothing at all: empty.
    CHECK(r.hit_test(axis, QPointF(100, r.content_height() + 50)).empty());
}

TEST_CASE("level of detail: the drawn blocks are bounded by pixels, not events",
          "[gui][renderer]") {
    view::RunModel m;
    constexpr int kPolls = 200'000;
    feed_many_polls(m, kPolls);
    REQUIRE(m.workers().size() == 2);
    REQUIRE(m.workers()[0].polls.size() + m.workers()[1].polls.size() == kPolls);

    TimelineRenderer r(m);
    RenderOptions o;
    o.title = false;
    r.set_options(o);
    const double width = 800;
    const view::TimeAxis whole = r.make_axis(0, m.end_time(), width);
    paint(r, whole);
    const std::size_t lanes = r.lanes().size();
    const std::size_t zoomed_out = r.blocks_drawn();
    CHECK(zoomed_out > 0);
    CHECK(zoomed_out <= lanes * static_cast<std::size_t>(whole.width() + 2));
    CHECK(zoomed_out < kPolls / 100);

    // Zoomed in on 20 polls, each is its own block again.
    const view::TimeAxis close = r.make_axis(50'000, 70'000, width);
    paint(r, close);
    CHECK(r.blocks_drawn() >= 20);
    CHECK(r.blocks_drawn() <= 4 * 24);
}

TEST_CASE("collapsing the tasks removes their rows, and section headers are hit",
          "[gui][renderer]") {
    const view::RunModel& m = scenario_model("worker_pool.lua");
    TimelineRenderer r(m);
    const double expanded = r.content_height();
    const view::TimeAxis axis = r.make_axis(0, m.end_time(), 1200);
    int task_lane = -1;
    for (std::size_t i = 0; i < r.lanes().size(); ++i)
        if (r.lanes()[i]->kind() == Lane::Kind::task) {
            task_lane = static_cast<int>(i);
            break;
        }
    REQUIRE(task_lane >= 0);
    const double header_y = r.lane_rect(axis, task_lane).top() - 1;
    CHECK(r.section_at(header_y) == TimelineRenderer::Section::tasks);
    CHECK(r.lane_at(header_y) == -1);

    RenderOptions o = r.options();
    o.tasks_collapsed = true;
    r.set_options(o);
    CHECK(r.content_height() == Approx(expanded - m.tasks().size() * Theme::light().task_height));
    CHECK(r.lane_rect(axis, task_lane).isEmpty());
    CHECK(r.lanes().size() > static_cast<std::size_t>(task_lane));  // lanes kept, rows hidden
}

TEST_CASE("selection, wake arrows and the playhead change the picture", "[gui][renderer]") {
    const view::RunModel& m = scenario_model("worker_pool.lua");
    TimelineRenderer r(m);
    const view::TimeAxis axis = r.make_axis(0, m.end_time(), 1000);
    const QImage plain = paint(r, axis);

    RenderOptions o;
    o.wake_arrows = true;
    r.set_options(o);
    const QImage wakes = paint(r, axis);
    CHECK(wakes != plain);

    o = RenderOptions();
    o.playhead = m.end_time() / 2;
    o.selected_task = 2;
    r.set_options(o);
    const QImage selected = paint(r, axis);
    CHECK(selected != plain);
    CHECK(r.title_text().startsWith(QStringLiteral("worker_pool")));
}

TEST_CASE("an empty run paints a title and a placeholder", "[gui][renderer]") {
    view::RunModel m;
    TimelineRenderer r(m);
    r.set_title(QStringLiteral("broken"), QStringLiteral("broken.lua:1: syntax error"), true);
    CHECK(r.lanes().empty());
    CHECK(r.content_height() > r.header_height());
    const QImage image = paint(r, r.make_axis(0, 1000, 600));
    CHECK_FALSE(image.isNull());
    CHECK(r.title_text().startsWith(QStringLiteral("broken")));
    CHECK(r.hit_test(r.make_axis(0, 1000, 600), QPointF(300, r.content_height() - 5)).empty());
}

namespace {

/// The lane rectangle of task `id` in `r` over `axis` (empty when none).
QRectF task_lane_rect(const TimelineRenderer& r, const view::TimeAxis& axis, TaskId id) {
    for (std::size_t i = 0; i < r.lanes().size(); ++i)
        if (const auto* t = dynamic_cast<const TaskLane*>(r.lanes()[i].get()); t && t->task() == id)
            return r.lane_rect(axis, static_cast<int>(i));
    return {};
}

/// Whether, within 2 px of `at`, `on` has a pixel that differs from `off`'s (by more
/// than `by` in the sum of its channels) and is darker when `darker`.
bool changed_near(const QImage& on, const QImage& off, QPointF at, bool darker, int by = 30) {
    for (int dy = -2; dy <= 2; ++dy)
        for (int dx = -2; dx <= 2; ++dx) {
            const QPoint p(static_cast<int>(at.x()) + dx, static_cast<int>(at.y()) + dy);
            if (!on.rect().contains(p)) continue;
            const QColor a = on.pixelColor(p), b = off.pixelColor(p);
            const int diff = std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) +
                             std::abs(a.blue() - b.blue());
            if (diff > by && (!darker || a.lightness() < b.lightness())) return true;
        }
    return false;
}

}  // namespace

TEST_CASE("the wake arrows' primitives run from the waker's lane to the woken task's",
          "[gui][renderer][wakes]") {
    const view::RunModel& m = scenario_model("worker_pool.lua");
    // A stretch around the first wake between two tasks: few arrows, all drawn.
    const view::WakeArrow* first = nullptr;
    for (const view::WakeArrow& a : m.wakes())
        if (a.waker != 0 && a.waker != a.woken && a.to_time > a.from_time) {
            first = &a;
            break;
        }
    REQUIRE(first);
    const view::Time t0 = std::max<view::Time>(0, first->from_time - 20'000);
    const view::Time t1 = first->to_time + 20'000;

    TimelineRenderer r(m);
    RenderOptions o;
    o.wake_arrows = true;
    r.set_options(o);
    const view::TimeAxis axis = r.make_axis(t0, t1, 1000);
    const view::WakePlan plan = r.wake_plan(axis);
    CHECK_FALSE(plan.dense);
    REQUIRE_FALSE(plan.lines.empty());
    for (const view::WakeLine& line : plan.lines) {
        const view::WakeArrow& a = m.wakes()[line.wake];
        INFO("wake " << line.wake << ": task " << a.waker << " woke " << a.woken);
        CHECK(line.y0 != line.y1);  // across lanes
        const QRectF waker = task_lane_rect(r, axis, a.waker);
        const QRectF woken = task_lane_rect(r, axis, a.woken);
        CHECK((waker.top() < line.y0 && line.y0 < waker.bottom()));
        CHECK((woken.top() < line.y1 && line.y1 < woken.bottom()));
        CHECK(line.x0 == Approx(axis.x(a.from_time)));
        CHECK(line.x1 == Approx(axis.x(a.to_time)));
    }
}

TEST_CASE("an exported timeline draws each wake as an arrow between the two tasks' lanes",
          "[gui][export][wakes]") {
    const view::RunModel& m = scenario_model("worker_pool.lua");
    const view::WakeArrow* first = nullptr;
    for (const view::WakeArrow& a : m.wakes())
        if (a.waker != 0 && a.waker != a.woken && a.to_time > a.from_time) {
            first = &a;
            break;
        }
    REQUIRE(first);
    ExportOptions options;
    options.width = 1000;
    options.pixel_ratio = 1;
    options.range =
        std::pair{std::max<view::Time>(0, first->from_time - 20'000), first->to_time + 20'000};
    options.render.wake_arrows = true;
    QTemporaryDir dir;
    const QString with = dir.filePath(QStringLiteral("with.png"));
    const QString without = dir.filePath(QStringLiteral("without.png"));
    REQUIRE(export_timeline(m, options, with).ok);
    options.render.wake_arrows = false;
    REQUIRE(export_timeline(m, options, without).ok);
    const QImage on(with), off(without);
    REQUIRE(on.size() == off.size());

    // The same layout as the export, to find the lanes in the picture.
    TimelineRenderer r(m);
    r.set_options(options.render);
    const view::TimeAxis axis =
        r.make_axis(options.range->first, options.range->second, options.width);
    // Along the path from the waker's lane at the wake to the woken task's lane at
    // its next poll, the picture changed; somewhere on it, to a darker line.
    int arrows = 0;
    for (const view::WakeArrow& a : m.wakes()) {
        if (a.waker == 0 || a.waker == a.woken || a.to_time < 0) continue;
        if (a.from_time < axis.start() || a.to_time > axis.end()) continue;
        const QPointF from(r.label_width() + axis.x(a.from_time),
                           task_lane_rect(r, axis, a.waker).center().y());
        const QPointF to(r.label_width() + axis.x(a.to_time),
                         task_lane_rect(r, axis, a.woken).center().y());
        INFO("task " << a.waker << " woke " << a.woken << " at " << a.from_time);
        int darker = 0;
        for (double k : {0.25, 0.5, 0.75}) {
            const QPointF at = from + k * (to - from);
            CHECK(changed_near(on, off, at, false));
            darker += changed_near(on, off, at, true, 60) ? 1 : 0;
        }
        CHECK(darker > 0);
        ++arrows;
    }
    CHECK(arrows > 0);
}

TEST_CASE("dense wake arrows are drawn for the selected or hovered task only",
          "[gui][renderer][wakes]") {
    const view::RunModel& m = scenario_model("worker_pool.lua");
    TimelineRenderer r(m);
    RenderOptions o;
    o.wake_arrows = true;
    r.set_options(o);
    const view::TimeAxis axis = r.make_axis(0, m.end_time(), 600);
    const view::WakePlan all = r.wake_plan(axis);
    REQUIRE(all.dense);  // the whole run in 600 px
    CHECK(all.lines.empty());

    TaskId worker = 0;
    for (const view::TaskInfo& t : m.tasks())
        if (t.name == "worker 2") worker = t.id;
    REQUIRE(worker != 0);
    for (bool hover : {false, true}) {
        o.selected_task = hover ? 0 : worker;
        o.hovered_task = hover ? worker : 0;
        r.set_options(o);
        const view::WakePlan mine = r.wake_plan(axis);
        REQUIRE_FALSE(mine.lines.empty());
        for (const view::WakeLine& line : mine.lines) {
            const view::WakeArrow& a = m.wakes()[line.wake];
            CHECK((a.waker == worker || a.woken == worker));
        }
    }

    // With the tasks collapsed, arrows join worker lanes (different threads only).
    o.tasks_collapsed = true;
    r.set_options(o);
    const view::TimeAxis zoom = r.make_axis(0, m.end_time() / 20, 1000);
    for (const view::WakeLine& line : r.wake_plan(zoom).lines) {
        const view::WakeArrow& a = m.wakes()[line.wake];
        CHECK(a.from_worker != a.to_worker);
        CHECK(r.lane_rect(zoom, r.worker_lane(a.from_worker))
                  .contains(QPointF(r.label_width() + 1, line.y0)));
    }
}

TEST_CASE("the timeline view tells its renderer which task the mouse is over",
          "[gui][renderer][wakes]") {
    auto model = std::make_shared<view::RunModel>();
    {
        lua::ScenarioOptions options;
        options.path = std::string(SPINDLE_SOURCE_DIR) + "/scenarios/worker_pool.lua";
        options.sinks.push_back(model.get());
        (void)lua::run_scenario(options);
    }
    ui::TimelineView v;
    v.resize(1000, 700);
    v.show();
    v.set_model(model);
    v.set_wake_arrows(true);
    const TimelineRenderer* r = v.renderer();
    REQUIRE(r);
    int lane = -1;
    TaskId task = 0;
    for (std::size_t i = 0; i < r->lanes().size() && lane < 0; ++i)
        if (const auto* t = dynamic_cast<const TaskLane*>(r->lanes()[i].get());
            t && model->task(t->task())->name == "producer") {
            lane = static_cast<int>(i);
            task = t->task();
        }
    REQUIRE(lane >= 0);
    const QRectF rect = r->lane_rect(v.axis(), lane);
    REQUIRE_FALSE(rect.isEmpty());
    const QPointF over(rect.left() + rect.width() / 3, rect.center().y());
    QMouseEvent move(QEvent::MouseMove, over, v.mapToGlobal(over), Qt::NoButton, Qt::NoButton,
                     Qt::NoModifier);
    QApplication::sendEvent(&v, &move);
    CHECK(v.renderer()->options().hovered_task == task);
    QEvent leave(QEvent::Leave);
    QApplication::sendEvent(&v, &leave);
    CHECK(v.renderer()->options().hovered_task == 0);
}

TEST_CASE("the title says how the run ended, in the session's words", "[gui][renderer]") {
    // A cancelled run ends, in its events, like one over budget: only the session knows.
    session::RunRequest request;
    request.source = session::RunRequest::Source::scenario_source;
    request.path = "forever.lua";
    request.text = "spawn('spin', function() while true do yield_now() end end)\n";
    std::atomic<bool> cancel{true};
    session::SessionOptions options;
    options.cancel = &cancel;
    const session::Session cancelled = session::run_session(request, options);
    REQUIRE(cancelled.report.status == session::RunStatus::cancelled);
    REQUIRE(cancelled.model);
    TimelineRenderer r(*cancelled.model);
    r.set_status(cancelled.report.status);
    INFO(r.title_text().toStdString());
    CHECK(r.title_text().contains(QStringLiteral(" · cancelled · ")));
    CHECK_FALSE(r.title_text().contains(QStringLiteral("budget")));

    // Over budget, with or without the session's word, it says so.
    request.budgets.events = 1000;
    const session::Session over = session::run_session(request);
    REQUIRE(over.report.status == session::RunStatus::budget_exceeded);
    TimelineRenderer from_events(*over.model);
    CHECK(from_events.title_text().contains(QStringLiteral(" · budget exceeded · ")));
    from_events.set_status(over.report.status);
    CHECK(from_events.title_text().contains(QStringLiteral(" · budget exceeded · ")));

    // Every finished run's word is session::word of its status.
    const view::RunModel& deadlock = scenario_model("deadlock.lua");
    CHECK(TimelineRenderer(deadlock).title_text().contains(
        QStringLiteral(" · %1 · ")
            .arg(QString::fromUtf8(
                session::word(session::RunStatus::deadlock).data(),
                static_cast<qsizetype>(session::word(session::RunStatus::deadlock).size())))));
}

TEST_CASE("rwlock_cache has a lock lane: holders in their colours, waiters in the hit-test",
          "[gui][renderer][lock]") {
    const view::RunModel& m = scenario_model("rwlock_cache.lua");
    TimelineRenderer r(m);
    const view::TimeAxis axis = r.make_axis(0, m.end_time(), 1600);
    int lane = -1;
    for (std::size_t i = 0; i < r.lanes().size(); ++i)
        if (r.lanes()[i]->kind() == Lane::Kind::lock && r.lanes()[i]->label() == "cache")
            lane = static_cast<int>(i);
    REQUIRE(lane >= 0);
    const auto& lock = dynamic_cast<const LockLane&>(*r.lanes()[static_cast<std::size_t>(lane)]);
    const view::ResourceTrack* cache = m.resource(lock.resource());
    REQUIRE(cache);
    const QRectF rect = r.lane_rect(axis, lane);
    REQUIRE(rect.height() > 0);

    // The writer's hold: the hit names the refresher, writing, and the readers queued
    // behind it; the picture has the refresher's colour there.
    const view::HoldSpan* write = nullptr;
    for (const view::HoldSpan& h : cache->holds)
        if (h.mode == LockMode::exclusive) write = &h;
    REQUIRE(write);
    const view::Time mid = (write->start + write->end) / 2;
    const QPointF at(rect.left() + axis.x(mid), rect.top() + rect.height() * 0.4);
    const Hit hit = r.hit_test(axis, at);
    CHECK(hit.task == write->task);
    CHECK(hit.resource == lock.resource());
    INFO(hit.text.toStdString());
    CHECK(hit.text.startsWith(QStringLiteral("cache: held by refresher (write) ")));
    const auto queued = cache->waiters.waiting_at(mid).size();
    CHECK(queued >= 1);
    CHECK(hit.text.contains(QStringLiteral("; %1 waiting: reader ").arg(queued)));
    const QImage image = paint(r, axis);
    CHECK(image.pixelColor(at.toPoint()) == r.theme().task_colour(write->task));

    // While the writer waits for the readers to leave: several readers hold it, and
    // the writer is named among the waiters.
    const view::LockWait* writer_wait = nullptr;
    for (const view::LockWait& w : cache->waiters.waits())
        if (w.op == WaitOp::write && w.end - w.start > 100'000) writer_wait = &w;
    REQUIRE(writer_wait);
    const view::Time t = writer_wait->start + 50'000;
    const Hit during = r.hit_test(axis, QPointF(rect.left() + axis.x(t), rect.bottom() - 4));
    INFO(during.text.toStdString());
    CHECK(during.text.contains(QStringLiteral("(read)")));
    CHECK(during.text.contains(QStringLiteral("waiting: refresher (write)")));
    // Over the label column: the lane's summary.
    const Hit label = r.hit_test(axis, QPointF(5, rect.center().y()));
    CHECK(label.resource == lock.resource());
    CHECK(label.text.contains(QStringLiteral("rwlock")));
}

TEST_CASE("a deadlock's stuck waits run past the end and say what they wait on",
          "[gui][renderer][deadlock]") {
    const view::RunModel& m = scenario_model("deadlock.lua");
    TimelineRenderer r(m);
    REQUIRE(r.deadlock().stuck.size() == 2);
    CHECK(r.room_after_end() > m.end_time() / 50);
    const view::Time end = m.end_time() + r.room_after_end();
    const view::TimeAxis axis = r.make_axis(0, end, 1600);
    int lane = -1;
    for (std::size_t i = 0; i < r.lanes().size(); ++i)
        if (r.lanes()[i]->label() == QStringLiteral("transfer a->b")) lane = static_cast<int>(i);
    REQUIRE(lane >= 0);
    const QRectF rect = r.lane_rect(axis, lane);
    REQUIRE_FALSE(rect.isEmpty());
    // Past the run's last event, near the right edge: the wait goes on.
    const QPointF past(rect.right() - 10, rect.center().y());
    REQUIRE(axis.time(past.x() - r.label_width()) > m.end_time());
    const Hit hit = r.hit_test(axis, past);
    INFO(hit.text.toStdString());
    CHECK(hit.text.contains(QStringLiteral("stuck")));
    CHECK(hit.text.contains(QStringLiteral("lock on account b")));
    CHECK(hit.text.contains(QStringLiteral("held by transfer b->a")));
    CHECK(hit.task == static_cast<const TaskLane&>(*r.lanes()[lane]).task());
    CHECK(hit.resource != 0);
    // Painted: the stuck span is hatched in the alert colour past the end, not empty.
    const QImage image = paint(r, axis);
    const QColor at =
        image.pixelColor(static_cast<int>(past.x()), static_cast<int>(rect.top() + 7));
    CHECK(at != r.theme().background);
    CHECK(at != r.theme().lane_alt);
    // The lock it wants stays held past the end too, in its holder's colour family.
    int account_b = -1;
    for (std::size_t i = 0; i < r.lanes().size(); ++i)
        if (r.lanes()[i]->kind() == Lane::Kind::lock &&
            r.lanes()[i]->label() == QStringLiteral("account b"))
            account_b = static_cast<int>(i);
    REQUIRE(account_b >= 0);
    const QRectF held = LockLane::hold_band(r.lane_rect(axis, account_b));
    const QColor held_at =
        image.pixelColor(static_cast<int>(held.right() - 4), static_cast<int>(held.center().y()));
    CHECK(held_at != r.theme().background);
    CHECK(held_at != r.theme().lane_alt);
    CHECK(held_at.green() > held_at.red());  // transfer b->a's green, not the alert red
    // The title's tooltip has the whole report; the note under it is the short line.
    const QString title = r.hit_test(axis, QPointF(20, 5)).text;
    CHECK(title.contains(QStringLiteral("cycle:")));
}

TEST_CASE("a request's reply channel sits right under the client that made it",
          "[gui][renderer][lanes]") {
    const view::RunModel& m = scenario_model("oneshot_request.lua");
    TimelineRenderer r(m);
    // The reply channels sit under their clients: "↳ set reply 1" right after "client 1".
    int client = -1;
    for (std::size_t i = 0; i < r.lanes().size(); ++i)
        if (r.lanes()[i]->label() == QStringLiteral("client 1")) client = static_cast<int>(i);
    REQUIRE(client >= 0);
    REQUIRE(static_cast<std::size_t>(client + 1) < r.lanes().size());
    CHECK(r.lanes()[client + 1]->kind() == Lane::Kind::channel);
    CHECK(r.lanes()[client + 1]->label().endsWith(QStringLiteral("set reply 1")));
}

TEST_CASE("idle channels share one row whose tooltip names them", "[gui][renderer][lanes]") {
    view::RunModel m;
    lua::ScenarioOptions options;
    options.sinks.push_back(&m);
    const std::string script = R"(
local used_tx, used_rx = mpsc.channel(2, "used")
local spare_tx, spare_rx = mpsc.channel(2, "spare")
local unused_tx, unused_rx = mpsc.channel(2, "unused")
used_tx:send(1)
used_rx:recv()
)";
    lua::run_scenario_source(script, "idle.lua", options);
    REQUIRE(m.run().outcome == RunOutcome::completed);
    TimelineRenderer r(m);
    int idle_rows = 0, channel_lanes = 0;
    QString tooltip;
    for (const auto& lane : r.lanes()) {
        if (lane->kind() == Lane::Kind::channel) {
            ++channel_lanes;
            CHECK(lane->label() == QStringLiteral("used"));
        }
        if (lane->kind() == Lane::Kind::idle_channels) {
            ++idle_rows;
            CHECK(lane->label() == QStringLiteral("idle channels"));
        }
    }
    CHECK(channel_lanes == 1);
    REQUIRE(idle_rows == 1);
    // Hover the idle row: it lists both channels.
    const view::TimeAxis axis = r.make_axis(0, m.end_time(), 1200);
    const int last = static_cast<int>(r.lanes().size()) - 1;
    REQUIRE(r.lanes()[last]->kind() == Lane::Kind::idle_channels);
    const QRectF rect = r.lane_rect(axis, last);
    tooltip = r.hit_test(axis, rect.center()).text;
    INFO(tooltip.toStdString());
    CHECK(tooltip.contains(QStringLiteral("spare")));
    CHECK(tooltip.contains(QStringLiteral("unused")));
    CHECK_FALSE(tooltip.contains(QStringLiteral("\nused (")));
}

TEST_CASE("lock lane count labels: centred, kept in the row, never half under the labels",
          "[gui][renderer]") {
    using render::place_count_label;
    // Centred on the peak; kept inside a stretch it fits.
    CHECK(*place_count_label(300, 500, 400, 60, 200, 1000, -1e9) == Approx(370));
    CHECK(*place_count_label(300, 500, 310, 60, 200, 1000, -1e9) == Approx(300));
    // A narrow stretch at the row's left edge: the label would stick out to the left.
    CHECK_FALSE(place_count_label(200, 240, 220, 60, 200, 1000, -1e9));
    // ... unless what shows of the stretch holds it: then it starts at the edge.
    CHECK(*place_count_label(150, 280, 215, 70, 200, 1000, -1e9) == Approx(200));
    // Never over the previous label, never past the row's end.
    CHECK_FALSE(place_count_label(300, 500, 400, 60, 200, 1000, 380));
    CHECK_FALSE(place_count_label(950, 1200, 990, 60, 200, 1000, -1e9));
}
