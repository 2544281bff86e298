#include "run_docks.h"

#include <QAction>
#include <QDockWidget>
#include <QFontDatabase>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QMainWindow>
#include <QScrollArea>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>

#include <algorithm>

#include "channel_table_model.h"
#include "charts_view.h"
#include "explain_dock.h"
#include "log_model.h"
#include "playback_controller.h"
#include "stage_view.h"
#include "task_table_model.h"
#include "timeline_view.h"
#include "worker_table_model.h"

namespace spindle::ui {

RunDocks::RunDocks(QMainWindow* window, TimelineView* timeline, PlaybackController* playback)
    : QObject(window), m_window(window), m_timeline(timeline), m_playback(playback) {
    build();
    connect_selection();
}

QTableView* RunDocks::make_table(RunTableModel* model, QSortFilterProxyModel** proxy) {
    *proxy = new QSortFilterProxyModel(this);
    (*proxy)->setSourceModel(model);
    (*proxy)->setSortRole(RunTableModel::SortRole);
    auto* view = new QTableView;
    view->setModel(*proxy);
    view->setSortingEnabled(true);
    view->sortByColumn(0, Qt::AscendingOrder);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setHighlightSections(false);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    return view;
}

void RunDocks::build() {
    m_task_model = new TaskTableModel(this);
    m_channel_model = new ChannelTableModel(this);
    m_worker_model = new WorkerTableModel(this);
    m_log_model = new LogModel(this);
    m_task_view = make_table(m_task_model, &m_task_proxy);
    m_channel_view = make_table(m_channel_model, &m_channel_proxy);
    m_worker_view = make_table(m_worker_model, &m_worker_proxy);

    m_log_view = new QTableView;
    m_log_view->setModel(m_log_model);
    m_log_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_log_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_log_view->setWordWrap(false);
    m_log_view->setShowGrid(false);
    m_log_view->verticalHeader()->hide();
    m_log_view->verticalHeader()->setDefaultSectionSize(m_log_view->fontMetrics().height() + 4);
    m_log_view->horizontalHeader()->setStretchLastSection(true);
    m_log_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_log_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    connect(m_log_view, &QTableView::clicked, this, &RunDocks::on_log_clicked);

    auto dock = [this](const QString& title, const QString& name, QWidget* w) {
        auto* d = new QDockWidget(title, m_window);
        d->setObjectName(name);
        d->setWidget(w);
        d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable |
                       QDockWidget::DockWidgetFloatable);
        return d;
    };
    m_task_dock = dock(tr("Tasks"), QStringLiteral("TasksDock"), m_task_view);
    m_channel_dock = dock(tr("Channels"), QStringLiteral("ChannelsDock"), m_channel_view);
    m_worker_dock = dock(tr("Workers"), QStringLiteral("WorkersDock"), m_worker_view);
    m_log_dock = dock(tr("Log"), QStringLiteral("LogDock"), m_log_view);
    m_charts = new ChartsView;
    m_charts_dock = dock(tr("Charts"), QStringLiteral("ChartsDock"), m_charts);
    m_stage = new StageView;
    m_stage_scroll = new QScrollArea;
    m_stage_scroll->setWidget(m_stage);
    m_stage_scroll->setWidgetResizable(true);
    m_stage_scroll->setFrameShape(QFrame::NoFrame);
    m_stage_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_stage_dock = dock(tr("Stage"), QStringLiteral("StageDock"), m_stage_scroll);
    m_explain = new ExplainView;
    m_explain_dock = dock(tr("Explain"), QStringLiteral("ExplainDock"), m_explain);
    m_window->addDockWidget(Qt::BottomDockWidgetArea, m_task_dock);
    m_window->addDockWidget(Qt::BottomDockWidgetArea, m_log_dock);
    m_window->splitDockWidget(m_task_dock, m_log_dock, Qt::Horizontal);
    m_window->tabifyDockWidget(m_task_dock, m_channel_dock);
    m_window->tabifyDockWidget(m_task_dock, m_worker_dock);
    m_window->tabifyDockWidget(m_task_dock, m_charts_dock);
    m_window->tabifyDockWidget(m_task_dock, m_explain_dock);
    // The stage is a picture to watch while playing: a tall column beside the timeline.
    m_window->addDockWidget(Qt::RightDockWidgetArea, m_stage_dock);
    m_task_dock->raise();
    // Their sizes depend on the window's: WindowLayout sets them once it is shown.
}

int RunDocks::full_scale_stage_width() const {
    // Docked, a QDockWidget adds no frame at its sides; the scroll area adds its own
    // frame and, once the stage is taller than the dock, a scroll bar.
    const int frame = m_stage_scroll->frameWidth() * 2;
    return StageView::full_scale_width() + m_stage_scroll->verticalScrollBar()->sizeHint().width() +
           frame;
}

