// The Explain dock in the window: selecting a task (in the Tasks table or by a click
// on its lane) explains its waits as chains of causes, its links move the playhead and
// the selection, and the timeline draws the selected task's critical path.
#include <catch2/catch.hpp>

#include <QDockWidget>
#include <QImage>
#include <QItemSelectionModel>
#include <QPainter>
#include <QSortFilterProxyModel>
#include <QTableView>

#include "critical_path.h"
#include "explain_dock.h"
#include "gui_test_support.h"
#include "main_window.h"
#include "playback_controller.h"
#include "run_table_model.h"
#include "timeline/timeline_renderer.h"
#include "timeline_view.h"
#include "window_test_support.h"

using namespace spindle;
using namespace spindle::ui;
using window_test::open_and_wait;
using window_test::wait_until;
using window_test::widgets_available;

namespace {

QDockWidget* dock_named(MainWindow& w, const QString& name) {
    for (QDockWidget* d : w.docks())
        if (d->objectName() == name) return d;
    return nullptr;
}

}  // namespace

TEST_CASE("window: the Explain dock explains the task selected in the Tasks table",
          "[window][explain]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    MainWindow w;
    w.resize(1600, 1000);
    w.show();
    REQUIRE(open_and_wait(w, QStringLiteral(SPINDLE_SOURCE_DIR "/scenarios/worker_pool.lua")));
    QDockWidget* dock = dock_named(w, QStringLiteral("ExplainDock"));
    REQUIRE(dock);
    auto* explain = qobject_cast<ExplainView*>(dock->widget());
    REQUIRE(explain);
    const view::RunModel& m = *w.timeline()->model();
    const auto producer = view::find_task(m, "producer");
    REQUIRE(producer);
    CHECK(explain->task() == 0);

    // Pick the producer's row in the Tasks table.
    QDockWidget* tasks = dock_named(w, QStringLiteral("TasksDock"));
    REQUIRE(tasks);
    auto* table = qobject_cast<QTableView*>(tasks->widget());
    REQUIRE(table);
    QModelIndex row;
    for (int r = 0; r < table->model()->rowCount(); ++r) {
        const QModelIndex i = table->model()->index(r, 0);
        if (i.data(RunTableModel::IdRole).toUInt() == *producer) row = i;
    }
    REQUIRE(row.isValid());
    table->selectionModel()->setCurrentIndex(
        row, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QCoreApplication::processEvents();
    CHECK(explain->task() == *producer);
    const QString text = explain->plain_text();
    CHECK(text.contains(QStringLiteral("Where its time went")));
    CHECK(text.contains(QStringLiteral("producer waited ")));
    CHECK(text.contains(
        QStringLiteral("in `send` on jobs: the buffer was full (4 of 4); woken by worker ")));
    // The chain goes back a link: the worker that freed the slot had waited itself.
    CHECK(text.contains(QStringLiteral(" had waited ")));
    CHECK(text.contains(QStringLiteral("Critical path to its end")));

    // The timeline draws the producer's critical path, ending where the producer ends.
    const auto& path = w.timeline()->renderer()->critical_path();
    REQUIRE_FALSE(path.empty());
    CHECK(path.back().task == *producer);
    CHECK(path.back().end == *m.task(*producer)->ended);
    CHECK(path.front().start == 0);
}

TEST_CASE("window: a click on a waiting span explains that wait, and links move the playhead",
          "[window][explain]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    MainWindow w;
    w.resize(1600, 1000);
    w.show();
    REQUIRE(open_and_wait(w, QStringLiteral(SPINDLE_SOURCE_DIR "/scenarios/worker_pool.lua")));
    auto* explain = w.findChild<ExplainView*>();
    REQUIRE(explain);
    const view::RunModel& m = *w.timeline()->model();
    const TaskId producer = *view::find_task(m, "producer");
    // The producer's first wait on send.
    const view::TaskSpan* wait = nullptr;
    for (const view::TaskSpan& s : m.task(producer)->spans)
        if (!wait && s.state == view::TaskState::waiting && s.op == WaitOp::send) wait = &s;
    REQUIRE(wait);
    const view::Time mid = (wait->start + wait->end) / 2;
    Q_EMIT w.timeline()->selection_changed(producer, 0);
    Q_EMIT w.timeline()->task_clicked(producer, mid);
    QCoreApplication::processEvents();
    const QString text = explain->plain_text();
    REQUIRE(text.contains(QStringLiteral("This wait")));
    const QString first = QString::fromStdString(
        view::explain_wait(m, producer,
                           static_cast<std::size_t>(wait - m.task(producer)->spans.data()))
            .front()
            .text());
    CHECK(text.indexOf(first) > text.indexOf(QStringLiteral("This wait")));

    // Links: the waker named in the chain, at the wake.
    int waker_link = -1;
    const auto& links = explain->links();
    for (std::size_t i = 0; i < links.size() && waker_link < 0; ++i)
        if (links[i].task != 0 && links[i].task != producer && links[i].time == wait->end)
            waker_link = static_cast<int>(i);
    REQUIRE(waker_link >= 0);
    const TaskId waker = links[static_cast<std::size_t>(waker_link)].task;
    explain->activate_link(waker_link);
    QCoreApplication::processEvents();
    CHECK(w.playback()->time() == wait->end);
    CHECK(w.timeline()->selected_task() == waker);
    CHECK(explain->task() == waker);
}

TEST_CASE("renderer: critical_path_task draws the path over the task lanes",
          "[renderer][explain]") {
    const view::RunModel& m = spindle::test::scenario_model("worker_pool.lua");
    const TaskId producer = *view::find_task(m, "producer");
    auto paint = [&](TaskId path_task) {
        render::TimelineRenderer r(m);
        render::RenderOptions o;
        o.selected_task = producer;
        o.critical_path_task = path_task;
        r.set_options(o);
        const view::TimeAxis axis = r.make_axis(0, m.end_time(), 1200);
        QImage img(1200, static_cast<int>(r.content_height()), QImage::Format_RGB32);
        QPainter p(&img);
        r.paint(p, axis);
        return std::pair{img, r.critical_path()};
    };
    const auto [plain, none] = paint(0);
    const auto [with_path, path] = paint(producer);
    CHECK(none.empty());
    REQUIRE_FALSE(path.empty());
    CHECK(path == view::critical_path(m, producer));
    // The path's colour (the theme's warn) appears only when the path is drawn.
    const QColor warn = render::Theme::light().warn;
    auto count = [&](const QImage& img) {
        int n = 0;
        for (int y = 0; y < img.height(); ++y)
            for (int x = 0; x < img.width(); ++x)
                n += QColor(img.pixel(x, y)) == warn;
        return n;
    };
    CHECK(count(plain) == 0);
    CHECK(count(with_path) > 200);
}
