// The main window, offscreen: every shipped scenario opens, runs, plays to the
// end, and every dock and the timeline render something. Also a file that does
// not exist (a banner, no crash) and the selection shared by timeline and tables.
#include <catch2/catch.hpp>

#include <QAbstractProxyModel>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QMimeData>
#include <QPalette>
#include <QTableView>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>

#include <functional>
#include <set>

#include "../support/write_failures.h"
#include "gui_theme.h"
#include "main_window.h"
#include "playback_controller.h"
#include "task_table_model.h"
#include "timeline/timeline_renderer.h"
#include "timeline_view.h"
#include "window_test_support.h"

using namespace spindle;
using namespace spindle::ui;

using window_test::open_and_wait;
using window_test::wait_until;
using window_test::widgets_available;

namespace {

/// Opens `path` and waits until the window shows its run; false on timeout.
/// Distinct colours in a widget's rendering (1: blank).
std::size_t colours(QWidget* widget) {
    const QImage image = widget->grab().toImage();
    if (image.isNull()) return 0;
    std::set<QRgb> seen;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3) {
            seen.insert(image.pixel(x, y));
            if (seen.size() > 16) return seen.size();
        }
    return seen.size();
}

}  // namespace

TEST_CASE("main window: every shipped scenario runs, plays and renders", "[main_window]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    const QDir dir(QStringLiteral(SPINDLE_SOURCE_DIR "/scenarios"));
    const QStringList files = dir.entryList({QStringLiteral("*.lua")}, QDir::Files, QDir::Name);
    REQUIRE(files.size() >= 5);

    MainWindow w;
    w.resize(1400, 900);
    w.show();
    for (const QString& file : files) {
        INFO(file.toStdString());
        const bool shown = open_and_wait(w, dir.filePath(file));
        REQUIRE(shown);
        REQUIRE(w.model());
        REQUIRE(w.report());
        CHECK(w.report()->status != session::RunStatus::load_error);
        CHECK(w.model()->end_time() > 0);
        CHECK(w.windowTitle().contains(file));
        // A deadlock (and only a bad outcome) raises the banner.
        const bool bad = w.report()->status != session::RunStatus::completed;
        CHECK(w.banner()->isVisible() == bad);

        // Play from the start to the end at full speed.
        PlaybackController* pb = w.playback();
        pb->jump_to_start();
        CHECK(pb->time() == 0);
        pb->set_speed(PlaybackController::kMaxSpeed);
        pb->play();
        const bool ended = wait_until([pb] { return !pb->playing(); }, 20000);
        CHECK(ended);
        CHECK(pb->time() == pb->end());
        pb->step_backward();
        CHECK(pb->time() < pb->end());
        pb->jump_to_end();

        QCoreApplication::processEvents();
        const std::size_t timeline_colours = colours(w.timeline());
        CHECK(timeline_colours > 4);
        for (QDockWidget* dock : w.docks()) {
            INFO(dock->objectName().toStdString());
            dock->show();
            dock->raise();
            QCoreApplication::processEvents();
            const std::size_t dock_colours = colours(dock);
            CHECK(dock_colours > 1);
        }
        CHECK(w.task_view()->model()->rowCount() == static_cast<int>(w.model()->tasks().size()));
    }
}

TEST_CASE("main window: a missing file shows a banner, not a crash", "[main_window]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    MainWindow w;
    w.show();
    const bool shown = open_and_wait(w, QStringLiteral("/nonexistent/none.lua"));
    REQUIRE(shown);
    CHECK(w.report()->status == session::RunStatus::load_error);
    CHECK(w.banner()->isVisible());
    CHECK(w.banner()->text().contains(QStringLiteral("none.lua")));
    CHECK(w.task_view()->model()->rowCount() == 0);
    const std::size_t placeholder_colours = colours(w.timeline());  // the placeholder text
    CHECK(placeholder_colours > 1);
}

TEST_CASE("main window: an empty scenario completes with a word, not silence", "[main_window]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = window_test::write_file(dir, QStringLiteral("empty.lua"), {});
    REQUIRE_FALSE(path.isEmpty());
    MainWindow w;
    w.show();
    REQUIRE(open_and_wait(w, path));
    CHECK(w.report()->status == session::RunStatus::completed);
    CHECK(w.banner()->isVisible());
    CHECK(w.banner()->text().contains(QStringLiteral("spawned no task and printed nothing")));
}

