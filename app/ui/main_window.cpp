#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QStandardPaths>
#include <QStatusBar>
#include <QVBoxLayout>

#include <algorithm>
#include <filesystem>

#include "about_text.h"
#include "app_settings.h"
#include "compare_view.h"
#include "example_scenarios.h"
#include "export_dialog.h"
#include "gui_theme.h"
#include "lane/lane.h"
#include "playback_bar.h"
#include "playback_controller.h"
#include "recent_files.h"
#include "run_files.h"
#include "scenario_watcher.h"
#include "schedules_dock.h"
#include "stage_view.h"
#include "timeline_view.h"
#include "window_layout.h"

namespace spindle::ui {

namespace {

/// "<dir>/<file stem or run name><extension>" for a save dialog.
QString suggested(const QString& path, const QString& dir, const QString& name,
                  const char* extension) {
    const QString base = QFileInfo(path).completeBaseName();
    const QString stem = base.isEmpty() ? name : base;
    return QDir(dir).filePath(stem + QLatin1String(extension));
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("Spindle"));
    setAcceptDrops(true);
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
    setObjectName(QStringLiteral("MainWindow"));

    m_runner = new ScenarioRunner(this);
    m_playback = new PlaybackController(this);
    m_scenario_watcher = new ScenarioWatcher(this);
    connect(m_scenario_watcher, &ScenarioWatcher::rerun_requested, this, &MainWindow::rerun);

    m_timeline = new TimelineView;
    m_banner = new RunBanner;
    m_playback_bar = new PlaybackBar(m_playback);
    build_actions();

    // Central area: banner, timeline, playback bar.
    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(m_timeline, 1);
    layout->addWidget(m_playback_bar);
    setCentralWidget(central);

    m_toolbar = new RunToolbar({m_open, m_rerun, m_cancel}, {m_fit, m_wakes}, this);
    addToolBar(m_toolbar);
    connect(m_toolbar, &RunToolbar::changed, this, &MainWindow::rerun);
    m_docks = new RunDocks(this, m_timeline, m_playback);
    build_schedules_dock();
    build_menus();
    connect(m_banner, &RunBanner::log_requested, m_docks, &RunDocks::show_log);
    connect(m_banner, &RunBanner::task_requested, m_docks,
            [this](TaskId task) { m_docks->select_task(task, true); });

    m_status = new QLabel;
    statusBar()->addPermanentWidget(m_status);
    m_progress = new QProgressBar;
    m_progress->setRange(0, 0);  // busy: the length of a run is not known in advance
    m_progress->setMaximumWidth(120);
    m_progress->setMaximumHeight(14);
    m_progress->setTextVisible(false);
    m_progress->hide();
    statusBar()->addPermanentWidget(m_progress);

    connect(m_runner, &ScenarioRunner::progress, this, &MainWindow::on_progress);
    connect(m_runner, &ScenarioRunner::reading, this, &MainWindow::on_reading);
    connect(m_runner, &ScenarioRunner::finished, this, &MainWindow::on_finished);

    // Playhead: controller -> timeline and docks (the playback bar follows it itself).
    connect(m_playback, &PlaybackController::time_changed, this, [this](qint64 t) {
        m_timeline->set_playhead(t);
        m_docks->set_time(t);
    });
    connect(m_playback, &PlaybackController::playing_changed, this, [this](bool playing) {
        m_timeline->set_follow_playhead(playing && m_follow->isChecked());
        m_docks->set_follow_playhead(playing && m_follow->isChecked());
    });
    connect(m_timeline, &TimelineView::playhead_requested, this, [this](qint64 t) {
        m_playback->pause();
        m_playback->set_time(t);
    });
    connect(m_timeline, &TimelineView::step_requested, this, [this](int direction) {
        direction < 0 ? m_playback->step_backward() : m_playback->step_forward();
    });
    connect(m_timeline, &TimelineView::range_measured, this, [this](qint64 a, qint64 b) {
        statusBar()->showMessage(tr("Measured %1 (from %2 to %3)")
                                     .arg(render::format_duration(b - a), render::format_time(a),
                                          render::format_time(b)));
    });

