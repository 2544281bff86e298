// The Tasks, Channels, Workers and Log models over a real run of
// scenarios/worker_pool.lua: row counts, values against the RunModel, the columns
// that follow the playhead (the Log: dimmed after it, its latest entry marked),
// and sorting through QSortFilterProxyModel.
#include <catch2/catch.hpp>

#include <QBrush>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>
#include <QSortFilterProxyModel>

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>
#include <vector>

#include "channel_table_model.h"
#include "gui_theme.h"
#include "log_model.h"
#include "scenario_runner.h"
#include "spindle/lua/scenario.h"
#include "task_table_model.h"
#include "text_colours.h"
#include "theme.h"
#include "worker_table_model.h"

using namespace spindle;
using namespace spindle::ui;

namespace {

using Run = session::Session;

const Run& worker_pool() {
    static const Run run = [] {
        session::RunRequest request;
        request.path = std::string(SPINDLE_SOURCE_DIR) + "/scenarios/worker_pool.lua";
        return session::run_session(request);
    }();
    return run;
}

QString cell(const QAbstractItemModel& m, int row, int column, int role = Qt::DisplayRole) {
    return m.data(m.index(row, column), role).toString();
}

}  // namespace

TEST_CASE("task table: one row per task with the model's figures", "[tables]") {
    const Run& run = worker_pool();
    REQUIRE(run.report.status == session::RunStatus::completed);
    TaskTableModel m;
    m.set_run(run.model);

    REQUIRE(m.rowCount() == 6);  // main, four workers, the producer
    CHECK(m.columnCount() == TaskTableModel::column_count);
    CHECK(m.headerData(TaskTableModel::scheduled_wait, Qt::Horizontal).toString() == "Sched. wait");
    // The one column that follows the playhead is named as the Workers table's is.
    CHECK(m.headerData(TaskTableModel::state, Qt::Horizontal).toString() ==
          WorkerTableModel().headerData(WorkerTableModel::now, Qt::Horizontal).toString());

    for (int row = 0; row < m.rowCount(); ++row) {
        const TaskId id = m.data(m.index(row, 0), RunTableModel::IdRole).toUInt();
        const view::TaskInfo* t = run.model->task(id);
        REQUIRE(t != nullptr);
        CHECK(cell(m, row, TaskTableModel::name).toStdString() == t->name);
        CHECK(m.data(m.index(row, TaskTableModel::polls)).toUInt() == t->polls);
        CHECK(m.data(m.index(row, TaskTableModel::wakes)).toUInt() == t->wakes);
        CHECK(m.data(m.index(row, TaskTableModel::busy), RunTableModel::SortRole).toLongLong() ==
              t->busy);
        // At the end of the run every task of this scenario has completed.
        CHECK(cell(m, row, TaskTableModel::state) == "completed");
        // Busy + scheduled wait + idle = lifetime.
        const qlonglong total =
            m.data(m.index(row, TaskTableModel::total), RunTableModel::SortRole).toLongLong();
        const qlonglong idle =
            m.data(m.index(row, TaskTableModel::idle), RunTableModel::SortRole).toLongLong();
        CHECK(t->busy + t->scheduled_wait + idle == total);
    }
    CHECK(cell(m, 0, TaskTableModel::name) == "main");
    CHECK(cell(m, 5, TaskTableModel::name) == "producer");
    CHECK(cell(m, 0, TaskTableModel::last_worker).startsWith("thread "));
    CHECK(m.row_of(6) == 5);
    CHECK(m.row_of(99) == -1);
}

TEST_CASE("task table: the State column follows the playhead", "[tables]") {
    const Run& run = worker_pool();
    TaskTableModel m;
    m.set_run(run.model);
    int changed = 0;
    QObject::connect(&m, &QAbstractItemModel::dataChanged, &m, [&changed] { ++changed; });

    const view::TaskInfo* producer = run.model->task(6);
    REQUIRE(producer != nullptr);
    // Find a moment when the producer waits on the full "jobs" channel.
    view::Time waiting_at = -1;
    for (const view::TaskSpan& s : producer->spans)
        if (s.state == view::TaskState::waiting && s.op == WaitOp::send) {
            waiting_at = (s.start + s.end) / 2;
            break;
        }
    REQUIRE(waiting_at >= 0);
    m.set_time(waiting_at);
    CHECK(changed == 1);
    CHECK(cell(m, 5, TaskTableModel::state) == "waiting: send 'jobs'");

    // While a task is polled it is "running on thread N".
    const auto& polls = run.model->workers().at(0).polls;
    REQUIRE_FALSE(polls.empty());
    const view::PollSlice& p = polls.front();
    m.set_time(p.start);
    const int row = m.row_of(p.task);
    REQUIRE(row >= 0);
    CHECK(cell(m, row, TaskTableModel::state) == "running on thread 0");

    m.set_time(-1);
    CHECK(cell(m, 5, TaskTableModel::state) == "not spawned");
}

