// The main window, offscreen, as a person moves the playhead: the Stage shows
// exactly the still picture `spindle --export-stage --at T` draws once the
// playhead stops (after a pause, a scrub, a step, Home/End, a click in the ruler);
// a run opens at its start; the timeline never shows negative time; a cancelled
// run says so.
#include <catch2/catch.hpp>

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QMouseEvent>
#include <QSlider>
#include <QTableView>
#include <QTemporaryDir>

#include <functional>

#include "export.h"
#include "gui_theme.h"
#include "log_model.h"
#include "main_window.h"
#include "outcome.h"
#include "playback_bar.h"
#include "playback_controller.h"
#include "stage_model.h"
#include "stage_view.h"
#include "timeline/timeline_renderer.h"
#include "timeline_view.h"
#include "window_test_support.h"

using namespace spindle;
using namespace spindle::ui;

using window_test::open_and_wait;
using window_test::wait_until;
using window_test::widgets_available;

namespace {

constexpr view::Time kUs = 1'000;

/// Opens `path` and waits until the window shows its run; false on timeout.
/// The window's action with shortcut `key` (the transport's Home, End, ., ,).
QAction* action_for(MainWindow& w, Qt::Key key) {
    for (QAction* a : w.findChildren<QAction*>())
        if (a->shortcut() == QKeySequence(key)) return a;
    return nullptr;
}

/// The widget's picture of the stage and the exported one at its time and width
/// differ in this many pixels (the widget may be taller: only the exported height
/// is compared, and what lies below it must be background).
int pixels_differing(const view::RunModel& model, StageView& stage, view::Time t) {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("stage.png"));
    const int width = stage.width();
    const render::ExportResult written =
        render::export_stage_png(model, t, width, 1.0, path, QString(), gui_theme());
    REQUIRE(written);
    const QImage exported = QImage(path).convertToFormat(QImage::Format_RGB32);
    const QImage shown = stage.grab().toImage().convertToFormat(QImage::Format_RGB32);
    REQUIRE(exported.width() == shown.width());
    REQUIRE(exported.height() <= shown.height());
    int differing = 0;
    for (int y = 0; y < exported.height(); ++y)
        for (int x = 0; x < width; ++x)
            if (exported.pixel(x, y) != shown.pixel(x, y)) ++differing;
    const QRgb background = gui_theme().background.rgb();
    for (int y = exported.height(); y < shown.height(); ++y)
        for (int x = 0; x < width; ++x)
            if (shown.pixel(x, y) != background) ++differing;
    return differing;
}

/// The Stage shows exactly the still at the playhead: the snapshot it paints from
/// is the index's at(t, 0), and its pixels are the export's.
void check_stage_is_still(MainWindow& w, StageView& stage, const char* how) {
    INFO(how);
    const view::Time t = w.playback()->time();
    INFO("playhead at " << t << " ns");
    CHECK(stage.time() == t);
    const view::StageIndex index(*w.model());
    const bool same_snapshot = stage.snapshot() == index.at(t, 0);
    CHECK(same_snapshot);
    CHECK(pixels_differing(*w.model(), stage, t) == 0);
}

}  // namespace

TEST_CASE("window: the stage settles to the exported still whenever the playhead stops",
          "[window][stage]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    MainWindow w;
    w.resize(1600, 1000);
    w.show();
    REQUIRE(open_and_wait(w, QStringLiteral(SPINDLE_SOURCE_DIR "/scenarios/worker_pool.lua")));
    auto* stage = w.findChild<StageView*>();
    REQUIRE(stage);
    for (QDockWidget* d : w.docks())
        if (d->widget()->isAncestorOf(stage)) {
            d->show();
            d->raise();
        }
    QCoreApplication::processEvents();
    REQUIRE(stage->isVisible());
    REQUIRE(stage->width() > 300);
    PlaybackController* pb = w.playback();
    // The speed a person plays worker_pool at: chips glide over a good part of a
    // poll, so a stage cut mid-move is easy to catch.
    pb->set_speed(1e-3);

    // Playing, then paused: the chips finish their moves where they are going.
    pb->jump_to_start();
    pb->play();
    REQUIRE(wait_until([pb] { return pb->time() > 2900 * kUs; }, 20000));
    pb->pause();
    const view::StageIndex index(*w.model());
    const bool settled = wait_until([&] { return stage->snapshot() == index.at(pb->time(), 0); },
                                    5000);  // 300 ms is the promise; a loaded machine is slow
    CHECK(settled);
    check_stage_is_still(w, *stage, "paused while playing");

    // Scrubbing with the slider (the 3.099 ms: main and producer mid-move).
    auto* slider = w.findChild<QSlider*>();
    REQUIRE(slider);
    slider->setValue(
        static_cast<int>(3099 * kUs * slider->maximum() / std::max<view::Time>(pb->end(), 1)));
    CHECK_FALSE(pb->playing());
    check_stage_is_still(w, *stage, "scrubbed with the slider");

    // Stepping: each step lands on an event time, where something has just moved.
    QAction* step_forward = action_for(w, Qt::Key_Period);
    QAction* step_back = action_for(w, Qt::Key_Comma);
    REQUIRE(step_forward);
    REQUIRE(step_back);
    for (int i = 0; i < 4; ++i) {
        step_forward->trigger();
        check_stage_is_still(w, *stage, "stepped forward");
    }
    step_back->trigger();
    check_stage_is_still(w, *stage, "stepped back");

    // Home and End.
    QAction* home = action_for(w, Qt::Key_Home);
    QAction* end = action_for(w, Qt::Key_End);
    REQUIRE(home);
    REQUIRE(end);
    end->trigger();
    CHECK(pb->time() == pb->end());
    check_stage_is_still(w, *stage, "End");
    home->trigger();
    CHECK(pb->time() == 0);
    check_stage_is_still(w, *stage, "Home");

    // A click in the timeline's ruler, at about 1.5 ms, then 4.2 ms.
    TimelineView* timeline = w.timeline();
    const render::TimelineRenderer* renderer = timeline->renderer();
    REQUIRE(renderer);
    for (view::Time at : {1500 * kUs, 4200 * kUs}) {
        const double x = renderer->label_width() + timeline->axis().x(at);
        const double y = renderer->header_height() - renderer->theme().ruler_height / 2;
        const QPointF pos(x, y);
        const QPointF global = timeline->mapToGlobal(pos);
        QMouseEvent press(QEvent::MouseButtonPress, pos, global, Qt::LeftButton, Qt::LeftButton,
                          Qt::NoModifier);
        QCoreApplication::sendEvent(timeline, &press);
        QMouseEvent release(QEvent::MouseButtonRelease, pos, global, Qt::LeftButton, Qt::NoButton,
                            Qt::NoModifier);
        QCoreApplication::sendEvent(timeline, &release);
        CHECK(std::llabs(pb->time() - at) < 50 * kUs);
        check_stage_is_still(w, *stage, "clicked in the ruler");
    }
}

