// TimelineRenderer headless: lane order, geometry, hit-testing, level of detail.
#include <catch2/catch.hpp>

#include <QImage>
#include <QPainter>

#include <atomic>

#include "gui_test_support.h"
#include "lane/channel_lane.h"
#include "lane/task_lane.h"
#include "lane/worker_lane.h"
#include "outcome.h"
#include "run_session.h"
#include "timeline/timeline_renderer.h"

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