TEST_CASE("table sorting goes by raw values through QSortFilterProxyModel", "[tables]") {
    const Run& run = worker_pool();
    TaskTableModel m;
    m.set_run(run.model);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&m);
    proxy.setSortRole(RunTableModel::SortRole);

    proxy.sort(TaskTableModel::polls, Qt::DescendingOrder);
    REQUIRE(proxy.rowCount() == 6);
    for (int row = 1; row < proxy.rowCount(); ++row)
        CHECK(proxy.index(row - 1, TaskTableModel::polls).data().toUInt() >=
              proxy.index(row, TaskTableModel::polls).data().toUInt());
    CHECK(proxy.index(0, TaskTableModel::name).data().toString() == "main");  // 26 polls

    // Durations sort as numbers, not as their text ("52 µs" < "2.12 ms").
    proxy.sort(TaskTableModel::busy, Qt::AscendingOrder);
    qlonglong previous = -1;
    for (int row = 0; row < proxy.rowCount(); ++row) {
        const qlonglong busy =
            proxy.index(row, TaskTableModel::busy).data(RunTableModel::SortRole).toLongLong();
        CHECK(busy >= previous);
        previous = busy;
    }
    CHECK(proxy.index(0, TaskTableModel::name).data().toString() == "producer");  // 42 µs

    proxy.sort(TaskTableModel::name, Qt::AscendingOrder);
    CHECK(proxy.index(0, TaskTableModel::name).data().toString() == "main");
    CHECK(proxy.index(5, TaskTableModel::name).data().toString() == "worker 4");
    // The proxy maps back to the source row that holds the task's id.
    const QModelIndex src = proxy.mapToSource(proxy.index(0, 0));
    CHECK(m.id_at(src.row()) == 1);
}

TEST_CASE("channel table: jobs and results with their counters", "[tables]") {
    const Run& run = worker_pool();
    ChannelTableModel m;
    m.set_run(run.model);
    REQUIRE(m.rowCount() == 2);
    CHECK(cell(m, 0, ChannelTableModel::name) == "jobs");
    CHECK(cell(m, 0, ChannelTableModel::kind) == "mpsc");
    CHECK(cell(m, 0, ChannelTableModel::capacity) == "4");
    CHECK(m.data(m.index(0, ChannelTableModel::sent)).toULongLong() == 24);
    CHECK(m.data(m.index(0, ChannelTableModel::received)).toULongLong() == 24);
    CHECK(m.data(m.index(0, ChannelTableModel::max_length)).toUInt() == 4);
    CHECK(m.data(m.index(0, ChannelTableModel::time_full), RunTableModel::SortRole).toLongLong() >
          0);  // the producer outruns the workers
    CHECK(cell(m, 1, ChannelTableModel::name) == "results");
    CHECK(cell(m, 1, ChannelTableModel::capacity) == "8");

    // Length follows the playhead: empty at the start, drained at the end.
    const view::ResourceTrack* jobs = run.model->resource(m.id_at(0));
    REQUIRE(jobs != nullptr);
    m.set_time(jobs->created);
    CHECK(m.data(m.index(0, ChannelTableModel::length)).toUInt() == 0);
    m.set_time(run.model->end_time());
    CHECK(m.data(m.index(0, ChannelTableModel::length)).toUInt() == 0);
    view::Time full_at = -1;
    for (const view::LenPoint& p : jobs->length)
        if (p.len == 4) {
            full_at = p.time;
            break;
        }
    REQUIRE(full_at >= 0);
    m.set_time(full_at);
    CHECK(m.data(m.index(0, ChannelTableModel::length)).toUInt() == 4);
}

TEST_CASE("worker table: one row per thread, polls add up to the tasks' polls", "[tables]") {
    const Run& run = worker_pool();
    WorkerTableModel m;
    m.set_run(run.model);
    REQUIRE(m.rowCount() == 4);
    qulonglong worker_polls = 0;
    for (int row = 0; row < m.rowCount(); ++row) {
        CHECK(cell(m, row, WorkerTableModel::worker) == QStringLiteral("thread %1").arg(row));
        CHECK(cell(m, row, WorkerTableModel::worker_role) == "core");
        worker_polls += m.data(m.index(row, WorkerTableModel::polls)).toULongLong();
        const double pct =
            m.data(m.index(row, WorkerTableModel::busy_percent), RunTableModel::SortRole)
                .toDouble();
        CHECK(pct > 0.0);
        CHECK(pct <= 100.0);
    }
    qulonglong task_polls = 0;
    for (const view::TaskInfo& t : run.model->tasks())
        task_polls += t.polls;
    CHECK(worker_polls == task_polls);
}

