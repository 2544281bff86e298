#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImage>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPalette>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include <QScrollArea>
#include "channel_table_model.h"

#include "app_settings.h"
#include "charts_view.h"
#include "export_dialog.h"
#include "gui_theme.h"
#include "lane.h"
#include "log_model.h"
#include "playback_bar.h"
#include "playback_controller.h"
#include "recent_files.h"
#include "run_files.h"
#include "scenario_watcher.h"
#include "stage_view.h"
#include "task_table_model.h"
#include "timeline_view.h"
#include "worker_table_model.h"

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
    build_docks();
    build_menus();
    connect_selection();
    connect(m_banner, &RunBanner::log_requested, this, [this] {
        m_log_dock->show();
        m_log_dock->raise();
    });
    connect(m_banner, &RunBanner::task_requested, this,
            [this](TaskId task) { select_task(task, true); });

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
    connect(m_runner, &ScenarioRunner::finished, this, &MainWindow::on_finished);

    // Playhead: controller -> timeline and tables (the playback bar follows it itself).
    connect(m_playback, &PlaybackController::time_changed, this, [this](qint64 t) {
        m_timeline->set_playhead(t);
        m_stage->setTime(t);
        m_task_model->set_time(t);
        m_channel_model->set_time(t);
        m_worker_model->set_time(t);
    });
    connect(m_playback, &PlaybackController::playing_changed, this, [this](bool playing) {
        m_timeline->set_follow_playhead(playing && m_follow->isChecked());
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
    resize(1400, 900);
    m_default_state = saveState();
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
    m_follow->setToolTip(tr("While playing, scroll the timeline along with the playhead"));
    connect(m_follow, &QAction::toggled, this,
            [this](bool on) { m_timeline->set_follow_playhead(on && m_playback->playing()); });

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
    m_recent = new RecentFiles(file->addMenu(tr("Open &Recent")), this);
    connect(m_recent, &RecentFiles::open_requested, this,
            [this](const QString& path) { open_file(path); });
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
    view->addAction(m_toolbar->toggleViewAction());
    view->addSeparator();
    view->addAction(tr("Reset &Layout"), this, [this] {
        restoreState(m_default_state);
        for (QDockWidget* d : docks())
            d->show();
        m_task_dock->raise();
    });

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
               "<b>Runs</b><br>F5: re-run · Shift+F5: cancel · Drop a .lua or .spt file on "
               "the window to open it."));
    });
    help->addAction(tr("&About Spindle"), this, [this] {
        QMessageBox::about(this, tr("About Spindle"),
                           tr("<b>Spindle</b> 0.1.0<br>A visualiser for task scheduling: Lua "
                              "scenarios run on a deterministic, instrumented tokio-style "
                              "runtime, and every scheduling decision is shown."));
    });
}