    set_running(false);
    update_titles();
    m_layout = new WindowLayout(this, m_docks);
    restore_settings();
}

MainWindow::~MainWindow() = default;

// ---- Building -------------------------------------------------------------------

void MainWindow::build_actions() {
    auto action = [this](const QString& text, const QKeySequence& key, auto slot) {
        auto* a = new QAction(text, this);
        if (!key.isEmpty()) a->setShortcut(key);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    m_open = action(tr("&Open Scenario…"), QKeySequence::Open, [this] {
        const QString file = QFileDialog::getOpenFileName(
            this, tr("Open Scenario"), dialog_dir(), tr("Lua scenarios (*.lua);;All files (*)"));
        if (!file.isEmpty()) open_file(file);
    });
    m_open->setIcon(style()->standardIcon(QStyle::SP_DialogOpenButton));
    m_open->setToolTip(tr("Open a scenario script (Ctrl+O)"));
    m_open_trace =
        action(tr("Open &Trace…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), [this] {
            const QString file = QFileDialog::getOpenFileName(
                this, tr("Open Trace"), dialog_dir(), tr("Spindle traces (*.spt);;All files (*)"));
            if (!file.isEmpty()) open_file(file);
        });
    m_save_trace = action(tr("&Save Trace…"), QKeySequence::Save, &MainWindow::save_trace);
    m_export_timeline = action(tr("&Export Timeline…"), QKeySequence(Qt::CTRL | Qt::Key_E),
                               &MainWindow::export_timeline);
    m_export_chrome = action(tr("Export &Chrome Trace…"), {}, &MainWindow::export_chrome_trace);
    m_compare_with = action(tr("Co&mpare With…"), {}, &MainWindow::compare_with_file);
    m_compare_with->setToolTip(
        tr("Show this run and another scenario or trace one above the other, on one time axis"));
    m_quit = action(tr("&Quit"), QKeySequence::Quit, &QWidget::close);

    m_rerun = action(tr("&Re-run"), QKeySequence(Qt::Key_F5), &MainWindow::rerun);
    m_rerun->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    m_rerun->setToolTip(tr("Run the scenario again with these settings (F5)"));
    m_cancel =
        action(tr("&Cancel Run"), QKeySequence(Qt::SHIFT | Qt::Key_F5), &MainWindow::cancel_run);
    m_cancel->setIcon(style()->standardIcon(QStyle::SP_BrowserStop));
    m_cancel->setToolTip(tr("Stop the run in progress and show what ran (Shift+F5)"));

    m_follow = new QAction(tr("Follow Playhead"), this);
    m_follow->setCheckable(true);
    m_follow->setChecked(true);
    m_follow->setToolTip(
        tr("While playing, scroll the timeline and the log along with the playhead"));
    connect(m_follow, &QAction::toggled, this, [this](bool on) {
        m_timeline->set_follow_playhead(on && m_playback->playing());
        if (m_docks) m_docks->set_follow_playhead(on && m_playback->playing());
    });

    m_zoom_in =
        action(tr("Zoom &In"), QKeySequence(Qt::Key_Plus), [this] { m_timeline->zoom_in(); });
    m_zoom_in->setShortcuts({QKeySequence(Qt::Key_Plus), QKeySequence(Qt::Key_Equal)});
    m_zoom_out =
        action(tr("Zoom &Out"), QKeySequence(Qt::Key_Minus), [this] { m_timeline->zoom_out(); });
    m_fit = action(tr("&Fit"), QKeySequence(Qt::Key_F), [this] { m_timeline->fit(); });
    m_fit->setToolTip(tr("Show the whole run (F)"));
    m_wakes = new QAction(tr("&Wake Arrows"), this);
    m_wakes->setCheckable(true);
    m_wakes->setToolTip(tr("Arrows from the poll that woke a task to its next poll"));
    connect(m_wakes, &QAction::toggled, m_timeline, &TimelineView::set_wake_arrows);
    m_collapse_tasks = new QAction(tr("&Collapse Tasks"), this);
    m_collapse_tasks->setCheckable(true);
    connect(m_collapse_tasks, &QAction::toggled, m_timeline, &TimelineView::set_tasks_collapsed);
    m_explore = action(tr("E&xplore Schedules…"), QKeySequence(Qt::CTRL | Qt::Key_R), [this] {
        ExploreDialog dialog(m_explore_settings, this);
        if (dialog.exec() != QDialog::Accepted) return;
        m_explore_settings = dialog.settings();
        save_explore_settings(m_explore_settings);
        explore_schedules(m_explore_settings);
    });
    m_explore->setToolTip(
        tr("Run the scenario under many schedules and group the outcomes (Ctrl+R)"));
    m_dark_theme = new QAction(tr("&Dark Theme"), this);
    m_dark_theme->setCheckable(true);
    m_dark_theme->setToolTip(tr("Paint the app dark; exported pictures stay light"));
    connect(m_dark_theme, &QAction::toggled, this, &MainWindow::apply_theme);

    // Shortcuts of the window act wherever the focus is, except in text fields.
    addActions(m_playback_bar->transport_actions());
    for (QAction* a : {m_zoom_in, m_zoom_out, m_fit})
        addAction(a);
}

void MainWindow::build_menus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_open);
    file->addAction(m_open_trace);
    file->addAction(m_compare_with);
    m_recent = new RecentFiles(file->addMenu(tr("Open &Recent")), this);
    connect(m_recent, &RecentFiles::open_requested, this,
            [this](const QString& path) { open_file(path); });
    // The shipped scenarios: installed under the prefix, or the source tree's when
    // run from the build folder (session/example_scenarios.h).
    QMenu* examples = file->addMenu(tr("Open E&xample"));
    examples->setObjectName(QStringLiteral("open_example_menu"));
    const auto scenarios =
        session::list_scenarios(session::find_scenarios_dir(session::running_program_dir()));
    for (const std::filesystem::path& f : scenarios) {
        const QString path = QString::fromStdString(f.string());
        QAction* a = examples->addAction(QString::fromStdString(f.stem().string()), this,
                                         [this, path] { open_file(path); });
        a->setStatusTip(path);
    }
    if (scenarios.empty()) examples->addAction(tr("(none installed)"))->setEnabled(false);
    file->addSeparator();
    file->addAction(m_save_trace);
    file->addAction(m_export_timeline);
    file->addAction(m_export_chrome);
    file->addSeparator();
    file->addAction(m_quit);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addAction(m_rerun);
    run->addAction(m_cancel);
    run->addSeparator();
    run->addAction(m_explore);
    run->addSeparator();
    auto* always = run->addAction(tr("Re-run When the &Scenario Changes"));
    always->setCheckable(true);
    always->setChecked(ScenarioWatcher::rerun_on_change());
    connect(always, &QAction::toggled, this, &ScenarioWatcher::set_rerun_on_change);
    connect(run, &QMenu::aboutToShow, this, [always] {
        const QSignalBlocker block(always);
        always->setChecked(ScenarioWatcher::rerun_on_change());
    });

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_zoom_in);
    view->addAction(m_zoom_out);
    view->addAction(m_fit);
    view->addSeparator();
    view->addAction(m_wakes);
    view->addAction(m_collapse_tasks);
    view->addAction(m_dark_theme);
    view->addSeparator();
    for (QDockWidget* d : docks())
        view->addAction(d->toggleViewAction());
    view->addAction(m_schedules_dock->toggleViewAction());
    view->addAction(m_toolbar->toggleViewAction());
    view->addSeparator();
    view->addAction(tr("Reset &Layout"), this, [this] { m_layout->reset(); });

    QMenu* play = menuBar()->addMenu(tr("&Playback"));
    play->addActions(m_playback_bar->transport_actions());
    play->addSeparator();
    play->addAction(m_follow);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Mouse and Keys"), this, [this] {
        QMessageBox::information(
            this, tr("Mouse and Keys"),
            tr("<b>Timeline</b><br>"
               "Wheel: zoom around the cursor · Shift+wheel or wheel over the names: scroll<br>"
               "Drag: pan · Shift+drag: measure a range · Double-click: zoom in<br>"
               "Click: select a task or channel · Click the ruler: move the playhead<br>"
               "+ / −: zoom · F: fit the whole run · Esc: clear the selection<br><br>"
               "<b>Playback</b><br>"
               "Space: play / pause · , and . (or Left / Right in the timeline): previous / "
               "next event · Home / End: jump to start / end<br><br>"
               "<b>Tables</b><br>Click a row: select it in the timeline · Double-click: "
               "zoom to its lifetime · Click a log line: move the playhead there<br><br>"
               "<b>Runs</b><br>F5: re-run · Shift+F5: cancel · Ctrl+R: explore schedules · Drop a "
               ".lua or .spt file on "
               "the window to open it."));
    });
    help->addAction(tr("&About Spindle"), this,
                    [this] { QMessageBox::about(this, tr("About Spindle"), about_text()); });
}