TEST_CASE("worker table: an OS thread's lane after its thread ended says ended", "[tables]") {
    session::RunRequest request;
    request.path = std::string(SPINDLE_SOURCE_DIR) + "/scenarios/scoped_threads.lua";
    const Run run = session::run_session(request);
    WorkerTableModel m;
    m.set_run(run.model);
    int ended = 0;
    for (int row = 0; row < m.rowCount(); ++row) {
        const view::WorkerTrack& w = run.model->workers()[static_cast<std::size_t>(row)];
        if (w.role != WorkerRole::thread) continue;
        REQUIRE_FALSE(w.polls.empty());
        m.set_time(w.polls.front().start);  // its thread runs
        CHECK(cell(m, row, WorkerTableModel::now).startsWith(QStringLiteral("polling")));
        m.set_time(run.model->end_time() - 1);  // every scoped thread ended before the scope
        CHECK(cell(m, row, WorkerTableModel::now) == QStringLiteral("ended"));
        m.set_time(run.model->end_time());  // the playhead at the end (the End key)
        CHECK(cell(m, row, WorkerTableModel::now) == QStringLiteral("ended"));
        ++ended;
    }
    CHECK(ended == 3);
    // A parked core worker is still "parked", at the run's end too (the Stage agrees).
    for (int row = 0; row < m.rowCount(); ++row) {
        const view::WorkerTrack& w = run.model->workers()[static_cast<std::size_t>(row)];
        if (w.role != WorkerRole::core || w.parked.empty()) continue;
        m.set_time(w.parked.front().start);
        CHECK(cell(m, row, WorkerTableModel::now) == QStringLiteral("parked"));
        m.set_time(run.model->end_time());
        CHECK(cell(m, row, WorkerTableModel::now) == QStringLiteral("parked"));
    }
}

TEST_CASE("log model: print lines in time order, errors in red with file:line", "[tables]") {
    const Run& run = worker_pool();
    LogModel m;
    m.set_run(run.model.get(), &run.report);
    REQUIRE(m.rowCount() == 2);
    CHECK(cell(m, 0, LogModel::message) == "all 24 jobs queued");
    CHECK(cell(m, 0, LogModel::task) == "producer");
    CHECK(cell(m, 1, LogModel::message) == "24 results, sum of squares 4900");
    CHECK(m.data(m.index(0, 0), LogModel::TimeRole).toLongLong() <=
          m.data(m.index(1, 0), LogModel::TimeRole).toLongLong());
    CHECK(m.error_count() == 0);

    // A script error without a run: an entry with no time, its location parsed.
    session::RunReport report;
    report.errors = {"/x/bad.lua:7: unexpected symbol near 'end'"};
    m.set_run(nullptr, &report);
    REQUIRE(m.rowCount() == 1);
    CHECK(m.error_count() == 1);
    CHECK(m.entries().front().file == "/x/bad.lua");
    CHECK(m.entries().front().line == 7);
    CHECK(m.data(m.index(0, 0), LogModel::TimeRole).toLongLong() == -1);
    CHECK(m.data(m.index(0, LogModel::message), Qt::ForegroundRole).isValid());
}

namespace {

/// WCAG's contrast ratio of two colours (1 to 21).
double contrast(const QColor& a, const QColor& b) {
    auto luminance = [](const QColor& c) {
        auto channel = [](double v) {
            return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) +
               0.0722 * channel(c.blueF());
    };
    const double x = luminance(a), y = luminance(b);
    return (std::max(x, y) + 0.05) / (std::min(x, y) + 0.05);
}

}  // namespace