QTableView* MainWindow::make_table(RunTableModel* model, QSortFilterProxyModel** proxy) {
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

void MainWindow::build_docks() {
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
    connect(m_log_view, &QTableView::clicked, this, &MainWindow::on_log_clicked);

    auto dock = [this](const QString& title, const QString& name, QWidget* w) {
        auto* d = new QDockWidget(title, this);
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
    auto* stage_scroll = new QScrollArea;
    stage_scroll->setWidget(m_stage);
    stage_scroll->setWidgetResizable(true);
    stage_scroll->setFrameShape(QFrame::NoFrame);
    stage_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_stage_dock = dock(tr("Stage"), QStringLiteral("StageDock"), stage_scroll);
    addDockWidget(Qt::BottomDockWidgetArea, m_task_dock);
    addDockWidget(Qt::BottomDockWidgetArea, m_log_dock);
    splitDockWidget(m_task_dock, m_log_dock, Qt::Horizontal);
    tabifyDockWidget(m_task_dock, m_channel_dock);
    tabifyDockWidget(m_task_dock, m_worker_dock);
    tabifyDockWidget(m_task_dock, m_charts_dock);
    // The stage is a picture to watch while playing: a tall column beside the timeline.
    addDockWidget(Qt::RightDockWidgetArea, m_stage_dock);
    m_task_dock->raise();
    resizeDocks({m_task_dock, m_log_dock}, {3, 2}, Qt::Horizontal);
    resizeDocks({m_task_dock}, {300}, Qt::Vertical);
    resizeDocks({m_stage_dock}, {560}, Qt::Horizontal);
}

QList<QDockWidget*> MainWindow::docks() const {
    return {m_task_dock, m_channel_dock, m_worker_dock, m_log_dock, m_charts_dock, m_stage_dock};
}

void MainWindow::connect_selection() {
    connect(m_timeline, &TimelineView::selection_changed, this, &MainWindow::on_timeline_selection);
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
    on_row(m_worker_view, m_worker_proxy,
           [this](quint32 id) { m_timeline->reveal_worker(static_cast<WorkerId>(id)); });
}

// ---- Settings -------------------------------------------------------------------

void MainWindow::restore_settings() {
    QSettings s = app_settings();
    if (const QByteArray g = s.value(QStringLiteral("window/geometry")).toByteArray(); !g.isEmpty())
        restoreGeometry(g);
    if (const QByteArray st = s.value(QStringLiteral("window/state")).toByteArray(); !st.isEmpty())
        restoreState(st);
    m_wakes->setChecked(s.value(QStringLiteral("view/wake_arrows"), false).toBool());
    m_dark_theme->setChecked(s.value(QStringLiteral("view/dark_theme"), false).toBool());
    m_follow->setChecked(s.value(QStringLiteral("view/follow_playhead"), true).toBool());
}

void MainWindow::apply_theme(bool dark) {
    const render::Theme& t = dark ? render::Theme::dark() : render::Theme::light();
    set_gui_theme(t);
    QPalette palette = QApplication::style()->standardPalette();
    if (dark) {
        const QColor window(0x2a, 0x2d, 0x33), button(0x33, 0x37, 0x3e);
        palette.setColor(QPalette::Window, window);
        palette.setColor(QPalette::WindowText, t.text);
        palette.setColor(QPalette::Base, t.background);
        palette.setColor(QPalette::AlternateBase, t.lane_alt);
        palette.setColor(QPalette::Text, t.text);
        palette.setColor(QPalette::Button, button);
        palette.setColor(QPalette::ButtonText, t.text);
        palette.setColor(QPalette::ToolTipBase, button);
        palette.setColor(QPalette::ToolTipText, t.text);
        palette.setColor(QPalette::PlaceholderText, t.text_dim);
        palette.setColor(QPalette::Highlight, QColor(0x3d, 0x6e, 0xb4));
        palette.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
        palette.setColor(QPalette::Link, t.occupancy_line);
        palette.setColor(QPalette::Mid, t.separator);
        palette.setColor(QPalette::Dark, QColor(0x18, 0x1a, 0x1d));
        palette.setColor(QPalette::Light, QColor(0x3b, 0x40, 0x48));
        for (QPalette::ColorRole role :
             {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
            palette.setColor(QPalette::Disabled, role, t.text_dim);
    }
    QApplication::setPalette(palette);
    m_playback_bar->apply_theme();
    m_timeline->apply_theme();
    m_stage->apply_theme();
    m_charts->apply_theme();
}

void MainWindow::save_settings() {
    QSettings s = app_settings();
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("view/wake_arrows"), m_wakes->isChecked());
    s.setValue(QStringLiteral("view/dark_theme"), m_dark_theme->isChecked());
    s.setValue(QStringLiteral("view/follow_playhead"), m_follow->isChecked());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    save_settings();
    m_runner->cancel();
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

void MainWindow::start_run(bool keep_view) {
    RunRequest request;
    request.path = QFile::encodeName(m_path).toStdString();
    switch (m_source) {
        case Source::none:
            return;
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
    m_keep_view = keep_view;
    m_playback->pause();
    set_running(true);
    statusBar()->showMessage(tr("Running %1…").arg(QFileInfo(m_path).fileName()));
    m_runner->start(std::move(request));
}

void MainWindow::set_running(bool running) {
    m_cancel->setEnabled(running);
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
}

void MainWindow::on_progress(quint64 events, qint64 virtual_ns) {
    if (!m_runner->running()) return;
    m_status->setText(tr("%1 events · %2 virtual")
                          .arg(QLocale().toString(static_cast<qulonglong>(events)),
                               render::format_duration(virtual_ns)));
}

void MainWindow::on_finished(std::shared_ptr<const view::RunModel> model,
                             std::shared_ptr<const RunReport> report) {
    m_model = std::move(model);
    m_report = std::move(report);
    const QString name = QString::fromStdString(m_report->name);

    m_task_model->set_run(m_model);
    m_channel_model->set_run(m_model);
    m_worker_model->set_run(m_model);
    m_log_model->set_run(m_model.get(), m_report.get());
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

    QString note;
    if (!m_report->errors.empty())
        note = QString::fromStdString(m_report->errors.front()).section(QLatin1Char('\n'), 0, 0);
    else if (!m_report->description.empty())
        note = QString::fromStdString(m_report->description);
    m_timeline->set_placeholder(
        m_model->run().events == 0
            ? tr("Nothing ran: see the message above. Fix the file and press F5 to run it "
                 "again, or open another one (Ctrl+O).")
            : QString());
    m_timeline->set_model(m_model, name, note, m_keep_view && !m_new_file);
    m_charts->set_model(m_model);
    m_stage->set_model(m_model, name);
    m_charts->set_range(m_timeline->visible_start(), m_timeline->visible_end());
    if (m_new_file) m_playback_bar->pick_speed_for(m_model->end_time());
    m_playback->set_times(m_model->end_time(), m_report->event_times);
    const TaskId selected_task = m_timeline->selected_task();
    const ResourceId selected_resource = m_timeline->selected_resource();
    if (selected_task)
        select_task(selected_task, false);
    else if (selected_resource)
        select_resource(selected_resource, false);

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
    setWindowTitle(file.isEmpty() ? tr("Spindle") : tr("%1 — Spindle").arg(file));
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

// ---- Selection ------------------------------------------------------------------

void MainWindow::select_task(TaskId task, bool reveal) {
    m_syncing = true;
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

void MainWindow::select_resource(ResourceId resource, bool reveal) {
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

void MainWindow::on_timeline_selection(TaskId task, ResourceId resource) {
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

void MainWindow::on_log_clicked(const QModelIndex& index) {
    const qint64 t = index.data(LogModel::TimeRole).toLongLong();
    if (t >= 0) {
        m_playback->pause();
        m_playback->set_time(t);
        // Bring the moment into view when it is off screen.
        if (t < m_timeline->visible_start() || t > m_timeline->visible_end()) {
            const view::Time span = m_timeline->visible_end() - m_timeline->visible_start();
            m_timeline->set_visible_range(t - span / 2, t + span / 2);
        }
    }
    if (const TaskId task = index.data(LogModel::TaskRole).toUInt(); task) select_task(task, true);
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
        suggested(m_path, dialog_dir(), QString::fromStdString(m_report->name), ".spt"),
        tr("Spindle traces (*.spt)"));
    if (file.isEmpty()) return;
    m_recent->remember_dir(file);
    QString error;
    if (save_trace_to(file, &error))
        statusBar()->showMessage(tr("Saved the trace to %1").arg(file), 8000);
    else
        QMessageBox::warning(this, tr("Save Trace"),
                             tr("Could not write %1:\n%2").arg(file, error));
}

void MainWindow::export_chrome_trace() {
    if (!m_report || !m_report->has_trace()) return;
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export Chrome Trace"),
        suggested(m_path, dialog_dir(), QString::fromStdString(m_report->name), ".json"),
        tr("Chrome Trace Event JSON (*.json)"));
    if (file.isEmpty()) return;
    m_recent->remember_dir(file);
    QString error;
    if (export_chrome_trace_to(file, &error))
        statusBar()->showMessage(
            tr("Wrote %1 (open it in ui.perfetto.dev or chrome://tracing)").arg(file), 8000);
    else
        QMessageBox::warning(this, tr("Export Chrome Trace"),
                             tr("Could not write %1:\n%2").arg(file, error));
}

void MainWindow::export_timeline() {
    if (!m_model) return;
    QSettings s = app_settings();
    ExportDialog dialog(
        {m_timeline->visible_start(), m_timeline->visible_end()}, m_model->end_time(),
        suggested(m_path, dialog_dir(), QString::fromStdString(m_report->name), ".png"), this);
    dialog.set_width(s.value(QStringLiteral("export/width"), 1600).toInt());
    dialog.set_pixel_ratio(s.value(QStringLiteral("export/pixel_ratio"), 2.0).toDouble());
    dialog.set_legend(s.value(QStringLiteral("export/legend"), true).toBool());
    dialog.set_wake_arrows(m_wakes->isChecked());
    if (dialog.exec() != QDialog::Accepted) return;
    render::ExportOptions o = dialog.options();
    s.setValue(QStringLiteral("export/width"), o.width);
    s.setValue(QStringLiteral("export/pixel_ratio"), o.pixel_ratio);
    s.setValue(QStringLiteral("export/legend"), o.render.legend);
    o.render.tasks_collapsed = m_timeline->tasks_collapsed();
    o.render.selected_task = m_timeline->selected_task();
    o.render.selected_resource = m_timeline->selected_resource();
    o.title = QString::fromStdString(m_report->name);
    if (!m_report->errors.empty())
        o.note = QString::fromStdString(m_report->errors.front()).section(QLatin1Char('\n'), 0, 0);
    m_recent->remember_dir(dialog.path());
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const render::ExportResult result = render::export_timeline(*m_model, o, dialog.path());
    QApplication::restoreOverrideCursor();
    if (result)
        statusBar()->showMessage(result.message, 8000);
    else
        QMessageBox::warning(this, tr("Export Timeline"), result.message);
}

}  // namespace spindle::ui