// ---- Settings -------------------------------------------------------------------

void MainWindow::restore_settings() {
    QSettings s = app_settings();
    m_layout->restore();
    m_wakes->setChecked(s.value(QStringLiteral("view/wake_arrows"), false).toBool());
    m_dark_theme->setChecked(s.value(QStringLiteral("view/dark_theme"), false).toBool());
    m_follow->setChecked(s.value(QStringLiteral("view/follow_playhead"), true).toBool());
}

void MainWindow::apply_theme(bool dark) {
    const render::Theme& t = dark ? render::Theme::dark() : render::Theme::light();
    set_gui_theme(t);
    QApplication::setPalette(gui_palette(t));
    m_playback_bar->apply_theme();
    m_timeline->apply_theme();
    m_docks->apply_theme();
    m_schedules->apply_theme();
}

void MainWindow::save_settings() {
    m_layout->save();
    QSettings s = app_settings();
    s.setValue(QStringLiteral("view/wake_arrows"), m_wakes->isChecked());
    s.setValue(QStringLiteral("view/dark_theme"), m_dark_theme->isChecked());
    s.setValue(QStringLiteral("view/follow_playhead"), m_follow->isChecked());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    save_settings();
    m_runner->cancel();
    m_explorer->cancel();
    QMainWindow::closeEvent(event);
}

