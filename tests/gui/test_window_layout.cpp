// The window's layout, offscreen: the docks come back exactly as they were left,
// launch after launch; View > Reset Layout brings back the default; shrinking the
// window and growing it again gives the docks back their room; and the first
// window, sized from the screen, shows the Stage at full size beside a timeline
// wide enough to read.
#include <catch2/catch.hpp>

#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QMainWindow>
#include <QMap>
#include <QScreen>
#include <QSettings>
#include <QString>

#include "charts_view.h"
#include "main_window.h"
#include "stage_view.h"
#include "timeline_view.h"
#include "window_layout.h"
#include "window_test_support.h"

using namespace spindle::ui;
using window_test::forget_settings;
using window_test::settle;
using window_test::wait_until;
using window_test::widgets_available;

namespace {

/// Where each dock sits in the window ("hidden" when closed or behind a tab).
using DockGeometry = QMap<QString, QString>;

DockGeometry dock_geometry(MainWindow& w) {
    DockGeometry g;
    g[QStringLiteral("window")] =
        QStringLiteral("%1x%2").arg(w.size().width()).arg(w.size().height());
    for (QDockWidget* d : w.docks()) {
        const QRect r = d->geometry();
        if (!d->isVisible())
            g[d->objectName()] = QStringLiteral("hidden");
        else if (d->isFloating())
            g[d->objectName()] = QStringLiteral("floating");
        else if (!w.rect().intersects(r))  // a tab not in front: Qt parks it off the window
            g[d->objectName()] = QStringLiteral("behind a tab");
        else
            g[d->objectName()] =
                QStringLiteral("%1,%2 %3x%4").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
    }
    return g;
}

std::string describe(const DockGeometry& g) {
    std::string s;
    for (auto it = g.begin(); it != g.end(); ++it)
        s += it.key().toStdString() + "=" + it.value().toStdString() + " ";
    return s;
}

QDockWidget* dock(MainWindow& w, const char* name) {
    for (QDockWidget* d : w.docks())
        if (d->objectName() == QLatin1String(name)) return d;
    return nullptr;
}

/// Shows `w` and lets its layout settle (and a restored state be applied).
void show_and_settle(MainWindow& w) {
    w.show();
    settle(200);
}

QAction* action(QWidget& w, const QString& text) {
    for (QAction* a : w.findChildren<QAction*>())
        if (a->text() == text) return a;
    return nullptr;
}

}  // namespace

TEST_CASE("window layout: ten launches in a row restore the same dock geometry",
          "[main_window][layout]") {
    REQUIRE(widgets_available());
    forget_settings();
    DockGeometry first;
    for (int launch = 1; launch <= 10; ++launch) {
        INFO("launch " << launch);
        MainWindow w;
        show_and_settle(w);
        const DockGeometry now = dock_geometry(w);
        INFO(describe(now));
        if (launch == 1)
            first = now;
        else
            CHECK(now == first);
        w.close();  // saves, as Ctrl+Q does
    }
    // The Log keeps its share of the bottom row rather than a sliver.
    CHECK_FALSE(first.value(QStringLiteral("LogDock")) == QLatin1String("hidden"));
}

TEST_CASE("window layout: a dock the user resized is restored to that size",
          "[main_window][layout]") {
    REQUIRE(widgets_available());
    forget_settings();
    DockGeometry left;
    {
        MainWindow w;
        show_and_settle(w);
        w.resizeDocks({dock(w, "LogDock")}, {430}, Qt::Horizontal);
        w.resizeDocks({dock(w, "StageDock")}, {610}, Qt::Horizontal);
        settle();
        left = dock_geometry(w);
        w.close();
    }
    for (int launch = 2; launch <= 4; ++launch) {
        INFO("launch " << launch << ": " << describe(left));
        MainWindow w;
        show_and_settle(w);
        CHECK(dock_geometry(w) == left);
        w.close();
    }
}

TEST_CASE("window layout: View > Reset Layout restores the default arrangement and sizes",
          "[main_window][layout]") {
    REQUIRE(widgets_available());
    forget_settings();
    DockGeometry defaults;
    {
        MainWindow w;
        show_and_settle(w);
        defaults = dock_geometry(w);
        // Rearrange: the Log narrow, the Charts floating, the Stage closed.
        w.resizeDocks({dock(w, "LogDock")}, {120}, Qt::Horizontal);
        dock(w, "ChartsDock")->setFloating(true);
        dock(w, "StageDock")->close();
        settle();
        w.close();
    }
    MainWindow w;
    show_and_settle(w);
    REQUIRE(dock_geometry(w) != defaults);
    QAction* reset = action(w, QStringLiteral("Reset &Layout"));
    REQUIRE(reset);
    reset->trigger();
    settle();
    INFO("default: " << describe(defaults));
    INFO("after reset: " << describe(dock_geometry(w)));
    CHECK(dock_geometry(w) == defaults);
}