TEST_CASE("table and log text is readable on both themes", "[tables][log]") {
    // The dark theme once kept the light colours: red errors at 2.9:1 on its background.
    for (const bool dark : {false, true}) {
        const render::Theme& theme = dark ? render::Theme::dark() : render::Theme::light();
        for (const TextTone tone : {TextTone::alert, TextTone::note, TextTone::quiet}) {
            INFO("dark " << dark << ", tone " << static_cast<int>(tone));
            CHECK(contrast(text_colour(tone, dark), theme.background) >= 4.5);
            CHECK(contrast(text_colour(tone, dark), theme.lane_alt) >= 4.5);
        }
    }
    // The models pick the shade from the application's palette, as the window sets it.
    session::RunReport report;
    report.errors = {"/x/bad.lua:7: unexpected symbol near 'end'"};
    LogModel m;
    m.set_run(nullptr, &report);
    auto error_colour = [&] {
        return m.data(m.index(0, LogModel::message), Qt::ForegroundRole).value<QBrush>().color();
    };
    const QPalette old = QGuiApplication::palette();
    QGuiApplication::setPalette(gui_palette(render::Theme::dark()));
    CHECK(error_colour() == text_colour(TextTone::alert, true));
    QGuiApplication::setPalette(old);
    CHECK(error_colour() == text_colour(TextTone::alert, false));
}

TEST_CASE("log model: entries after the playhead are dimmed, the latest before it marked",
          "[tables][log]") {
    const Run& run = worker_pool();
    LogModel m;
    m.set_run(run.model.get(), &run.report);
    REQUIRE(m.rowCount() == 2);
    const qint64 queued = m.data(m.index(0, 0), LogModel::TimeRole).toLongLong();
    const qint64 results = m.data(m.index(1, 0), LogModel::TimeRole).toLongLong();
    REQUIRE(0 < queued);
    REQUIRE(queued < results);
    using Moment = LogModel::Moment;
    auto moment = [&](int row) {
        return static_cast<Moment>(m.data(m.index(row, 0), LogModel::MomentRole).toInt());
    };
    auto colour = [&](int row, int column) {
        return m.data(m.index(row, column), Qt::ForegroundRole).value<QBrush>().color();
    };
    auto marked = [&](int row) {
        return m.data(m.index(row, LogModel::message), Qt::BackgroundRole).isValid();
    };
    // Before a playhead is set nothing is dimmed or marked.
    CHECK(m.current_row() == -1);
    CHECK(moment(0) == Moment::untimed);
    CHECK_FALSE(marked(0));
    const QColor printed_time = colour(0, LogModel::time);

    // Every change of a row's look is announced, so the view repaints it.
    std::vector<std::pair<int, int>> changed;
    QObject::connect(&m, &QAbstractItemModel::dataChanged, &m,
                     [&](const QModelIndex& a, const QModelIndex& b) {
                         changed.emplace_back(a.row(), b.row());
                     });
    auto announced = [&](int row) {
        for (auto [top, bottom] : changed)
            if (top <= row && row <= bottom) return true;
        return false;
    };

    m.set_time(0);  // nothing has happened yet
    CHECK(m.current_row() == -1);
    CHECK(moment(0) == Moment::future);
    CHECK(moment(1) == Moment::future);
    CHECK(announced(0));
    CHECK(announced(1));
    CHECK(colour(0, LogModel::time).alpha() < 255);  // dimmed
    CHECK(colour(0, LogModel::message).isValid());   // a print line gets a dim colour too
    CHECK(colour(0, LogModel::message).alpha() < 255);
    CHECK_FALSE(marked(0));

    changed.clear();
    m.set_time(queued);  // "at or before": the line at the playhead is the latest
    CHECK(m.current_row() == 0);
    CHECK(moment(0) == Moment::current);
    CHECK(moment(1) == Moment::future);
    CHECK(announced(0));
    CHECK(marked(0));
    CHECK_FALSE(marked(1));
    CHECK(colour(0, LogModel::time) == printed_time);
    CHECK(m.data(m.index(0, LogModel::message), Qt::FontRole).value<QFont>().bold());

    changed.clear();
    m.set_time(results + 1);
    CHECK(m.current_row() == 1);
    CHECK(moment(0) == Moment::past);
    CHECK(moment(1) == Moment::current);
    CHECK(announced(0));  // its mark went
    CHECK(announced(1));
    CHECK_FALSE(marked(0));
    CHECK(marked(1));
    CHECK_FALSE(m.data(m.index(0, LogModel::message), Qt::ForegroundRole).isValid());

    // Backwards works like forwards; an unchanged boundary announces nothing.
    m.set_time(queued + 1);
    CHECK(m.current_row() == 0);
    changed.clear();
    m.set_time(queued + 2);
    CHECK(changed.empty());

    // The playhead survives a new run; untimed entries are never dimmed nor marked.
    session::RunReport report;
    report.errors = {"/x/bad.lua:7: unexpected symbol near 'end'"};
    m.set_run(nullptr, &report);
    CHECK(m.current_row() == -1);
    CHECK(moment(0) == Moment::untimed);
    CHECK(colour(0, LogModel::message).alpha() == 255);
    m.set_run(run.model.get(), &run.report);
    CHECK(m.current_row() == 0);
}