QList<QDockWidget*> RunDocks::docks() const {
    return {m_task_dock,   m_channel_dock, m_worker_dock, m_log_dock,
            m_charts_dock, m_stage_dock,   m_explain_dock};
}

void RunDocks::connect_selection() {
    connect(m_timeline, &TimelineView::selection_changed, this, &RunDocks::on_timeline_selection);
    connect(m_timeline, &TimelineView::view_changed, m_charts, &ChartsView::set_range);
    connect(m_stage, &StageView::task_clicked, this, [this](TaskId task) {
        if (task) select_task(task, true);
    });
    // Chips glide over about a quarter second of real time at the playback speed.
    auto animate = [this](double speed) {
        m_stage->set_animation(static_cast<view::Time>(std::max(1.0, speed * 250e6)));
    };
    connect(m_playback, &PlaybackController::speed_changed, this, animate);
    animate(m_playback->speed());
    // Chips glide only while playing; when the playhead rests, the stage is still.
    connect(m_playback, &PlaybackController::playing_changed, m_stage, &StageView::set_playing);
    m_stage->set_playing(m_playback->playing());
    auto on_row = [this](QTableView* view, QSortFilterProxyModel* proxy, auto handle) {
        connect(view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
                [this, proxy, handle](const QModelIndex& current) {
                    if (m_syncing || !current.isValid()) return;
                    const QModelIndex src = proxy->mapToSource(current);
                    handle(src.data(RunTableModel::IdRole).toUInt());
                });
    };
    on_row(m_task_view, m_task_proxy, [this](quint32 id) { select_task(id, true); });
    on_row(m_channel_view, m_channel_proxy, [this](quint32 id) { select_resource(id, true); });
    // Double-click: zoom the timeline to the task's life (or the channel's).
    auto zoom_to = [this](view::Time from, view::Time to) {
        const view::Time pad = std::max<view::Time>((to - from) / 20, 1000);
        m_timeline->set_visible_range(from - pad, to + pad);
    };
    connect(m_task_view, &QTableView::doubleClicked, this, [this, zoom_to](const QModelIndex& i) {
        const auto id = m_task_proxy->mapToSource(i).data(RunTableModel::IdRole).toUInt();
        if (const view::TaskInfo* t = m_model ? m_model->task(id) : nullptr)
            zoom_to(t->spawned, t->ended.value_or(m_model->end_time()));
    });
    connect(
        m_channel_view, &QTableView::doubleClicked, this, [this, zoom_to](const QModelIndex& i) {
            const auto id = m_channel_proxy->mapToSource(i).data(RunTableModel::IdRole).toUInt();
            if (const view::ResourceTrack* r = m_model ? m_model->resource(id) : nullptr)
                zoom_to(r->created, m_model->end_time());
        });
    // Explain: a click on a task's lane explains the wait under it; its links move the
    // playhead and select what they name.
    connect(m_timeline, &TimelineView::task_clicked, this, [this](TaskId task, qint64 t) {
        m_explain->show_task(task, t);
        if (m_explain_dock->toggleViewAction()->isChecked()) m_explain_dock->raise();
    });
    connect(m_explain, &ExplainView::link_activated, this,
            [this](TaskId task, ResourceId resource, qint64 t) {
                if (t >= 0) go_to_time(t);
                if (task)
                    select_task(task, true);
                else if (resource)
                    select_resource(resource, true);
            });
    on_row(m_worker_view, m_worker_proxy,
           [this](quint32 id) { m_timeline->reveal_worker(static_cast<WorkerId>(id)); });
}

void RunDocks::show_tables(std::shared_ptr<const view::RunModel> model,
                           std::shared_ptr<const session::RunReport> report) {
    m_model = std::move(model);
    m_task_model->set_run(m_model);
    m_channel_model->set_run(m_model);
    m_worker_model->set_run(m_model);
    m_log_model->set_run(m_model.get(), report.get());
    m_explain->set_model(m_model);
    for (QTableView* v : {m_task_view, m_channel_view, m_worker_view, m_log_view})
        v->resizeColumnsToContents();
    // Columns that follow the playhead get room for their longer texts.
    auto at_least = [](QTableView* v, int column, int px) {
        v->setColumnWidth(column, std::max(v->columnWidth(column), px));
    };
    const int em = m_task_view->fontMetrics().averageCharWidth();
    at_least(m_task_view, TaskTableModel::state, 24 * em);
    at_least(m_worker_view, WorkerTableModel::now, 22 * em);
    at_least(m_channel_view, ChannelTableModel::length, 8 * em);
    m_log_view->scrollToTop();
}

