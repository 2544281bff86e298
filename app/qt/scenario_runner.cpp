#include "scenario_runner.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QThread>

#include <algorithm>
#include <exception>
#include <filesystem>
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

}  // namespace

/// One run: what its thread writes, and what the GUI thread may poll meanwhile.
struct ScenarioRunner::Job {
    RunRequest request;
    std::atomic<bool> cancel{false};
    ProgressSink progress;
    std::atomic<std::uint64_t> read_bytes{0};  ///< trace reads: bytes decoded so far
    std::atomic<std::uint64_t> read_total{0};  ///< trace reads: the file's size (0: none)
    std::shared_ptr<session::TempFile> trace;  ///< created (empty) by the GUI thread
    std::shared_ptr<view::RunModel> model;     ///< set by the thread just before it ends
    std::shared_ptr<RunReport> report;         ///< likewise

    void run();
};

void ScenarioRunner::Job::run() {
    // A trace being read is a trace already: it is copied once read whole, instead of
    // every event being encoded again on this thread (that doubled the time to open).
    // (Only a regular file's head is looked at: opening a FIFO would block.)
    std::error_code ec;
    const bool reading_trace = request.source == RunRequest::Source::trace_file ||
                               (request.source == RunRequest::Source::file &&
                                std::filesystem::is_regular_file(request.path, ec) &&
                                session::looks_like_trace(request.path));
    std::unique_ptr<TraceWriter> writer;
    if (trace->ok() && !reading_trace) writer = std::make_unique<TraceWriter>(trace->path());
    session::SessionOptions options;
    options.sinks.push_back(&progress);
    if (writer) options.sinks.push_back(writer.get());
    options.cancel = &cancel;
    options.read_progress = [this](std::uint64_t done, std::uint64_t total) {
        read_total.store(total, std::memory_order_relaxed);
        read_bytes.store(done, std::memory_order_relaxed);
    };
    session::Session run = session::run_session(request, options);
    model = run.model ? std::move(run.model) : std::make_shared<view::RunModel>();
    report = std::make_shared<RunReport>(std::move(run.report));
    report->event_times = PlaybackController::event_times_of(*model);
    if (writer) {
        writer->on_finish();  // does nothing when the run already finished it
        if (!writer->ok()) report->trace_error = writer->error();
        writer.reset();
        report->trace = trace;
    } else if (!trace->ok()) {
        report->trace_error = "the trace file could not be created";
    } else if (report->status == session::RunStatus::cancelled) {
        report->trace_error = "the trace was not read to its end; it is the file that was opened";
    } else if (report->status != session::RunStatus::load_error) {
        std::filesystem::copy_file(request.path, trace->path(),
                                   std::filesystem::copy_options::overwrite_existing, ec);
        if (ec) report->trace_error = "copying the trace failed: " + ec.message();
        report->trace = trace;
    }
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
    job->trace =
        std::make_shared<session::TempFile>(QDir::tempPath().toStdString(), "spindle-run-", ".spt");
    QThread* thread = QThread::create([job] { job->run(); });
    thread->setObjectName(QStringLiteral("spindle-run"));
    connect(thread, &QThread::finished, this, [this, job, thread] { on_thread_done(job, thread); });
    m_jobs.push_back(job);
    m_threads.push_back(thread);
    m_current = job;
    thread->start();
    m_progress_timer.start();
    Q_EMIT started(QString::fromStdString(job->request.path.string()));
    Q_EMIT progress(0, 0);
}

void ScenarioRunner::cancel() {
    // The run stays current: what it did before stopping still arrives (as
    // budget_exceeded, "cancelled"), since a partial run is worth looking at.
    if (m_current) m_current->cancel.store(true);
}

void ScenarioRunner::emit_progress() {
    if (!m_current) return;
    Q_EMIT progress(m_current->progress.events(), m_current->progress.time());
    emit_reading(*m_current);
}

void ScenarioRunner::emit_reading(const Job& job) {
    const std::uint64_t total = job.read_total.load(std::memory_order_relaxed);
    if (total > 0) Q_EMIT reading(job.read_bytes.load(std::memory_order_relaxed), total);
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
    emit_reading(*job);
    Q_EMIT finished(job->model, job->report);
}

}  // namespace spindle::ui