// ---- Opening and running --------------------------------------------------------

void MainWindow::open_file(const QString& path, const lua::ScenarioSettings& overrides) {
    const QFileInfo info(path);
    m_path = info.exists() ? info.absoluteFilePath() : path;
    m_source = session::looks_like_trace(QFile::encodeName(path).toStdString())
                   ? Source::trace_file
                   : Source::scenario_file;
    m_source_text.clear();
    m_toolbar->set_overrides(overrides);
    if (info.exists()) {
        m_recent->add(m_path);
        m_recent->remember_dir(m_path);
    }
    m_scenario_watcher->watch(m_source == Source::scenario_file && info.exists() ? m_path
                                                                                 : QString());
    m_new_file = true;
    start_run(false);
}

void MainWindow::open_source(const QString& source, const QString& name,
                             const lua::ScenarioSettings& overrides) {
    m_path = name;
    m_source = Source::scenario_source;
    m_source_text = source.toStdString();
    m_toolbar->set_overrides(overrides);
    m_scenario_watcher->watch({});
    m_new_file = true;
    start_run(false);
}

void MainWindow::open_resource(const QString& resource, const lua::ScenarioSettings& overrides) {
    QFile f(resource);
    if (!f.open(QIODevice::ReadOnly)) {
        open_file(resource, overrides);  // reports "cannot read the file"
        return;
    }
    open_source(QString::fromUtf8(f.readAll()), resource, overrides);
}

void MainWindow::rerun() {
    if (m_source == Source::none) return;
    m_toolbar->cancel_pending();
    m_new_file = false;
    start_run(true);
}

void MainWindow::cancel_run() {
    m_runner->cancel();
}

RunRequest MainWindow::current_request() const {
    RunRequest request;
    request.path = QFile::encodeName(m_path).toStdString();
    switch (m_source) {
        case Source::none:
            break;
        case Source::scenario_file:
            request.source = RunRequest::Source::scenario_file;
            break;
        case Source::scenario_source:
            request.source = RunRequest::Source::scenario_source;
            request.text = m_source_text;
            break;
        case Source::trace_file:
            request.source = RunRequest::Source::trace_file;
            break;
    }
    request.overrides = m_toolbar->overrides();
    return request;
}

void MainWindow::start_run(bool keep_view) {
    if (m_source == Source::none) return;
    RunRequest request = current_request();
    m_keep_view = keep_view;
    m_playback->pause();
    set_running(true);
    statusBar()->showMessage(tr("Running %1…").arg(QFileInfo(m_path).fileName()));
    // Until the first run of a file is shown, the title and the middle name it.
    update_titles();
    show_run_progress(0, 0);
    m_runner->start(std::move(request));
}