TEST_CASE("main window: selecting a task row selects it in the timeline", "[main_window]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    MainWindow w;
    w.show();
    const bool shown =
        open_and_wait(w, QStringLiteral(SPINDLE_SOURCE_DIR "/scenarios/worker_pool.lua"));
    REQUIRE(shown);
    QTableView* tasks = w.task_view();
    const int row = w.task_model()->row_of(6);  // the producer
    REQUIRE(row >= 0);
    auto* proxy = static_cast<QAbstractProxyModel*>(tasks->model());
    const QModelIndex index = proxy->mapFromSource(w.task_model()->index(row, 0));
    tasks->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    CHECK(w.timeline()->selected_task() == 6);
    CHECK(w.timeline()->selected_resource() == 0);

    // And back: the timeline's selection (here: cleared with Esc) reaches the table.
    w.timeline()->setFocus();
    QKeyEvent esc(QEvent::KeyPress, Qt::Key_Escape, Qt::NoModifier);
    QCoreApplication::sendEvent(w.timeline(), &esc);
    CHECK(w.timeline()->selected_task() == 0);
    CHECK_FALSE(tasks->selectionModel()->hasSelection());

    // Re-running keeps the selection and the zoom.
    const auto before = std::pair{w.timeline()->visible_start(), w.timeline()->visible_end()};
    w.timeline()->zoom_in();
    const auto zoomed = std::pair{w.timeline()->visible_start(), w.timeline()->visible_end()};
    CHECK(zoomed != before);
    bool rerun_shown = false;
    QObject::connect(&w, &MainWindow::run_shown, &w, [&] { rerun_shown = true; });
    w.rerun();
    const bool done = wait_until([&] { return rerun_shown; });
    REQUIRE(done);
    CHECK(w.timeline()->visible_start() == zoomed.first);
    CHECK(w.timeline()->visible_end() == zoomed.second);
}

TEST_CASE("main window: save the trace, export Chrome JSON, drop the trace back in",
          "[main_window]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    MainWindow w;
    w.show();
    QString error;
    const bool saved_nothing = w.save_trace_to(QStringLiteral("/tmp/never-written.spt"), &error);
    CHECK_FALSE(saved_nothing);  // no run yet
    CHECK_FALSE(error.isEmpty());

    const bool shown =
        open_and_wait(w, QStringLiteral(SPINDLE_SOURCE_DIR "/scenarios/deadlock.lua"));
    REQUIRE(shown);
    const std::uint64_t events = w.report()->events;
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString trace = dir.filePath(QStringLiteral("run.spt"));
    const QString json = dir.filePath(QStringLiteral("run.json"));
    const bool saved = w.save_trace_to(trace, &error);
    CHECK(saved);
    const bool exported = w.export_chrome_trace_to(json, &error);
    CHECK(exported);
    CHECK(QFileInfo(json).size() > 100);
    CHECK(test_support::temporaries_beside(trace.toStdString()) == 0);
    const bool unwritable = w.save_trace_to(QStringLiteral("/nonexistent/dir/run.spt"), &error);
    CHECK_FALSE(unwritable);

    // Dropping the saved trace on the window opens it: the same run, from the file.
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(trace)});
    QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&w, &enter);
    CHECK(enter.isAccepted());
    bool reopened = false;
    QObject::connect(&w, &MainWindow::run_shown, &w, [&] { reopened = true; });
    QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&w, &drop);
    const bool done = wait_until([&] { return reopened; });
    REQUIRE(done);
    CHECK(w.report()->from_trace());
    CHECK(w.report()->events == events);
    CHECK(w.report()->status == session::RunStatus::deadlock);
    CHECK(w.banner()->isVisible());
}

TEST_CASE("main window: the dark theme repaints every view and back", "[main_window]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    MainWindow w;
    w.resize(1200, 800);
    w.show();
    REQUIRE(open_and_wait(w, QStringLiteral(SPINDLE_SOURCE_DIR "/scenarios/worker_pool.lua")));
    QAction* dark = nullptr;
    for (QAction* a : w.findChildren<QAction*>())
        if (a->text() == QStringLiteral("&Dark Theme")) dark = a;
    REQUIRE(dark);
    auto corner = [&w] { return w.timeline()->grab().toImage().pixelColor(2, 2); };
    const QColor light_corner = corner();

    dark->setChecked(true);
    QCoreApplication::processEvents();
    CHECK(&gui_theme() == &render::Theme::dark());
    const QColor dark_corner = corner();
    CHECK(dark_corner.lightness() < 80);
    CHECK(light_corner.lightness() > 180);
    CHECK(w.timeline()->renderer()->theme().background == render::Theme::dark().background);
    CHECK(QApplication::palette().color(QPalette::Window).lightness() < 100);

    dark->setChecked(false);
    QCoreApplication::processEvents();
    CHECK(&gui_theme() == &render::Theme::light());
    CHECK(corner() == light_corner);
}
