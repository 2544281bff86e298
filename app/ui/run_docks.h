#pragma once
// RunDocks: the window's docks around the timeline — Tasks, Channels, Workers,
// Charts and Explain tabbed under it, the Log beside them, the Stage in a column on the right —
// and the selection they share with the timeline.
//
// State and ownership: the docks are the window's children; RunDocks owns the
// table models and their sort proxies, holds the shown run (read-only, replaced as
// a whole) for zooming to a row's lifetime, and a flag that stops a mirrored
// selection from echoing back, and whether the Log follows the playhead. A task or
// channel picked in any table, the stage, the log or the timeline is selected in
// all of them. The window feeds it each finished run and the playhead; GUI thread
// only.

#include <QList>
#include <QObject>

#include <memory>

#include "run_model.h"
#include "run_report.h"

class QDockWidget;
class QMainWindow;
class QModelIndex;
class QScrollArea;
class QSortFilterProxyModel;
class QTableView;

namespace spindle::ui {

class ChannelTableModel;
class ChartsView;
class ExplainView;
class LogModel;
class PlaybackController;
class RunTableModel;
class StageView;
class TaskTableModel;
class TimelineView;
class WorkerTableModel;

class RunDocks final : public QObject {
    Q_OBJECT
public:
    /// Adds the docks to `window`, follows `timeline`'s selection and view, and
    /// moves `playback`'s playhead from the log.
    RunDocks(QMainWindow* window, TimelineView* timeline, PlaybackController* playback);

    /// Shows a finished run in the tables and the log (before the timeline takes it).
    void show_tables(std::shared_ptr<const view::RunModel> model,
                     std::shared_ptr<const session::RunReport> report);
    /// Shows it in the charts and the stage, over the timeline's visible range
    /// (after the timeline took it).
    void show_views(std::shared_ptr<const view::RunModel> model, const QString& name);
    /// Selects in the tables and charts what the timeline has selected.
    void reselect();
    /// The playhead moved: the stage, the tables and the log follow it.
    void set_time(qint64 t);
    /// While on, the Log scrolls to its latest entry at the playhead as it moves
    /// (the window turns it on while playing with Follow Playhead checked).
    void set_follow_playhead(bool follow) { m_follow = follow; }
    /// Dock titles with their row counts ("Tasks (3)", "Log (1 error)").
    void update_titles();
    /// The stage and the charts repaint with the current gui_theme().
    void apply_theme();

    /// Selects `task` (0: none) in the timeline, the tables and the charts;
    /// `reveal` scrolls the timeline to it.
    void select_task(TaskId task, bool reveal);
    /// The same for a channel or other resource.
    void select_resource(ResourceId resource, bool reveal);
    /// Shows and raises the Log.
    void show_log();
    /// Shows every dock, Tasks in front (View > Reset Layout).
    void show_all();

    QList<QDockWidget*> docks() const;
    /// The docks the default layout sizes: Tasks (in front of its tab group), the Log
    /// beside it and the Stage column.
    QDockWidget* task_dock() const { return m_task_dock; }
    QDockWidget* log_dock() const { return m_log_dock; }
    QDockWidget* stage_dock() const { return m_stage_dock; }
    /// The Stage dock's width at which the stage is painted at its own size, with
    /// room for the scroll bar a tall stage shows.
    int full_scale_stage_width() const;
    TaskTableModel* task_model() const { return m_task_model; }
    ChannelTableModel* channel_model() const { return m_channel_model; }
    WorkerTableModel* worker_model() const { return m_worker_model; }
    LogModel* log_model() const { return m_log_model; }
    QTableView* task_view() const { return m_task_view; }
    QTableView* channel_view() const { return m_channel_view; }
    QTableView* worker_view() const { return m_worker_view; }
    QTableView* log_view() const { return m_log_view; }
    ChartsView* charts() const { return m_charts; }
    ExplainView* explain() const { return m_explain; }
    QDockWidget* explain_dock() const { return m_explain_dock; }
    StageView* stage() const { return m_stage; }

private:
    void build();
    QTableView* make_table(RunTableModel* model, QSortFilterProxyModel** proxy);
    void connect_selection();
    void on_timeline_selection(TaskId task, ResourceId resource);
    void on_log_clicked(const QModelIndex& index);
    /// Pauses and moves the playhead to `t`, scrolling the timeline to it if off screen.
    void go_to_time(qint64 t);

    QMainWindow* m_window;
    TimelineView* m_timeline;
    PlaybackController* m_playback;
    std::shared_ptr<const view::RunModel> m_model;

    QDockWidget* m_task_dock = nullptr;
    QDockWidget* m_channel_dock = nullptr;
    QDockWidget* m_worker_dock = nullptr;
    QDockWidget* m_log_dock = nullptr;
    QDockWidget* m_charts_dock = nullptr;
    QDockWidget* m_stage_dock = nullptr;
    QDockWidget* m_explain_dock = nullptr;
    ExplainView* m_explain = nullptr;
    ChartsView* m_charts = nullptr;
    StageView* m_stage = nullptr;
    QScrollArea* m_stage_scroll = nullptr;
    TaskTableModel* m_task_model = nullptr;
    ChannelTableModel* m_channel_model = nullptr;
    WorkerTableModel* m_worker_model = nullptr;
    LogModel* m_log_model = nullptr;
    QSortFilterProxyModel* m_task_proxy = nullptr;
    QSortFilterProxyModel* m_channel_proxy = nullptr;
    QSortFilterProxyModel* m_worker_proxy = nullptr;
    QTableView* m_task_view = nullptr;
    QTableView* m_channel_view = nullptr;
    QTableView* m_worker_view = nullptr;
    QTableView* m_log_view = nullptr;
    bool m_syncing = false;  ///< a selection is being mirrored: do not echo it back
    bool m_follow = false;   ///< the Log scrolls along with the playhead
};

}  // namespace spindle::ui