void MainWindow::show_run_progress(quint64 events, qint64 virtual_ns) {
    QString text = m_source == Source::trace_file
                       ? tr("Reading %1…").arg(QFileInfo(m_path).fileName())
                       : tr("Running %1…").arg(QFileInfo(m_path).fileName());
    if (events > 0)
        text += QLatin1Char('\n') + tr("%1 events so far, %2 of virtual time")
                                        .arg(QLocale().toString(static_cast<qulonglong>(events)),
                                             render::format_duration(virtual_ns));
    text += QLatin1Char('\n') + tr("Shift+F5 stops it and shows what ran.");
    m_timeline->set_placeholder(text);
    if (!m_model) m_docks->stage()->set_placeholder(text);  // a first run: nothing else to show
}

void MainWindow::set_running(bool running) {
    m_cancel->setEnabled(running);
    m_progress->setRange(0, 0);  // busy until a trace read says how far it is
    m_progress->setVisible(running);
    const bool have_run = m_model != nullptr && !running;
    m_save_trace->setEnabled(have_run && m_report && m_report->has_trace());
    m_export_chrome->setEnabled(m_save_trace->isEnabled());
    m_export_timeline->setEnabled(have_run && m_model->end_time() > 0);
    const bool playable = have_run && m_model->end_time() > 0;
    m_playback_bar->set_playable(playable);
    m_rerun->setEnabled(m_source != Source::none);
    const bool scenario = m_source == Source::scenario_file || m_source == Source::scenario_source;
    m_toolbar->set_editable(scenario);
    m_explore->setEnabled(scenario && !m_explorer->running());
    m_compare_with->setEnabled(m_source != Source::none);
}

void MainWindow::on_progress(quint64 events, qint64 virtual_ns) {
    if (!m_runner->running()) return;
    m_status->setText(tr("%1 events · %2 virtual")
                          .arg(QLocale().toString(static_cast<qulonglong>(events)),
                               render::format_duration(virtual_ns)));
    show_run_progress(events, virtual_ns);
}

void MainWindow::on_reading(quint64 bytes, quint64 total) {
    if (!m_runner->running() || total == 0) return;
    m_progress->setRange(0, 1000);
    m_progress->setValue(static_cast<int>(std::min<quint64>(bytes, total) * 1000 / total));
    m_status->setText(tr("%1 % read · %2").arg(bytes * 100 / total).arg(m_status->text()));
}

void MainWindow::on_finished(std::shared_ptr<const view::RunModel> model,
                             std::shared_ptr<const RunReport> report) {
    m_model = std::move(model);
    m_report = std::move(report);
    const QString name = QString::fromStdString(m_report->name);

    m_docks->show_tables(m_model, m_report);
    m_docks->stage()->set_placeholder({});

    QString note;
    if (!m_report->errors.empty())
        note = QString::fromStdString(m_report->errors.front()).section(QLatin1Char('\n'), 0, 0);
    else if (m_report->deadlock)  // the cycle in one short line, as exports show it
        note = QString::fromStdString(m_report->headline().text);
    else if (!m_report->description.empty())
        note = QString::fromStdString(m_report->description);
    m_timeline->set_placeholder(
        m_model->run().events == 0
            ? tr("Nothing ran: see the message above. Fix the file and press F5 to run it "
                 "again, or open another one (Ctrl+O).")
            : QString());
    m_timeline->set_model(m_model, name, note, m_keep_view && !m_new_file, m_report->status);
    m_docks->show_views(m_model, name);
    if (m_new_file) m_playback_bar->pick_speed_for(m_model->end_time());
    // A new file opens at its start; a re-run keeps the moment being looked at.
    m_playback->set_times(m_model->end_time(), m_report->event_times,
                          m_keep_view && !m_new_file ? m_playback->time() : 0);
    m_docks->reselect();

    m_toolbar->show_settings(*m_report);
    m_banner->show_report(*m_report, *m_model, QFileInfo(m_path).fileName());
    update_titles();
    set_running(false);

    const RunReport& r = *m_report;
    const QString outcome = r.status == session::RunStatus::compile_error ||
                                    r.status == session::RunStatus::bad_settings
                                ? tr("failed")
                                : QString::fromUtf8(session::word(r.status));
    statusBar()->showMessage(tr("%1: %2").arg(name, outcome), 8000);
    if (r.events == 0)
        m_status->clear();
    else
        m_status->setText(
            tr("%1 events · %2 virtual · ran in %3")
                .arg(QLocale().toString(static_cast<qulonglong>(r.events)),
                     render::format_duration(m_model->end_time()),
                     r.wall.count() < 1 ? tr("<1 ms") : tr("%1 ms").arg(r.wall.count())));
    Q_EMIT run_shown();
}

