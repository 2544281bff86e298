#pragma once
// ScenarioRunner: runs a scenario (file or source text) or loads a native trace
// off the GUI thread and hands the finished run back as immutable data.
//
// State and ownership: each start() creates a Job (shared by the runner and its
// QThread) holding a fresh RunModel, a temporary native trace file the run is
// written to as it goes (for Save Trace and exports later: a few bytes per event
// on disk instead of 48 in memory), the cancel flag and two progress atomics.
// Only the job's thread writes the model and the trace; the GUI thread reads the
// atomics a few times per second
// and takes the model only after the thread has finished, so nothing is shared
// while being written. Starting a new run cancels the current one; a cancelled
// or superseded job's results are dropped. The destructor cancels and waits for
// every thread still running.

#include <QObject>
#include <QString>
#include <QTemporaryFile>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "run_model.h"
#include "spindle/lua/scenario.h"

class QThread;

namespace spindle::ui {

/// What to run.
struct RunRequest {
    enum class Kind { scenario_file, scenario_source, trace_file };
    Kind kind = Kind::scenario_file;
    QString path;        ///< the file; for source text, the name errors show as the file
    std::string source;  ///< scenario_source only
    lua::ScenarioSettings overrides;
    lua::Budgets budgets;
};

/// How a run ended, apart from the folded model.
struct RunReport {
    enum class Status {
        completed,        ///< every task ended without failure
        failed,           ///< a task failed, or the script did not compile / load
        deadlock,         ///< tasks wait and nothing can run
        budget_exceeded,  ///< a budget ran out (or the run was cancelled)
        load_error,       ///< the file could not be read (scenario or trace)
    };
    Status status = Status::completed;
    /// Whether the scenario ran at all (compile_error, bad_settings, unreadable: it did not).
    lua::ScenarioResult::Status scenario_status = lua::ScenarioResult::Status::ran;
    RunRequest request;
    std::string name;                     ///< scenario name (or the file's stem)
    std::string description;              ///< scenario{description=}
    RuntimeConfig config;                 ///< what the run used (from run_start for traces)
    std::vector<std::string> errors;      ///< "file:line: message", one per failure
    std::vector<std::string> tracebacks;  ///< parallel to errors (may be shorter)
    std::string budget_reason;            ///< "cancelled", "the event budget ..."
    std::optional<DeadlockReport> deadlock;
    std::uint64_t events = 0;
    std::int64_t duration_ns = 0;       ///< virtual time of the run
    std::chrono::milliseconds wall{0};  ///< real time it took
    /// The run as a native trace file (deleted with the last report holding it), for
    /// Save Trace and Export Chrome Trace; null when nothing ran.
    std::shared_ptr<QTemporaryFile> trace;
    std::string trace_error;  ///< why `trace` is null or incomplete ("" when fine)
    /// PlaybackController::event_times_of(model), computed on the run's thread so
    /// a large run does not stall the window when it arrives.
    std::vector<view::Time> event_times;

    bool cancelled() const { return budget_reason == "cancelled"; }
    bool has_trace() const { return trace && trace_error.empty() && events > 0; }
    bool from_trace() const { return request.kind == RunRequest::Kind::trace_file; }
};

/// Runs scenarios and loads traces on a worker thread, one at a time.
class ScenarioRunner final : public QObject {
    Q_OBJECT
public:
    explicit ScenarioRunner(QObject* parent = nullptr);
    ~ScenarioRunner() override;

    /// Starts `request`, cancelling (and discarding) any run in progress.
    void start(RunRequest request);
    /// Asks the current run to stop; it still finishes (as budget_exceeded, "cancelled").
    void cancel();
    bool running() const { return m_current != nullptr; }

    /// Fills a report from a finished scenario result (exposed for tests).
    static RunReport report_from(const lua::ScenarioResult& result, RunRequest request);
    /// Deletes run traces (spindle-run-*.spt) left in `dir` by a session that
    /// crashed: those not written for a day, so another instance's stay. Returns
    /// how many went. The first runner of a process calls it on the temp folder.
    static int remove_stale_traces(const QString& dir);

Q_SIGNALS:
    void started(const QString& path);
    /// Events received so far and the latest virtual time; a few times per second.
    void progress(quint64 events, qint64 virtual_ns);
    void finished(std::shared_ptr<const spindle::view::RunModel> model,
                  std::shared_ptr<const spindle::ui::RunReport> report);

private:
    struct Job;
    void on_thread_done(const std::shared_ptr<Job>& job, QThread* thread);
    void emit_progress();

    std::shared_ptr<Job> m_current;            ///< the run whose results are wanted
    std::vector<std::shared_ptr<Job>> m_jobs;  ///< every job whose thread still runs
    std::vector<QThread*> m_threads;           ///< parallel to m_jobs
    QTimer m_progress_timer;
};

}  // namespace spindle::ui

Q_DECLARE_METATYPE(std::shared_ptr<const spindle::view::RunModel>)
Q_DECLARE_METATYPE(std::shared_ptr<const spindle::ui::RunReport>)
