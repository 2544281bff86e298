#pragma once
// MainWindow: Spindle's desktop window — the timeline in the middle with the
// playback bar under it and the run's banner over it, the docks around it, and
// the menus and toolbar that open, re-run and export.
//
// State and ownership: the window owns its widgets, the ScenarioRunner (runs go
// on a worker thread) and the PlaybackController (the playhead). The shown run is
// a shared, read-only RunModel plus its RunReport, replaced as a whole when a run
// finishes; every view reads that pair. What is open (a scenario file, an embedded
// scenario, or a trace) is the rest. The parts keep their own state: RunToolbar the
// settings the user chose, RunDocks the tables and the shared selection,
// ScenarioWatcher the open scenario on disk, RecentFiles the recent list,
// WindowLayout the window's geometry and the docks' places and sizes. Run › Explore
// Schedules… goes through the ExploreRunner (its own worker threads) into the
// Schedules dock, which keeps the last exploration; opening one of its classes
// re-runs the scenario with that schedule. Layout and preferences persist in
// app_settings(). GUI thread only.

#include <QList>
#include <QMainWindow>
#include <QPointer>
#include <QString>

#include <memory>
#include <optional>
#include <string>

#include "compare_view.h"
#include "explore_dialog.h"
#include "explore_runner.h"
#include "run_banner.h"
#include "run_docks.h"
#include "run_toolbar.h"
#include "scenario_runner.h"

class QAction;
class QDockWidget;
class QLabel;
class QProgressBar;
class QTableView;

