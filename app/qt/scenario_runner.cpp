#include "scenario_runner.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QThread>

#include <algorithm>
#include <exception>
#include <map>

#include "playback_controller.h"
#include "spindle/instrument/trace_file.h"

namespace spindle::ui {

namespace {

/// Counts events into atomics the GUI thread may read while the run goes on.
class ProgressSink final : public EventSink {
public:
    void on_event(const Event& e, std::string_view) override {
        m_events.store(e.seq + 1, std::memory_order_relaxed);
        if (e.time_ns > m_time.load(std::memory_order_relaxed))
            m_time.store(e.time_ns, std::memory_order_relaxed);
    }
    std::uint64_t events() const { return m_events.load(std::memory_order_relaxed); }
    std::int64_t time() const { return m_time.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> m_events{0};
    std::atomic<std::int64_t> m_time{0};
};

RunReport::Status status_of(RunOutcome outcome) {
    switch (outcome) {
        case RunOutcome::completed:
            return RunReport::Status::completed;
        case RunOutcome::failed:
            return RunReport::Status::failed;
        case RunOutcome::deadlock:
            return RunReport::Status::deadlock;
        case RunOutcome::budget_exceeded:
            return RunReport::Status::budget_exceeded;
    }
    return RunReport::Status::failed;
}

/// Who holds each lock, from lock_acquire / lock_release (for trace deadlocks).
class LockHolders final : public EventSink {
public:
    void on_event(const Event& e, std::string_view) override {
        if (e.kind == EventKind::lock_acquire) {
            m_holders[e.object].push_back(e.task);
        } else if (e.kind == EventKind::lock_release) {
            auto& h = m_holders[e.object];
            if (auto it = std::find(h.begin(), h.end(), e.task); it != h.end()) h.erase(it);
        }
    }
    const std::map<ResourceId, std::vector<TaskId>>& holders() const { return m_holders; }

private:
    std::map<ResourceId, std::vector<TaskId>> m_holders;
};

/// A trace holds no deadlock report: rebuild it from the events — who waits on
/// what at the end (from the model), who holds each lock, and from that the
/// wait-for cycle.
DeadlockReport deadlock_from_events(const view::RunModel& model, const LockHolders& locks) {
    const auto& holders = locks.holders();
    DeadlockReport report;
    for (const view::TaskInfo& t : model.tasks()) {
        if (t.id == 0 || t.ended || t.spans.empty()) continue;
        const view::TaskSpan& last = t.spans.back();
        WaitingTask w;
        w.task = t.id;
        w.name = t.name;
        if (last.state == view::TaskState::waiting) {
            WaitInfo info;
            info.resource = last.resource;
            info.op = last.op;
            if (last.op == WaitOp::join) {
                info.kind = ResourceKind::task;
                info.holders = {static_cast<TaskId>(last.resource)};
            } else if (const view::ResourceTrack* r = model.resource(last.resource)) {
                info.kind = r->kind;
                info.name = r->name;
                if (auto it = holders.find(last.resource); it != holders.end())
                    info.holders = it->second;
            }
            w.waits.push_back(std::move(info));
        }
        report.tasks.push_back(std::move(w));
    }
    report.cycle = find_wait_cycle(report.tasks);
    return report;
}

}  // namespace

/// One run: what its thread writes, and what the GUI thread may poll meanwhile.
struct ScenarioRunner::Job {
    RunRequest request;
    std::atomic<bool> cancel{false};
    ProgressSink progress;
    std::shared_ptr<view::RunModel> model = std::make_shared<view::RunModel>();
    std::shared_ptr<QTemporaryFile> trace;  ///< created (empty) by the GUI thread
    std::unique_ptr<TraceWriter> writer;    ///< writes `trace` on the job's thread
    std::shared_ptr<RunReport> report;      ///< set by the thread just before it ends

