// A long first run, offscreen: while it runs, the window's title and the middle of
// the window name the file being run, and the middle counts the events so far;
// cancelling shows what ran.
#include <catch2/catch.hpp>

#include <QFile>
#include <QTemporaryDir>

#include "main_window.h"
#include "stage_view.h"
#include "timeline_view.h"
#include "window_test_support.h"

using namespace spindle;
using namespace spindle::ui;
using window_test::forget_settings;
using window_test::wait_until;
using window_test::widgets_available;

TEST_CASE("a first run in progress names its file and shows its progress in the middle",
          "[main_window][progress]") {
    REQUIRE(widgets_available());
    forget_settings();
    QTemporaryDir dir;
    const QString path = window_test::write_file(
        dir, QStringLiteral("big_run.lua"),
        "scenario{ name = 'big run', workers = 2 }\n"
        "for i = 1, 2 do spawn('spin ' .. i, function() while true do yield_now() end "
        "end) end\n");
    REQUIRE_FALSE(path.isEmpty());
    MainWindow w;
    w.show();
    CHECK_FALSE(w.windowTitle().contains(QStringLiteral("big_run.lua")));
    w.open_file(path);
    REQUIRE(w.runner()->running());
    CHECK(w.windowTitle().contains(QStringLiteral("big_run.lua")));
    CHECK(w.timeline()->placeholder().contains(QStringLiteral("big_run.lua")));

    // The runner reports a few times a second: the middle follows the count.
    const bool counted = wait_until(
        [&] { return w.timeline()->placeholder().contains(QStringLiteral("events")); }, 5000);
    INFO("middle: " << w.timeline()->placeholder().toStdString());
    CHECK(counted);
    CHECK(w.timeline()->placeholder().contains(QStringLiteral("big_run.lua")));
    // The Stage, empty too, says the same rather than "No run to show".
    CHECK(w.findChild<StageView*>()->placeholder() == w.timeline()->placeholder());
    CHECK(w.model() == nullptr);  // nothing shown yet: the middle is the placeholder
    CHECK(w.runner()->running());

    bool shown = false;
    QObject::connect(&w, &MainWindow::run_shown, &w, [&shown] { shown = true; });
    w.cancel_run();
    REQUIRE(wait_until([&] { return shown; }));
    CHECK(w.windowTitle().contains(QStringLiteral("big_run.lua")));
    CHECK(w.model()->run().events > 0);
    CHECK(w.timeline()->placeholder().isEmpty());
    CHECK(w.findChild<StageView*>()->placeholder().contains(QStringLiteral("No run to show")));
}