void MainWindow::update_titles() {
    const QString file = QFileInfo(m_path).fileName();
    QString schedule;  // a run opened from the Schedules dock says which schedule it is
    if (m_report && m_report->config.strategy != Strategy::fixed) {
        const RuntimeConfig& c = m_report->config;
        schedule = QString::fromUtf8(to_string(c.strategy).data());
        if (c.strategy == Strategy::pct) schedule += tr(" depth %1").arg(c.pct_depth);
        if (c.jitter_pct) schedule += tr(" jitter %1 %").arg(c.jitter_pct);
        schedule = tr(" (%1, seed %2)").arg(schedule).arg(c.seed);
    }
    setWindowTitle(file.isEmpty() ? tr("Spindle") : tr("%1%2 — Spindle").arg(file, schedule));
    m_docks->update_titles();
}

// ---- Exploring schedules --------------------------------------------------------

void MainWindow::build_schedules_dock() {
    m_explorer = new ExploreRunner(this);
    m_schedules = new SchedulesView;
    m_schedules_dock = new QDockWidget(tr("Schedules"), this);
    m_schedules_dock->setObjectName(QStringLiteral("SchedulesDock"));
    m_schedules_dock->setWidget(m_schedules);
    m_schedules_dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable |
                                  QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::BottomDockWidgetArea, m_schedules_dock);
    tabifyDockWidget(m_docks->task_dock(), m_schedules_dock);
    m_schedules_dock->hide();  // until the first exploration
    m_docks->task_dock()->raise();

    connect(m_schedules, &SchedulesView::cancel_requested, m_explorer, &ExploreRunner::cancel);
    connect(m_schedules, &SchedulesView::open_requested, this, &MainWindow::open_explored_class);
    connect(m_schedules, &SchedulesView::compare_requested, this, &MainWindow::compare_explored);
    connect(m_explorer, &ExploreRunner::progress, this,
            [this](quint64 done, quint64 asked, quint64 classes) {
                m_schedules->show_progress(done, asked, classes);
                m_status->setText(tr("Exploring: %1 of %2 schedules")
                                      .arg(QLocale().toString(static_cast<qulonglong>(done)),
                                           QLocale().toString(static_cast<qulonglong>(asked))));
            });
    connect(m_explorer, &ExploreRunner::finished, this,
            [this](std::shared_ptr<const session::ExploreResult> result,
                   std::shared_ptr<const session::ExploreRequest> request) {
                m_schedules->show_result(result, request);
                m_status->clear();
                statusBar()->showMessage(
                    result->error.empty()
                        ? tr("Explored %1 schedules: %2 outcome classes")
                              .arg(result->runs)
                              .arg(result->classes.size())
                        : tr("Could not explore: %1").arg(QString::fromStdString(result->error)),
                    8000);
                set_running(m_runner->running());
            });
}

void MainWindow::explore_schedules(const ExploreSettings& settings) {
    if (m_source != Source::scenario_file && m_source != Source::scenario_source) return;
    session::ExploreRequest request;
    request.run = current_request();
    // The toolbar's workers and policy stay; the schedule is what the dialog chose.
    lua::ScenarioSettings& o = request.run.overrides;
    o.seed.reset();
    o.strategy = settings.strategy;
    o.pct_depth = settings.depth;
    o.pct_steps.reset();
    o.jitter_pct = settings.jitter_pct;
    request.runs = settings.runs;
    request.jobs = settings.jobs;
    m_schedules->show_started(m_path, settings.runs);
    m_schedules_dock->show();
    m_schedules_dock->raise();
    m_explorer->start(std::move(request));
    m_explore->setEnabled(false);
}

