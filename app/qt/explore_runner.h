#pragma once
// ExploreRunner: runs session::explore (many schedules of one scenario, in parallel)
// off the GUI thread, reports its progress through a queued signal and hands the
// finished ExploreResult back as immutable data.
//
// State and ownership: each start() creates a Job (shared by the runner and its
// QThread) holding the request and the cancel flag. explore() calls its progress
// callback from its own worker threads; the callback forwards at most one update per
// percent (and the last) to the GUI thread with a queued call, so the window stays
// responsive however fast the runs go. Starting again cancels the exploration in
// progress and drops its result. The destructor cancels and waits for the threads.

#include <QObject>

#include <memory>
#include <vector>

#include "explore.h"

class QThread;

namespace spindle::ui {

/// Explores schedules on a worker thread, one exploration at a time.
class ExploreRunner final : public QObject {
    Q_OBJECT
public:
    explicit ExploreRunner(QObject* parent = nullptr);
    ~ExploreRunner() override;

    /// Starts exploring `request`, cancelling (and discarding) any exploration in progress.
    void start(session::ExploreRequest request);
    /// Asks the exploration to stop between runs; what ran so far still arrives
    /// (with `cancelled` set).
    void cancel();
    bool running() const { return m_current != nullptr; }

Q_SIGNALS:
    /// Runs done of `asked`, and the classes found so far (queued from the workers).
    void progress(quint64 done, quint64 asked, quint64 classes);
    /// The exploration ended (completed, cancelled, or with `error` set).
    void finished(std::shared_ptr<const spindle::session::ExploreResult> result,
                  std::shared_ptr<const spindle::session::ExploreRequest> request);

private:
    struct Job;
    void on_thread_done(const std::shared_ptr<Job>& job, QThread* thread);

    std::shared_ptr<Job> m_current;            ///< the exploration whose result is wanted
    std::vector<std::shared_ptr<Job>> m_jobs;  ///< every job whose thread still runs
    std::vector<QThread*> m_threads;           ///< parallel to m_jobs
};

}  // namespace spindle::ui

Q_DECLARE_METATYPE(std::shared_ptr<const spindle::session::ExploreResult>)
Q_DECLARE_METATYPE(std::shared_ptr<const spindle::session::ExploreRequest>)