void RunDocks::show_views(std::shared_ptr<const view::RunModel> model, const QString& name) {
    m_charts->set_model(model);
    m_stage->set_model(model, name);
    m_charts->set_range(m_timeline->visible_start(), m_timeline->visible_end());
}

void RunDocks::reselect() {
    const TaskId selected_task = m_timeline->selected_task();
    const ResourceId selected_resource = m_timeline->selected_resource();
    if (selected_task)
        select_task(selected_task, false);
    else if (selected_resource)
        select_resource(selected_resource, false);
}

void RunDocks::set_time(qint64 t) {
    m_stage->setTime(t);
    m_task_model->set_time(t);
    m_channel_model->set_time(t);
    m_worker_model->set_time(t);
    const int before = m_log_model->current_row();
    m_log_model->set_time(t);
    const int row = m_log_model->current_row();
    if (m_follow && row >= 0 && row != before)
        m_log_view->scrollTo(m_log_model->index(row, 0), QAbstractItemView::EnsureVisible);
}

void RunDocks::update_titles() {
    auto count = [](const QString& title, int n) {
        return n > 0 ? QStringLiteral("%1 (%2)").arg(title).arg(n) : title;
    };
    m_task_dock->setWindowTitle(count(tr("Tasks"), m_task_model->rowCount()));
    m_channel_dock->setWindowTitle(count(tr("Channels"), m_channel_model->rowCount()));
    m_worker_dock->setWindowTitle(count(tr("Workers"), m_worker_model->rowCount()));
    const int errors = m_log_model->error_count();
    m_log_dock->setWindowTitle(errors > 0
                                   ? tr("Log (%1 error%2)").arg(errors).arg(errors > 1 ? "s" : "")
                                   : count(tr("Log"), m_log_model->rowCount()));
}

void RunDocks::apply_theme() {
    m_stage->apply_theme();
    m_charts->apply_theme();
}

void RunDocks::show_log() {
    m_log_dock->show();
    m_log_dock->raise();
}

void RunDocks::show_all() {
    for (QDockWidget* d : docks())
        d->show();
    m_task_dock->raise();
}

void RunDocks::select_task(TaskId task, bool reveal) {
    m_syncing = true;
    if (task != m_explain->task()) m_explain->show_task(task);
    m_timeline->set_selection(task, 0, reveal);
    m_charts->set_selection(task, 0);
    m_channel_view->clearSelection();
    const int row = m_task_model->row_of(task);
    if (row >= 0) {
        const QModelIndex idx = m_task_proxy->mapFromSource(m_task_model->index(row, 0));
        m_task_view->selectionModel()->setCurrentIndex(
            idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_task_view->scrollTo(idx);
    } else {
        m_task_view->clearSelection();
    }
    m_syncing = false;
}

void RunDocks::select_resource(ResourceId resource, bool reveal) {
    m_syncing = true;
    m_timeline->set_selection(0, resource, reveal);
    m_charts->set_selection(0, resource);
    m_task_view->clearSelection();
    const int row = m_channel_model->row_of(resource);
    if (row >= 0) {
        const QModelIndex idx = m_channel_proxy->mapFromSource(m_channel_model->index(row, 0));
        m_channel_view->selectionModel()->setCurrentIndex(
            idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_channel_view->scrollTo(idx);
    } else {
        m_channel_view->clearSelection();
    }
    m_syncing = false;
}

void RunDocks::on_timeline_selection(TaskId task, ResourceId resource) {
    if (task) {
        select_task(task, false);
        if (m_task_dock->isVisible()) m_task_dock->raise();
    } else if (resource) {
        select_resource(resource, false);
        if (m_channel_model->row_of(resource) >= 0 && m_channel_dock->isVisible())
            m_channel_dock->raise();
    } else {
        m_syncing = true;
        m_task_view->clearSelection();
        m_channel_view->clearSelection();
        m_charts->set_selection(0, 0);
        m_syncing = false;
    }
}

void RunDocks::go_to_time(qint64 t) {
    m_playback->pause();
    m_playback->set_time(t);
    // Bring the moment into view when it is off screen.
    if (t < m_timeline->visible_start() || t > m_timeline->visible_end()) {
        const view::Time span = m_timeline->visible_end() - m_timeline->visible_start();
        m_timeline->set_visible_range(t - span / 2, t + span / 2);
    }
}

void RunDocks::on_log_clicked(const QModelIndex& index) {
    const qint64 t = index.data(LogModel::TimeRole).toLongLong();
    if (t >= 0) go_to_time(t);
    if (const TaskId task = index.data(LogModel::TaskRole).toUInt(); task) select_task(task, true);
}

}  // namespace spindle::ui