std::optional<RunRequest> MainWindow::explored_run(int index) const {
    const auto result = m_schedules->result();
    const auto request = m_schedules->request();
    if (!result || !request || index < 0 || index >= static_cast<int>(result->classes.size()))
        return std::nullopt;
    const session::OutcomeClass& k = result->classes[static_cast<std::size_t>(index)];
    // Exactly the settings replay_command() prints for this seed.
    const RuntimeConfig& c = result->config;
    RunRequest run = request->run;
    lua::ScenarioSettings& o = run.overrides;
    o.strategy = c.strategy;
    o.pct_depth = c.pct_depth;
    o.pct_steps = c.pct_steps;
    o.jitter_pct = c.jitter_pct;
    o.seed = k.shortest_seed;
    return run;
}

void MainWindow::open_explored_class(int index) {
    const std::optional<RunRequest> run = explored_run(index);
    if (!run) return;
    const session::OutcomeClass& k =
        m_schedules->result()->classes[static_cast<std::size_t>(index)];
    const QString path = QString::fromStdString(run->path.string());
    statusBar()->showMessage(tr("Opening the shortest run of \u201c%1\u201d (seed %2)")
                                 .arg(QString::fromStdString(k.label))
                                 .arg(k.shortest_seed),
                             8000);
    if (run->source == RunRequest::Source::scenario_source) {
        open_source(QString::fromStdString(run->text), path, run->overrides);
    } else if (m_source == Source::scenario_file &&
               QFile::encodeName(m_path).toStdString() == run->path.string()) {
        m_toolbar->set_overrides(run->overrides);
        m_toolbar->cancel_pending();
        m_new_file = false;
        start_run(false);
    } else {
        open_file(QFile::decodeName(run->path.string().c_str()), run->overrides);
    }
}

void MainWindow::compare_explored(int failing, int passing) {
    const std::optional<RunRequest> a = explored_run(failing);
    const std::optional<RunRequest> b = explored_run(passing);
    if (!a || !b) return;
    const auto& classes = m_schedules->result()->classes;
    const auto title = [&classes](int i) {
        const session::OutcomeClass& k = classes[static_cast<std::size_t>(i)];
        return tr("%1 (seed %2)").arg(QString::fromStdString(k.label)).arg(k.shortest_seed);
    };
    compare_runs(*a, title(failing), *b, title(passing));
}

void MainWindow::compare_runs(RunRequest a, const QString& title_a, RunRequest b,
                              const QString& title_b) {
    if (!m_compare) {
        m_compare = new CompareView;
        m_compare->setAttribute(Qt::WA_DeleteOnClose);
        m_compare->setWindowFlag(Qt::Window);
        m_compare->setParent(this, Qt::Window);
        m_compare->resize(std::max(900, width() * 9 / 10), std::max(600, height() * 9 / 10));
    }
    m_compare->setWindowTitle(tr("Compare — %1").arg(QFileInfo(m_path).fileName()));
    m_compare->compare(std::move(a), title_a, std::move(b), title_b);
    m_compare->show();
    m_compare->raise();
}

void MainWindow::compare_with_file() {
    if (m_source != Source::scenario_file && m_source != Source::scenario_source &&
        m_source != Source::trace_file)
        return;
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Compare With"), dialog_dir(),
                                     tr("Scenarios and traces (*.lua *.spt);;All files (*)"));
    if (file.isEmpty()) return;
    RunRequest other;
    other.path = QFile::encodeName(file).toStdString();
    compare_runs(current_request(), QFileInfo(m_path).fileName(), std::move(other),
                 QFileInfo(file).fileName());
}

// ---- Files ----------------------------------------------------------------------

QString MainWindow::dialog_dir() const {
    return m_recent->dialog_dir(m_path);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    const QMimeData* mime = event->mimeData();
    if (mime->hasUrls() && !mime->urls().isEmpty() && mime->urls().front().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.front().isLocalFile()) return;
    event->acceptProposedAction();
    open_file(urls.front().toLocalFile());
}

bool MainWindow::save_trace_to(const QString& path, QString* error) {
    return write_run(path, false, error);
}

bool MainWindow::export_chrome_trace_to(const QString& path, QString* error) {
    return write_run(path, true, error);
}

