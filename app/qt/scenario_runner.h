#pragma once
// ScenarioRunner: a thin thread wrapper over session::run_session — runs a scenario
// (file or source text) or loads a native trace off the GUI thread and hands the
// finished run back as immutable data.
//
// State and ownership: each start() creates a Job (shared by the runner and its
// QThread) holding the request, a temporary native trace file the run is
// written to as it goes (for Save Trace and exports later: a few bytes per event
// on disk instead of 48 in memory), the cancel flag and the progress atomics (events
// and virtual time; for a trace being read, also bytes decoded of the file's size).
// Only the job's thread writes the model and the trace; the GUI thread reads the
// atomics a few times per second
// and takes the model only after the thread has finished, so nothing is shared
// while being written. Starting a new run cancels the current one; a cancelled
// or superseded job's results are dropped. The destructor cancels and waits for
// every thread still running.

#include <QObject>
#include <QString>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "run_model.h"
#include "run_session.h"

class QThread;

namespace spindle::ui {

using session::RunReport;
using session::RunRequest;

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

    /// Deletes run traces (spindle-run-*.spt) left in `dir` by a session that
    /// crashed: those not written for a day, so another instance's stay. Returns
    /// how many went. The first runner of a process calls it on the temp folder.
    static int remove_stale_traces(const QString& dir);

Q_SIGNALS:
    void started(const QString& path);
    /// Events received so far and the latest virtual time; a few times per second.
    void progress(quint64 events, qint64 virtual_ns);
    /// While a trace is read: bytes decoded so far of the file's `total`, never going
    /// back; right after progress(), a few times per second, and bytes == total at the
    /// end of a complete read.
    void reading(quint64 bytes, quint64 total);
    void finished(std::shared_ptr<const spindle::view::RunModel> model,
                  std::shared_ptr<const spindle::session::RunReport> report);

private:
    struct Job;
    void on_thread_done(const std::shared_ptr<Job>& job, QThread* thread);
    void emit_progress();
    void emit_reading(const Job& job);

    std::shared_ptr<Job> m_current;            ///< the run whose results are wanted
    std::vector<std::shared_ptr<Job>> m_jobs;  ///< every job whose thread still runs
    std::vector<QThread*> m_threads;           ///< parallel to m_jobs
    QTimer m_progress_timer;
};

}  // namespace spindle::ui

Q_DECLARE_METATYPE(std::shared_ptr<const spindle::view::RunModel>)
Q_DECLARE_METATYPE(std::shared_ptr<const spindle::session::RunReport>)
