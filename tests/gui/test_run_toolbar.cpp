// The run toolbar, offscreen: the workers field takes the whole range the command
// lines and scenario{} accept, and a run started from it uses what was typed.
#include <catch2/catch.hpp>

#include <QApplication>
#include <QElapsedTimer>
#include <QKeyEvent>
#include <QLineEdit>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QThread>

#include <functional>

#include "main_window.h"
#include "run_limits.h"
#include "run_toolbar.h"
#include "window_test_support.h"

using namespace spindle;
using namespace spindle::ui;

using window_test::wait_until;
using window_test::widgets_available;

namespace {

/// Types the digits `text` into `widget` key by key, as a person would.
void type(QWidget* widget, const QString& text) {
    for (QChar c : text) {
        const int key = Qt::Key_0 + (c.unicode() - '0');
        QKeyEvent press(QEvent::KeyPress, key, Qt::NoModifier, c);
        QCoreApplication::sendEvent(widget, &press);
        QKeyEvent release(QEvent::KeyRelease, key, Qt::NoModifier, c);
        QCoreApplication::sendEvent(widget, &release);
    }
}

}  // namespace

TEST_CASE("run toolbar: workers go from the script's own to kMaxWorkers", "[main_window]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    RunToolbar bar({}, {});
    QSpinBox* workers = bar.workers_box();
    CHECK(workers->minimum() == session::kMinWorkers - 1);
    CHECK(workers->maximum() == session::kMaxWorkers);
    CHECK(workers->maximum() == 256);
    CHECK(workers->text() == QStringLiteral("–"));  // 0: the script's own setting
    CHECK_FALSE(bar.overrides().workers);

    workers->setValue(256);
    CHECK(bar.overrides().workers == 256);
    workers->setValue(1);
    CHECK(bar.overrides().workers == 1);
    workers->setValue(0);
    CHECK_FALSE(bar.overrides().workers);
    workers->setValue(300);
    CHECK(workers->value() == 256);
}

TEST_CASE("run toolbar: typing 256 workers re-runs the scenario with 256", "[main_window]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    MainWindow w;
    w.show();
    bool shown = false;
    QObject::connect(&w, &MainWindow::run_shown, &w, [&shown] { shown = true; });
    w.open_file(QStringLiteral(SPINDLE_SOURCE_DIR "/scenarios/worker_pool.lua"));
    REQUIRE(wait_until([&] { return shown; }));
    REQUIRE(w.model()->run().workers < 256);

    QSpinBox* workers = w.run_toolbar()->workers_box();
    REQUIRE(workers->isEnabled());
    workers->setFocus();
    workers->selectAll();
    shown = false;
    type(workers, QStringLiteral("256"));
    CHECK(workers->value() == 256);
    CHECK(w.run_toolbar()->overrides().workers == 256);
    REQUIRE(wait_until([&] { return shown && !w.runner()->running(); }));
    CHECK(w.report()->status == session::RunStatus::completed);
    CHECK(w.report()->config.workers == 256);
    CHECK(w.model()->run().workers == 256);
    CHECK(workers->value() == 256);
}

TEST_CASE("run toolbar: the seed takes every seed the command lines take, and no more",
          "[main_window]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    RunToolbar bar({}, {});
    QLineEdit* seed = bar.seed_field();
    const QString largest = QString::number(session::kMaxSeed);  // 19 digits
    seed->setFocus();
    seed->clear();
    type(seed, largest);
    CHECK(seed->text() == largest);
    Q_EMIT seed->editingFinished();
    CHECK(bar.overrides().seed == session::kMaxSeed);

    seed->clear();
    type(seed, QStringLiteral("9999999999999999999"));  // 19 digits, above 2^63 - 1
    Q_EMIT seed->editingFinished();
    CHECK(bar.overrides().seed == session::kMaxSeed);  // refused: the last good seed stays
    CHECK(seed->text() == largest);
}