bool MainWindow::write_run(const QString& path, bool chrome, QString* error) {
    auto fail = [error](const QString& why) {
        if (error) *error = why;
        return false;
    };
    if (!m_report || !m_report->has_trace()) {
        return fail(m_report && !m_report->trace_error.empty()
                        ? QString::fromStdString(m_report->trace_error)
                        : tr("there is no run to write"));
    }
    const std::filesystem::path target(path.toStdString());
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const std::string why = chrome ? session::save_chrome_trace(*m_report->trace, target)
                                   : session::save_trace_copy(*m_report->trace, target);
    QApplication::restoreOverrideCursor();
    if (!why.empty()) return fail(QString::fromStdString(why));
    return true;
}

void MainWindow::save_trace() {
    if (!m_report || !m_report->has_trace()) return;
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Save Trace"),
        suggested(m_path, m_recent->save_dir(m_path, QStandardPaths::DocumentsLocation),
                  QString::fromStdString(m_report->name), ".spt"),
        tr("Spindle traces (*.spt)"));
    if (file.isEmpty()) return;
    m_recent->remember_dir(file);
    QString error;
    if (save_trace_to(file, &error))
        statusBar()->showMessage(tr("Saved the trace to %1").arg(file), 8000);
    else
        QMessageBox::warning(this, tr("Save Trace"),
                             tr("Could not save the trace:\n%1").arg(error));
}

void MainWindow::export_chrome_trace() {
    if (!m_report || !m_report->has_trace()) return;
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export Chrome Trace"),
        suggested(m_path, m_recent->save_dir(m_path, QStandardPaths::DocumentsLocation),
                  QString::fromStdString(m_report->name), ".json"),
        tr("Chrome Trace Event JSON (*.json)"));
    if (file.isEmpty()) return;
    m_recent->remember_dir(file);
    QString error;
    if (export_chrome_trace_to(file, &error))
        statusBar()->showMessage(
            tr("Wrote %1 (open it in ui.perfetto.dev or chrome://tracing)").arg(file), 8000);
    else
        QMessageBox::warning(this, tr("Export Chrome Trace"),
                             tr("Could not export the Chrome trace:\n%1").arg(error));
}

void MainWindow::export_timeline() {
    if (!m_model) return;
    QSettings s = app_settings();
    // Never a Qt resource's or a read-only folder (the installed scenarios'):
    // somewhere one can write.
    const QString dir = m_recent->save_dir(m_path, QStandardPaths::PicturesLocation);
    ExportDialog dialog(
        {m_timeline->visible_start(), m_timeline->visible_end()}, m_model->end_time(),
        suggested(m_path, dir, QString::fromStdString(m_report->name), ".png"), this);
    dialog.set_width(s.value(QStringLiteral("export/width"), 1600).toInt());
    dialog.set_pixel_ratio(s.value(QStringLiteral("export/pixel_ratio"), 2.0).toDouble());
    dialog.set_legend(s.value(QStringLiteral("export/legend"), true).toBool());
    dialog.set_wake_arrows(m_wakes->isChecked());
    QString written;
    // Runs when Export is pressed: a failure keeps the dialog open, saying why.
    dialog.set_exporter([this, &written](const QString& path, render::ExportOptions o) {
        o.render.tasks_collapsed = m_timeline->tasks_collapsed();
        o.render.selected_task = m_timeline->selected_task();
        o.render.critical_path_task = m_timeline->selected_task();  // as the window draws it
        o.render.selected_resource = m_timeline->selected_resource();
        o.title = QString::fromStdString(m_report->name);
        o.status = m_report->status;
        if (!m_report->errors.empty())
            o.note =
                QString::fromStdString(m_report->errors.front()).section(QLatin1Char('\n'), 0, 0);
        QApplication::setOverrideCursor(Qt::WaitCursor);
        const render::ExportResult result = render::export_timeline(*m_model, o, path);
        QApplication::restoreOverrideCursor();
        written = result ? result.message : QString();
        return result ? QString() : result.message;
    });
    if (dialog.exec() != QDialog::Accepted) return;
    const render::ExportOptions o = dialog.options();
    s.setValue(QStringLiteral("export/width"), o.width);
    s.setValue(QStringLiteral("export/pixel_ratio"), o.pixel_ratio);
    s.setValue(QStringLiteral("export/legend"), o.render.legend);
    m_recent->remember_dir(dialog.path());
    statusBar()->showMessage(written, 8000);
}

}  // namespace spindle::ui