TEST_CASE("window: a run opens at its start, fitted, and Space plays it from there",
          "[window][playback]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    MainWindow w;
    w.resize(1600, 1000);
    w.show();
    REQUIRE(open_and_wait(w, QStringLiteral(SPINDLE_SOURCE_DIR "/scenarios/worker_pool.lua")));
    PlaybackController* pb = w.playback();
    const view::Time end = w.model()->end_time();
    REQUIRE(end > 0);
    CHECK(pb->time() == 0);
    CHECK_FALSE(pb->playing());
    // The timeline shows the whole run, the playhead's moment included.
    CHECK(w.timeline()->visible_start() <= 0);
    CHECK(w.timeline()->visible_end() >= end);
    CHECK(w.timeline()->visible_end() < end * 2);
    // The stage shows the start of the story, not every task done.
    auto* stage = w.findChild<StageView*>();
    REQUIRE(stage);
    CHECK(stage->time() == 0);
    CHECK(stage->snapshot().done < w.model()->tasks().size());
    auto* slider = w.findChild<QSlider*>();
    REQUIRE(slider);
    CHECK(slider->value() == 0);

    // Space plays from the beginning: the playhead leaves 0 and is early in the run.
    QAction* play = action_for(w, Qt::Key_Space);
    REQUIRE(play);
    pb->set_speed(1e-4);  // 0.1 ms of the run per second
    play->trigger();
    CHECK(pb->playing());
    REQUIRE(wait_until([pb] { return pb->time() > 0; }, 5000));
    play->trigger();
    CHECK_FALSE(pb->playing());
    CHECK(pb->time() < end / 2);

    // Re-running the same scenario keeps the moment being looked at.
    pb->set_time(end / 3);
    bool rerun_shown = false;
    QObject::connect(&w, &MainWindow::run_shown, &w, [&] { rerun_shown = true; });
    w.rerun();
    REQUIRE(wait_until([&] { return rerun_shown; }));
    CHECK(pb->time() == end / 3);

    // Opening a file (even the same one again) starts at its beginning.
    REQUIRE(open_and_wait(w, QStringLiteral(SPINDLE_SOURCE_DIR "/scenarios/deadlock.lua")));
    CHECK(pb->time() == 0);
}

