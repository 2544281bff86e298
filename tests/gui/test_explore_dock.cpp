// Run › Explore Schedules… in the window: the dialog's defaults, the exploration on a
// worker thread with progress, the Schedules dock's table and chart, double-clicking
// a class to open its shortest run, and Cancel.
#include <catch2/catch.hpp>

#include <QAbstractBarSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>

#include <optional>
#include <thread>

#include "app_settings.h"
#include "compare_view.h"
#include "explore_dialog.h"
#include "explore_runner.h"
#include "gui_theme.h"
#include "main_window.h"
#include "run_toolbar.h"
#include "schedules_dock.h"
#include "timeline_view.h"
#include "window_test_support.h"

using namespace spindle;
using namespace spindle::ui;
using window_test::open_and_wait;
using window_test::wait_until;
using window_test::widgets_available;

namespace {

const QString kLostUpdate = QStringLiteral(SPINDLE_SOURCE_DIR "/scenarios/lost_update.lua");

ExploreSettings small_pct() {
    ExploreSettings s;
    s.strategy = Strategy::pct;
    s.depth = 3;
    s.runs = 40;
    s.jobs = 2;
    return s;
}

}  // namespace

TEST_CASE("explore dialog: pct, depth 3, no jitter, 1000 schedules on every core by default",
          "[window][explore]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    ExploreDialog d{ExploreSettings{}};
    const ExploreSettings s = d.settings();
    CHECK(s.strategy == Strategy::pct);
    CHECK(s.depth == 3);
    CHECK(s.jitter_pct == 0);
    CHECK(s.runs == 1000);
    CHECK(s.jobs == std::max(1u, std::thread::hardware_concurrency()));
    CHECK(d.depth_box()->isEnabled());
    // Depth means something only to pct.
    d.strategy_box()->setCurrentIndex(
        d.strategy_box()->findData(static_cast<int>(Strategy::random)));
    CHECK_FALSE(d.depth_box()->isEnabled());
    d.jitter_box()->setValue(10);
    d.runs_box()->setValue(50);
    CHECK(d.settings().strategy == Strategy::random);
    CHECK(d.settings().jitter_pct == 10);
    CHECK(d.settings().runs == 50);
}

TEST_CASE("explore dialog: the choices made are the next dialog's, after a restart too",
          "[window][explore][settings]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    window_test::forget_settings();
    {
        const ExploreSettings fresh = load_explore_settings();
        CHECK(fresh.strategy == Strategy::pct);
        CHECK(fresh.depth == 3);
        CHECK(fresh.jitter_pct == 0);
        CHECK(fresh.runs == 1000);
        CHECK(fresh.jobs == 0);
    }
    {
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        REQUIRE(open_and_wait(w, kLostUpdate));
        bool filled = false;
        QTimer::singleShot(0, &w, [&] {
            auto* d = qobject_cast<ExploreDialog*>(QApplication::activeModalWidget());
            if (!d) return;
            d->strategy_box()->setCurrentIndex(
                d->strategy_box()->findData(static_cast<int>(Strategy::random)));
            d->jitter_box()->setValue(20);
            d->runs_box()->setValue(30);
            d->jobs_box()->setValue(1);
            filled = true;
            d->accept();
        });
        w.explore_action()->trigger();
        REQUIRE(filled);
        REQUIRE(wait_until([&] { return !w.schedules()->running(); }));
    }
    // Saved: a new window (a restart) starts its dialog from them.
    const ExploreSettings saved = load_explore_settings();
    CHECK(saved.strategy == Strategy::random);
    CHECK(saved.jitter_pct == 20);
    CHECK(saved.runs == 30);
    CHECK(saved.jobs == (std::thread::hardware_concurrency() == 1 ? 0u : 1u));
    {
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        REQUIRE(open_and_wait(w, kLostUpdate));
        std::optional<ExploreSettings> shown;
        QTimer::singleShot(0, &w, [&] {
            auto* d = qobject_cast<ExploreDialog*>(QApplication::activeModalWidget());
            if (!d) return;
            shown = d->settings();
            d->reject();
        });
        w.explore_action()->trigger();
        REQUIRE(shown);
        CHECK(shown->strategy == Strategy::random);
        CHECK(shown->jitter_pct == 20);
        CHECK(shown->runs == 30);
        CHECK(shown->jobs == 1);
    }
    // What is not a setting reads as the default.
    {
        QSettings s = app_settings();
        s.setValue(QStringLiteral("explore/strategy"), QStringLiteral("bogus"));
        s.setValue(QStringLiteral("explore/depth"), 0);
        s.setValue(QStringLiteral("explore/runs"), QStringLiteral("many"));
    }
    const ExploreSettings odd = load_explore_settings();
    CHECK(odd.strategy == Strategy::pct);
    CHECK(odd.depth == 3);
    CHECK(odd.runs == 1000);
    CHECK(odd.jitter_pct == 20);
    window_test::forget_settings();
}