    void run();
    void run_scenario();
    void load_trace();
};

void ScenarioRunner::Job::run() {
    QElapsedTimer clock;
    clock.start();
    try {
        if (request.kind == RunRequest::Kind::trace_file)
            load_trace();
        else
            run_scenario();
    } catch (const std::exception& e) {
        report = std::make_shared<RunReport>();
        report->status = RunReport::Status::load_error;
        report->request = request;
        report->errors.push_back(request.path.toStdString() + ": " + e.what());
        // Whatever was folded or written before the failure is not trusted.
        model = std::make_shared<view::RunModel>();
        writer.reset();
    }
    report->event_times = PlaybackController::event_times_of(*model);
    report->wall = std::chrono::milliseconds(clock.elapsed());
    if (writer) {
        writer->on_finish();  // does nothing when the run already finished it
        if (!writer->ok()) report->trace_error = writer->error();
        writer.reset();
        report->trace = trace;
    } else {
        report->trace_error = "the trace file could not be created";
    }
}

void ScenarioRunner::Job::run_scenario() {
    lua::ScenarioOptions options;
    options.path = request.path.toStdString();
    options.overrides = request.overrides;
    options.budgets = request.budgets;
    options.sinks = {&progress, model.get()};
    if (writer) options.sinks.push_back(writer.get());
    options.cancel = &cancel;
    const lua::ScenarioResult result =
        request.kind == RunRequest::Kind::scenario_source
            ? lua::run_scenario_source(request.source, request.path.toStdString(), options)
            : lua::run_scenario(options);
    report = std::make_shared<RunReport>(report_from(result, request));
}

void ScenarioRunner::Job::load_trace() {
    report = std::make_shared<RunReport>();
    report->request = request;
    report->name = QFileInfo(request.path).completeBaseName().toStdString();
    TraceReadResult read = read_trace(std::filesystem::path(request.path.toStdString()));
    if (!read) {
        report->status = RunReport::Status::load_error;
        const TraceError& e = *read.error;
        report->errors.push_back(request.path.toStdString() + ": not a readable Spindle trace (" +
                                 std::string(to_string(e.code)) + " at byte " +
                                 std::to_string(e.offset) + "): " + e.message);
        return;
    }
    const Trace& loaded = *read.trace;
    LockHolders locks;
    std::size_t n = 0;
    for (const Event& e : loaded.events) {
        if ((++n & 0xFFF) == 0 && cancel.load(std::memory_order_relaxed)) break;
        const std::string_view text = loaded.text(e.text);
        progress.on_event(e, text);
        model->on_event(e, text);
        locks.on_event(e, text);
        if (writer) writer->on_event(e, text);
    }
    model->on_finish();
    const view::RunInfo& info = model->run();
    report->config.workers = static_cast<int>(info.workers);
    report->config.policy = info.policy;
    report->config.seed = info.seed;
    report->events = info.events;
    report->duration_ns = info.end;
    if (cancel.load()) {
        report->status = RunReport::Status::budget_exceeded;
        report->budget_reason = "cancelled";
        return;
    }
    report->status = info.outcome ? status_of(*info.outcome) : RunReport::Status::budget_exceeded;
    if (!info.outcome) report->budget_reason = "the trace ends before the run did";
    // As a live run reports them: "file:line: message", the traceback apart.
    for (const view::TaskInfo& t : model->tasks()) {
        if (t.outcome != TaskOutcome::failed) continue;
        const std::size_t nl = t.error.find('\n');
        report->errors.push_back(t.error.empty() ? "task '" + t.name + "' failed"
                                                 : t.error.substr(0, nl));
        report->tracebacks.push_back(nl == std::string::npos ? std::string()
                                                             : t.error.substr(nl + 1));
    }
    if (report->status == RunReport::Status::deadlock)
        report->deadlock = deadlock_from_events(*model, locks);
}

RunReport ScenarioRunner::report_from(const lua::ScenarioResult& result, RunRequest request) {
    RunReport r;
    using S = lua::ScenarioResult::Status;
    switch (result.status) {
        case S::ran:
            r.status = status_of(result.outcome);
            break;
        case S::unreadable:
            r.status = RunReport::Status::load_error;
            break;
        case S::compile_error:
        case S::bad_settings:
            r.status = RunReport::Status::failed;
            break;
    }
    r.scenario_status = result.status;
    r.request = std::move(request);
    r.name = result.name;
    r.description = result.description;
    r.config = result.config;
    r.errors = result.errors;
    r.tracebacks = result.tracebacks;
    r.budget_reason = result.budget_reason;
    r.deadlock = result.deadlock;
    r.events = result.events;
    r.duration_ns = result.duration.count();
    return r;
}

int ScenarioRunner::remove_stale_traces(const QString& dir) {
    int removed = 0;
    const QDateTime day_ago = QDateTime::currentDateTime().addDays(-1);
    const QFileInfoList files =
        QDir(dir).entryInfoList({QStringLiteral("spindle-run-*.spt")}, QDir::Files);
    for (const QFileInfo& f : files)
        if (f.lastModified() < day_ago && QFile::remove(f.filePath())) ++removed;
    return removed;
}

ScenarioRunner::ScenarioRunner(QObject* parent) : QObject(parent) {
    static const bool swept = [] {
        remove_stale_traces(QDir::tempPath());
        return true;
    }();
    (void)swept;
    qRegisterMetaType<std::shared_ptr<const view::RunModel>>();
    qRegisterMetaType<std::shared_ptr<const RunReport>>();
    m_progress_timer.setInterval(200);
    connect(&m_progress_timer, &QTimer::timeout, this, &ScenarioRunner::emit_progress);
}

ScenarioRunner::~ScenarioRunner() {
    for (const auto& job : m_jobs)
        job->cancel.store(true);
    for (QThread* t : m_threads) {
        t->wait();
        delete t;
    }
}

void ScenarioRunner::start(RunRequest request) {
    if (m_current) m_current->cancel.store(true);  // superseded: its results are dropped
    auto job = std::make_shared<Job>();
    job->request = std::move(request);
    job->trace = std::make_shared<QTemporaryFile>(
        QDir::temp().filePath(QStringLiteral("spindle-run-XXXXXX.spt")));
    if (job->trace->open()) {
        job->trace->close();  // the name stays reserved until the file object goes
        job->writer = std::make_unique<TraceWriter>(
            std::filesystem::path(job->trace->fileName().toStdString()));
    }
    QThread* thread = QThread::create([job] { job->run(); });
    thread->setObjectName(QStringLiteral("spindle-run"));
    connect(thread, &QThread::finished, this, [this, job, thread] { on_thread_done(job, thread); });
    m_jobs.push_back(job);
    m_threads.push_back(thread);
    m_current = job;
    thread->start();
    m_progress_timer.start();
    Q_EMIT started(job->request.path);
    Q_EMIT progress(0, 0);
}

void ScenarioRunner::cancel() {
    // The run stays current: what it did before stopping still arrives (as
    // budget_exceeded, "cancelled"), since a partial run is worth looking at.
    if (m_current) m_current->cancel.store(true);
}

void ScenarioRunner::emit_progress() {
    if (m_current) Q_EMIT progress(m_current->progress.events(), m_current->progress.time());
}

void ScenarioRunner::on_thread_done(const std::shared_ptr<Job>& job, QThread* thread) {
    const auto it = std::find(m_threads.begin(), m_threads.end(), thread);
    if (it != m_threads.end()) {
        m_jobs.erase(m_jobs.begin() + (it - m_threads.begin()));
        m_threads.erase(it);
    }
    thread->wait();
    thread->deleteLater();
    if (job != m_current) return;  // superseded by a newer run: its results are stale
    m_current.reset();
    m_progress_timer.stop();
    Q_EMIT progress(job->progress.events(), job->progress.time());
    Q_EMIT finished(job->model, job->report);
}

}  // namespace spindle::ui