TEST_CASE("window layout: shrinking the window and growing it back restores the docks",
          "[main_window][layout]") {
    REQUIRE(widgets_available());
    forget_settings();
    MainWindow w;
    show_and_settle(w);
    w.open_file(QStringLiteral(SPINDLE_SOURCE_DIR "/scenarios/worker_pool.lua"));
    REQUIRE(wait_until([&] { return w.model() != nullptr; }));
    dock(w, "ChartsDock")->raise();
    settle();
    const DockGeometry before = dock_geometry(w);
    const QSize full = w.size();
    const int stage_width = dock(w, "StageDock")->width();
    const int charts_height = w.charts()->height();

    for (const QSize small : {QSize(640, 420), QSize(700, 600), QSize(500, 900)}) {
        INFO("shrunk to " << small.width() << "x" << small.height());
        w.resize(small);
        settle();
        w.resize(full);
        settle();
        INFO("before: " << describe(before));
        INFO("after:  " << describe(dock_geometry(w)));
        CHECK(dock(w, "StageDock")->width() == stage_width);
        CHECK(w.charts()->height() == charts_height);
        CHECK(dock_geometry(w) == before);
    }
}

namespace {

/// A window manager's frame: thin borders and a title bar.
const QMargins kFrame(4, 30, 4, 4);

/// Opens worker_pool in `w` (shown) and waits until every view shows it.
void show_worker_pool(MainWindow& w) {
    show_and_settle(w);
    bool shown = false;
    QObject::connect(&w, &MainWindow::run_shown, &w, [&shown] { shown = true; });
    w.open_file(QStringLiteral(SPINDLE_SOURCE_DIR "/scenarios/worker_pool.lua"));
    REQUIRE(wait_until([&] { return shown; }));
    settle();
}

/// The Stage is painted at its own size (no text under 10 px) beside a timeline at
/// least WindowLayout::kReadableTimeline wide.
void check_readable(MainWindow& w) {
    const StageView* stage = w.findChild<StageView*>();
    REQUIRE(stage);
    REQUIRE(stage->model());
    INFO("window " << w.width() << "x" << w.height() << ", stage " << stage->width()
                   << " px wide, scale " << stage->scale() << ", timeline " << w.timeline()->width()
                   << "x" << w.timeline()->height());
    CHECK(stage->smallest_text_px() >= 10.0);
    CHECK(stage->scale() == 1.0);
    CHECK(w.timeline()->width() >= WindowLayout::kReadableTimeline);
    CHECK(w.timeline()->height() >= 250);
}

}  // namespace

TEST_CASE("window layout: the first window takes a small screen whole, nine tenths of a large one",
          "[main_window][layout]") {
    const QRect small(0, 0, 1280, 800);
    const QRect g1 = WindowLayout::first_geometry(small, kFrame);
    CHECK(g1 == small.marginsRemoved(kFrame));

    const QRect large(0, 0, 1920, 1080);
    const QRect g2 = WindowLayout::first_geometry(large, kFrame);
    CHECK(large.marginsRemoved(kFrame).contains(g2));
    CHECK(g2.width() == (1920 - 8) * 9 / 10);
    CHECK(g2.height() == (1080 - 34) * 9 / 10);
    CHECK(g2.center() == large.marginsRemoved(kFrame).center());

    // A screen with a panel: the window stays in the free area.
    const QRect panel(0, 32, 1366, 736);
    CHECK(panel.contains(WindowLayout::first_geometry(panel, kFrame).marginsAdded(kFrame)));
}

TEST_CASE(
    "window layout: the first window on 1280x800 and 1920x1080 shows a readable Stage "
    "beside the timeline",
    "[main_window][layout]") {
    REQUIRE(widgets_available());
    for (const QRect screen : {QRect(0, 0, 1280, 800), QRect(0, 0, 1920, 1080)}) {
        INFO("screen " << screen.width() << "x" << screen.height());
        forget_settings();
        MainWindow w;
        w.setGeometry(WindowLayout::first_geometry(screen, kFrame));
        show_worker_pool(w);
        check_readable(w);
    }
}

// Run by ctest on offscreen screens of 1280x800 and 1920x1080 (tests/CMakeLists.txt
// passes QT_QPA_PLATFORM=offscreen:configfile=... and SPINDLE_TEST_SCREEN=WxH).
TEST_CASE("window layout: the first window sizes itself from the screen it opens on",
          "[.first_window]") {
    REQUIRE(widgets_available());
    const QByteArray expected = qgetenv("SPINDLE_TEST_SCREEN");
    if (expected.isEmpty()) {
        WARN("needs a screen set up by ctest (SPINDLE_TEST_SCREEN): not run");
        return;
    }
    const QScreen* screen = QGuiApplication::primaryScreen();
    const QString size =
        QStringLiteral("%1x%2").arg(screen->geometry().width()).arg(screen->geometry().height());
    REQUIRE(size.toStdString() == expected.toStdString());

    forget_settings();
    MainWindow w;
    show_worker_pool(w);
    INFO("frame " << w.frameGeometry().x() << "," << w.frameGeometry().y() << " "
                  << w.frameGeometry().width() << "x" << w.frameGeometry().height());
    CHECK(screen->availableGeometry().contains(w.frameGeometry()));
    // Most of the screen: nothing to enlarge by hand before the Stage can be read.
    CHECK(w.width() >= screen->availableGeometry().width() * 85 / 100);
    CHECK(w.height() >= screen->availableGeometry().height() * 85 / 100);
    check_readable(w);
}