TEST_CASE(
    "window: exploring lost_update fills the Schedules dock, and a double-click opens a class",
    "[window][explore]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    MainWindow w;
    w.resize(1600, 1000);
    w.show();
    REQUIRE(open_and_wait(w, kLostUpdate));
    REQUIRE(w.explore_action()->isEnabled());
    SchedulesView* view = w.schedules();
    REQUIRE(view);
    CHECK_FALSE(w.schedules_dock()->isVisible());

    quint64 updates = 0, last_done = 0;
    QObject::connect(w.explorer(), &ExploreRunner::progress, &w,
                     [&](quint64 done, quint64, quint64) {
                         ++updates;
                         last_done = done;
                     });
    w.explore_schedules(small_pct());
    CHECK(w.schedules_dock()->isVisible());
    CHECK(view->running());
    CHECK(view->progress_bar()->isVisible());
    CHECK(view->cancel_button()->isVisible());
    CHECK_FALSE(w.explore_action()->isEnabled());  // one exploration at a time
    REQUIRE(wait_until([&] { return !view->running(); }));
    CHECK(updates >= 2);
    CHECK(last_done == 40);
    CHECK_FALSE(view->progress_bar()->isVisible());
    CHECK(w.explore_action()->isEnabled());

    const auto result = view->result();
    REQUIRE(result);
    CHECK(result->error.empty());
    CHECK(result->runs == 40);
    CHECK_FALSE(result->cancelled);
    REQUIRE(result->classes.size() >= 2);  // pct finds the lost update within 40 schedules
    CHECK(result->config.strategy == Strategy::pct);
    CHECK(result->config.pct_depth == 3);

    // The table: one row per class; the counts add up to the schedules run.
    QTableWidget* table = view->table();
    REQUIRE(table->rowCount() == static_cast<int>(result->classes.size()));
    std::uint64_t sum = 0;
    int failing_row = -1;
    for (int r = 0; r < table->rowCount(); ++r) {
        CHECK(table->item(r, 0)->text().toStdString() == result->classes[r].label);
        sum += table->item(r, 1)->text().remove(QLocale().groupSeparator()).toULongLong();
        CHECK(table->item(r, 4)->text().toULongLong() == result->classes[r].shortest_seed);
        if (failing_row < 0 && result->classes[r].status == session::RunStatus::check_failed)
            failing_row = r;
    }
    CHECK(sum == 40);
    REQUIRE(failing_row >= 0);

    // The chart: one bar per class, in the alert colour for failures, ok for completed.
    QChart* chart = view->chart_view()->chart();
    REQUIRE(chart->series().size() == 1);
    auto* series = qobject_cast<QAbstractBarSeries*>(chart->series().front());
    REQUIRE(series);
    auto* axis = qobject_cast<QBarCategoryAxis*>(chart->axes(Qt::Vertical).value(0));
    REQUIRE(axis);
    CHECK(axis->count() == static_cast<int>(result->classes.size()));
    int bars = 0;
    for (QBarSet* set : series->barSets())
        for (int i = 0; i < set->count(); ++i)
            if (set->at(i) > 0) ++bars;
    CHECK(bars == static_cast<int>(result->classes.size()));
    bool alert_bar = false, ok_bar = false;
    for (QBarSet* set : series->barSets()) {
        for (int i = 0; i < set->count(); ++i) {
            if (set->at(i) <= 0) continue;
            const auto& k = result->classes[result->classes.size() - 1 - i];  // top = first
            CHECK(set->at(i) == static_cast<double>(k.count));
            if (k.status == session::RunStatus::completed) {
                ok_bar = true;
                CHECK(set->color() == gui_theme().ok);
            } else if (k.status == session::RunStatus::check_failed) {
                alert_bar = true;
                CHECK(set->color() == gui_theme().alert);
            }
        }
    }
    CHECK(alert_bar);
    CHECK(ok_bar);

    // Double-click the failing class: its shortest schedule opens in the main view.
    const session::OutcomeClass& k = result->classes[failing_row];
    bool shown = false;
    QObject::connect(&w, &MainWindow::run_shown, &w, [&shown] { shown = true; });
    Q_EMIT table->cellDoubleClicked(failing_row, 0);
    REQUIRE(wait_until([&] { return shown; }));
    const auto report = w.report();
    REQUIRE(report);
    CHECK(report->config.seed == k.shortest_seed);
    CHECK(report->config.strategy == Strategy::pct);
    CHECK(report->config.pct_depth == result->config.pct_depth);
    CHECK(report->config.pct_steps == result->config.pct_steps);
    CHECK(report->config.jitter_pct == result->config.jitter_pct);
    CHECK(report->status == session::RunStatus::check_failed);
    CHECK(report->events == k.shortest_events);
    CHECK(w.current_path() == kLostUpdate);
    CHECK(w.windowTitle().contains(QStringLiteral("pct depth 3")));
    CHECK(w.windowTitle().contains(QStringLiteral("seed %1").arg(k.shortest_seed)));
    CHECK(w.run_toolbar()->schedule_shown());
    CHECK(w.run_toolbar()->schedule_label()->text().contains(QStringLiteral("pct, depth 3")));
    CHECK(w.run_toolbar()->seed_field()->text() == QString::number(k.shortest_seed));
}