TEST_CASE("window: fitting, zooming out and panning a 6 µs run never shows negative time",
          "[window][axis]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = window_test::write_file(dir, QStringLiteral("short.lua"),
                                                 "scenario{ name = \"short\", workers = 1 }\n"
                                                 "spawn(\"a\", function() work(0.001) end)\n"
                                                 "work(0.001)\n");
    REQUIRE_FALSE(path.isEmpty());
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    REQUIRE(open_and_wait(w, path));
    const view::Time end = w.model()->end_time();
    REQUIRE(end > 0);
    REQUIRE(end < 20 * kUs);
    TimelineView* timeline = w.timeline();
    auto shows_no_negative_time = [&](const char* after) {
        INFO(after << ": " << timeline->visible_start() << " to " << timeline->visible_end());
        CHECK(timeline->visible_start() >= 0);
        for (const view::TimeAxis::Tick& tick : timeline->axis().ticks())
            CHECK(tick.time >= 0);
    };
    shows_no_negative_time("opened");
    QAction* fit = action_for(w, Qt::Key_F);
    REQUIRE(fit);
    fit->trigger();
    shows_no_negative_time("fit");
    CHECK(timeline->visible_end() >= end);     // the whole run
    CHECK(timeline->visible_end() < end * 2);  // and not much else
    for (int i = 0; i < 12; ++i)
        timeline->zoom_out();
    shows_no_negative_time("zoomed out");
    CHECK(timeline->visible_end() - timeline->visible_start() <= 4 * end + 100);
    // Drag the view to the right (earlier times) for a long way.
    fit->trigger();
    for (int i = 0; i < 5; ++i) {
        const QPointF from(timeline->width() / 2.0, timeline->height() - 20.0);
        const QPointF to = from + QPointF(400, 0);
        QMouseEvent press(QEvent::MouseButtonPress, from, timeline->mapToGlobal(from),
                          Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(timeline, &press);
        QMouseEvent move(QEvent::MouseMove, to, timeline->mapToGlobal(to), Qt::NoButton,
                         Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(timeline, &move);
        QMouseEvent release(QEvent::MouseButtonRelease, to, timeline->mapToGlobal(to),
                            Qt::LeftButton, Qt::NoButton, Qt::NoModifier);
        QCoreApplication::sendEvent(timeline, &release);
    }
    shows_no_negative_time("panned");
    // Re-running keeps the view, and still shows no negative time.
    bool rerun_shown = false;
    QObject::connect(&w, &MainWindow::run_shown, &w, [&] { rerun_shown = true; });
    w.rerun();
    REQUIRE(wait_until([&] { return rerun_shown; }));
    shows_no_negative_time("re-run");
}

TEST_CASE("window: a cancelled run says cancelled, not budget exceeded", "[window][outcome]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = window_test::write_file(
        dir, QStringLiteral("forever.lua"),
        "scenario{ name = \"forever\", workers = 2 }\n"
        "for i = 1, 2 do spawn(\"spin \" .. i, function() while true do yield_now() end "
        "end) end\n");
    REQUIRE_FALSE(path.isEmpty());
    MainWindow w;
    w.show();
    bool shown = false;
    QObject::connect(&w, &MainWindow::run_shown, &w, [&shown] { shown = true; });
    w.open_file(path);
    REQUIRE(w.runner()->running());
    wait_until([] { return false; }, 200);  // let it run a little
    w.cancel_run();
    REQUIRE(wait_until([&] { return shown; }));
    REQUIRE(w.report()->status == session::RunStatus::cancelled);
    REQUIRE(w.model()->run().events > 0);

    const render::TimelineRenderer* renderer = w.timeline()->renderer();
    REQUIRE(renderer);
    const QString title = renderer->title_text();
    INFO(title.toStdString());
    CHECK(title.contains(QStringLiteral(" · cancelled · ")));
    CHECK_FALSE(title.contains(QStringLiteral("budget")));
    const QString banner = w.banner()->text();
    INFO(banner.toStdString());
    CHECK(banner.contains(QStringLiteral("cancelled")));
    CHECK_FALSE(banner.contains(QStringLiteral("udget")));
}

TEST_CASE("window: the log follows the playhead while playing", "[window][log]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path =
        window_test::write_file(dir, QStringLiteral("chatty.lua"),
                                "scenario{ name = \"chatty\", workers = 1 }\n"
                                "for i = 1, 300 do print(\"line \" .. i); sleep(1) end\n");
    REQUIRE_FALSE(path.isEmpty());
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    REQUIRE(open_and_wait(w, path));
    for (QDockWidget* d : w.docks())
        if (d->objectName() == QLatin1String("LogDock")) {
            d->show();
            d->raise();
        }
    QCoreApplication::processEvents();
    QTableView* log = w.log_view();
    REQUIRE(log->isVisible());
    REQUIRE(log->model()->rowCount() >= 300);
    // Only part of the log fits: following it means scrolling.
    REQUIRE(log->rowAt(log->viewport()->height() - 1) < 200);

    // The latest line at or before the playhead, from the times the model gives.
    auto latest_row = [&] {
        int row = -1;
        for (int r = 0; r < log->model()->rowCount(); ++r) {
            const qint64 t = log->model()->index(r, 0).data(LogModel::TimeRole).toLongLong();
            if (t >= 0 && t <= w.playback()->time()) row = r;
        }
        return row;
    };
    auto in_view = [&](int row) {
        const QRect cell = log->visualRect(log->model()->index(row, 0));
        return cell.isValid() && log->viewport()->rect().contains(cell);
    };

    PlaybackController* pb = w.playback();
    pb->set_speed(0.2);  // 200 ms of the run per second: a few lines a frame
    pb->play();
    REQUIRE(wait_until([pb] { return pb->time() > 250'000'000; }, 20000));
    pb->pause();
    const int row = latest_row();
    INFO("playhead " << pb->time() << " ns, latest line at row " << row);
    REQUIRE(row > 200);
    CHECK(in_view(row));
}
