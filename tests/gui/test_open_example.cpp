// File › Open Example lists the shipped scenarios (here, from the build folder: the
// source tree's) and opens one; Help › About names the version, Qt, Lua, the licence
// and the documentation.
#include <catch2/catch.hpp>

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QMenu>

#include "about_text.h"
#include "main_window.h"
#include "spindle_version.h"
#include "window_test_support.h"

using namespace spindle;
using namespace spindle::ui;

using window_test::wait_until;
using window_test::widgets_available;

TEST_CASE("File > Open Example lists the shipped scenarios and opens one", "[main_window]") {
    REQUIRE(widgets_available());
    MainWindow w;
    w.show();
    const auto* menu = w.findChild<QMenu*>(QStringLiteral("open_example_menu"));
    REQUIRE(menu);
    QStringList names;
    for (const QAction* a : menu->actions())
        names << a->text();
    const QStringList shipped = QDir(QStringLiteral(SPINDLE_SOURCE_DIR "/scenarios"))
                                    .entryList({QStringLiteral("*.lua")}, QDir::Files, QDir::Name)
                                    .replaceInStrings(QStringLiteral(".lua"), QString());
    CHECK(names == shipped);
    CHECK(names.contains(QStringLiteral("worker_pool")));

    QAction* deadlock = nullptr;
    for (QAction* a : menu->actions())
        if (a->text() == QLatin1String("deadlock")) deadlock = a;
    REQUIRE(deadlock);
    bool shown = false;
    QObject::connect(&w, &MainWindow::run_shown, &w, [&shown] { shown = true; });
    deadlock->trigger();
    REQUIRE(wait_until([&] { return shown; }));
    CHECK(QFileInfo(w.current_path()) ==
          QFileInfo(QStringLiteral(SPINDLE_SOURCE_DIR "/scenarios/deadlock.lua")));
    CHECK(w.model()->end_time() > 0);
}

TEST_CASE("Help > About names the version, Qt, Lua, the licence and the docs", "[main_window]") {
    const QString text = about_text();
    CHECK(text.contains(QStringLiteral("<b>Spindle</b> %1").arg(build_info::kVersion)));
    CHECK(text.contains(QStringLiteral("Qt %1").arg(qVersion())));
    CHECK(text.contains(QStringLiteral("Lua 5.4")));
    CHECK(text.contains(QStringLiteral("Licence: MIT")));
    CHECK(text.contains(QString::fromLatin1(build_info::kDocsUrl)));
}