TEST_CASE("window: Cancel stops an exploration early and shows what ran", "[window][explore]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    MainWindow w;
    w.resize(1600, 1000);
    w.show();
    REQUIRE(open_and_wait(w, kLostUpdate));
    ExploreSettings s = small_pct();
    s.runs = 1'000'000;
    s.jobs = 1;
    quint64 done_seen = 0;
    QObject::connect(w.explorer(), &ExploreRunner::progress, &w,
                     [&](quint64 done, quint64, quint64) { done_seen = done; });
    w.explore_schedules(s);
    SchedulesView* view = w.schedules();
    REQUIRE(wait_until([&] { return done_seen > 0; }));
    view->cancel_button()->click();
    REQUIRE(wait_until([&] { return !view->running(); }));
    const auto result = view->result();
    REQUIRE(result);
    CHECK(result->cancelled);
    CHECK(result->runs > 0);
    CHECK(result->runs < 1'000'000);
    std::uint64_t sum = 0;
    for (const auto& k : result->classes)
        sum += k.count;
    CHECK(sum == result->runs);
    CHECK(view->header()->text().contains(QStringLiteral("cancelled")));
}

TEST_CASE("window: Compare with shortest passing shows both runs on one axis, divergence marked",
          "[window][explore][compare]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    MainWindow w;
    w.resize(1600, 1000);
    w.show();
    REQUIRE(open_and_wait(w, kLostUpdate));
    SchedulesView* view = w.schedules();
    CHECK_FALSE(view->compare_button()->isVisible());
    w.explore_schedules(small_pct());
    REQUIRE(wait_until([&] { return !view->running(); }));
    const auto result = view->result();
    REQUIRE(result);
    int failing = -1, passing = -1;
    for (int i = 0; i < static_cast<int>(result->classes.size()); ++i) {
        const auto status = result->classes[static_cast<std::size_t>(i)].status;
        if (failing < 0 && status == session::RunStatus::check_failed) failing = i;
        if (passing < 0 && status == session::RunStatus::completed) passing = i;
    }
    REQUIRE(failing >= 0);
    REQUIRE(passing >= 0);
    REQUIRE(view->compare_button()->isVisible());
    view->table()->setCurrentCell(failing, 0);
    view->compare_button()->click();
    CompareView* compare = w.compare_view();
    REQUIRE(compare);
    REQUIRE(wait_until([&] { return compare->ready(); }));
    REQUIRE(compare->report(0));
    REQUIRE(compare->report(1));
    CHECK(compare->report(0)->status == session::RunStatus::check_failed);
    CHECK(compare->report(0)->config.seed == result->classes[failing].shortest_seed);
    CHECK(compare->report(0)->config.strategy == Strategy::pct);
    CHECK(compare->report(1)->status == session::RunStatus::completed);
    CHECK(compare->report(1)->config.seed == result->classes[passing].shortest_seed);

    // The schedules differ, so there is a first difference, marked on both.
    REQUIRE(compare->divergence());
    const view::Divergence d = *compare->divergence();
    CHECK(compare->view(0)->marker() == d.time_a);
    CHECK(compare->view(1)->marker() == d.time_b);
    CHECK(compare->summary()->text().contains(QString::number(d.index)));
    // Under it, how each run ended and which tasks did otherwise after the divergence.
    CHECK(compare->comparison().outcome[0] == RunOutcome::check_failed);
    CHECK(compare->comparison().outcome[1] == RunOutcome::completed);
    CHECK(compare->summary()->text().contains(QStringLiteral("Top: check failed, ended at")));
    CHECK(compare->summary()->text().contains(QStringLiteral("Bottom: completed, ended at")));
    REQUIRE_FALSE(compare->comparison().tasks.empty());
    CHECK(compare->summary()->text().contains(
        QString::fromStdString(compare->comparison().tasks.front().name + " — top: ")));

    // One time axis: both show the same range, and zooming one zooms the other.
    CHECK(compare->view(0)->visible_start() == compare->view(1)->visible_start());
    CHECK(compare->view(0)->visible_end() == compare->view(1)->visible_end());
    compare->view(1)->set_visible_range(5'000, 20'000);
    QCoreApplication::processEvents();
    CHECK(compare->view(1)->visible_start() == 5'000);
    CHECK(compare->view(0)->visible_start() == compare->view(1)->visible_start());
    CHECK(compare->view(0)->visible_end() == compare->view(1)->visible_end());
}

TEST_CASE("compare view: the same run twice has no difference", "[window][compare]") {
    if (!widgets_available())
        FAIL("the GUI tests' main must create a QApplication for widget tests");
    CompareView compare;
    compare.resize(1200, 800);
    compare.show();
    session::RunRequest a;
    a.path = kLostUpdate.toStdString();
    compare.compare(a, QStringLiteral("a"), a, QStringLiteral("b"));
    REQUIRE(wait_until([&] { return compare.ready(); }));
    CHECK_FALSE(compare.divergence().has_value());
    CHECK_FALSE(compare.view(0)->marker().has_value());
    CHECK(compare.summary()->text().contains(QStringLiteral("same events")));
    CHECK(compare.comparison().tasks.empty());
    CHECK(compare.summary()->text().contains(QStringLiteral("Every task did the same in both.")));
}