namespace spindle::ui {

class ChannelTableModel;
class ChartsView;
class LogModel;
class PlaybackBar;
class PlaybackController;
class RecentFiles;
class ScenarioWatcher;
class SchedulesView;
class TaskTableModel;
class TimelineView;
class WindowLayout;
class WorkerTableModel;

class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Opens a scenario (.lua) or a native trace (.spt, or any file starting with
    /// the trace magic) and runs it. `overrides` win over the script's settings.
    void open_file(const QString& path, const lua::ScenarioSettings& overrides = {});
    /// Runs scenario source text; `name` is what errors show as the file (a Qt
    /// resource path such as ":/scenarios/worker_pool.lua" is read from the resource).
    void open_source(const QString& source, const QString& name,
                     const lua::ScenarioSettings& overrides = {});
    /// Opens a scenario shipped as a Qt resource.
    void open_resource(const QString& resource, const lua::ScenarioSettings& overrides = {});

    /// The file or resource shown ("" before anything was opened).
    const QString& current_path() const { return m_path; }
    std::shared_ptr<const view::RunModel> model() const { return m_model; }
    std::shared_ptr<const RunReport> report() const { return m_report; }

    ScenarioRunner* runner() const { return m_runner; }
    PlaybackController* playback() const { return m_playback; }
    TimelineView* timeline() const { return m_timeline; }
    RunBanner* banner() const { return m_banner; }
    RunToolbar* run_toolbar() const { return m_toolbar; }
    TaskTableModel* task_model() const { return m_docks->task_model(); }
    ChannelTableModel* channel_model() const { return m_docks->channel_model(); }
    WorkerTableModel* worker_model() const { return m_docks->worker_model(); }
    LogModel* log_model() const { return m_docks->log_model(); }
    QTableView* task_view() const { return m_docks->task_view(); }
    QTableView* channel_view() const { return m_docks->channel_view(); }
    QTableView* worker_view() const { return m_docks->worker_view(); }
    QTableView* log_view() const { return m_docks->log_view(); }
    ChartsView* charts() const { return m_docks->charts(); }
    QList<QDockWidget*> docks() const { return m_docks->docks(); }
    /// Run › Explore Schedules…'s runner and its result dock (hidden until used).
    ExploreRunner* explorer() const { return m_explorer; }
    SchedulesView* schedules() const { return m_schedules; }
    QDockWidget* schedules_dock() const { return m_schedules_dock; }
    QAction* explore_action() const { return m_explore; }
    /// The compare window (null until something was compared, or after it was closed).
    CompareView* compare_view() const { return m_compare; }

    /// Writes the shown run as a native trace (.spt); false, with why in `error`,
    /// when there is no run or the file cannot be written (no partial file is left).
    bool save_trace_to(const QString& path, QString* error = nullptr);
    /// The same as Chrome Trace Event JSON.
    bool export_chrome_trace_to(const QString& path, QString* error = nullptr);

public Q_SLOTS:
    /// Runs the open scenario again with the toolbar's settings (a trace is reloaded).
    void rerun();
    void cancel_run();
    void save_trace();
    void export_timeline();
    void export_chrome_trace();
    /// Explores the open scenario's schedules (its workers and policy as the toolbar
    /// has them) with `settings`, showing progress and then the classes in the
    /// Schedules dock. Does nothing unless a scenario is open.
    void explore_schedules(const ExploreSettings& settings);
    /// Opens class `index` of the last exploration at its shortest run: the scenario
    /// re-runs with that run's strategy, depth, steps, jitter and seed.
    void open_explored_class(int index);
    /// Shows class `failing`'s and class `passing`'s shortest runs in the compare window.
    void compare_explored(int failing, int passing);
    /// Runs `a` and `b` and shows them one above the other in the compare window.
    void compare_runs(RunRequest a, const QString& title_a, RunRequest b, const QString& title_b);
    /// File › Compare With…: the open run against a scenario or trace the user picks.
    void compare_with_file();

Q_SIGNALS:
    /// A run finished and every view shows it.
    void run_shown();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    enum class Source { none, scenario_file, scenario_source, trace_file };

    void build_actions();
    void build_menus();
    void restore_settings();
    /// Switches every view (and the widgets' palette) to the dark or light theme.
    void apply_theme(bool dark);
    void save_settings();

    /// The run the window would start now: the open scenario with the toolbar's settings.
    RunRequest current_request() const;
    /// The shortest run of class `index` of the last exploration, with its schedule.
    std::optional<RunRequest> explored_run(int index) const;
    void start_run(bool keep_view);
    void on_progress(quint64 events, qint64 virtual_ns);
    /// A trace being read: the progress bar shows how much of the file is decoded.
    void on_reading(quint64 bytes, quint64 total);
    /// What the middle says while a run is in progress and nothing is shown yet.
    void show_run_progress(quint64 events, qint64 virtual_ns);
    void on_finished(std::shared_ptr<const view::RunModel> model,
                     std::shared_ptr<const RunReport> report);
    void set_running(bool running);
    void update_titles();
    void build_schedules_dock();

    /// The folder the open and save dialogs start in.
    QString dialog_dir() const;
    bool write_run(const QString& path, bool chrome, QString* error);

    // The run.
    ScenarioRunner* m_runner = nullptr;
    PlaybackController* m_playback = nullptr;
    std::shared_ptr<const view::RunModel> m_model;
    std::shared_ptr<const RunReport> m_report;
    Source m_source = Source::none;
    QString m_path;             ///< file or resource shown
    std::string m_source_text;  ///< Source::scenario_source
    bool m_keep_view = false;   ///< the pending run replaces the same scenario
    bool m_new_file = true;     ///< the pending run is a newly opened file

    // Central area.
    RunBanner* m_banner = nullptr;
    TimelineView* m_timeline = nullptr;
    PlaybackBar* m_playback_bar = nullptr;

    // Around it.
    RunToolbar* m_toolbar = nullptr;
    RunDocks* m_docks = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;

    // Actions.
    QAction* m_open = nullptr;
    QAction* m_open_trace = nullptr;
    QAction* m_save_trace = nullptr;
    QAction* m_export_timeline = nullptr;
    QAction* m_export_chrome = nullptr;
    QAction* m_quit = nullptr;
    QAction* m_rerun = nullptr;
    QAction* m_cancel = nullptr;
    QAction* m_zoom_in = nullptr;
    QAction* m_zoom_out = nullptr;
    QAction* m_fit = nullptr;
    QAction* m_wakes = nullptr;
    QAction* m_collapse_tasks = nullptr;
    QAction* m_dark_theme = nullptr;
    QAction* m_follow = nullptr;
    QAction* m_explore = nullptr;
    QAction* m_compare_with = nullptr;
    QPointer<CompareView> m_compare;  ///< its own window; deletes itself when closed

    // Exploring schedules.
    ExploreRunner* m_explorer = nullptr;
    SchedulesView* m_schedules = nullptr;
    QDockWidget* m_schedules_dock = nullptr;
    ExploreSettings m_explore_settings = load_explore_settings();  ///< the dialog's last choices

    RecentFiles* m_recent = nullptr;
    ScenarioWatcher* m_scenario_watcher = nullptr;  ///< the open scenario on disk
    WindowLayout* m_layout = nullptr;  ///< the geometry and the docks, saved and default
};

}  // namespace spindle::ui
