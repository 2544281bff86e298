#include "explore_runner.h"

#include <QThread>

#include <algorithm>
#include <atomic>

namespace spindle::ui {

/// One exploration: what its thread writes, and the flag the GUI thread sets.
struct ExploreRunner::Job {
    std::shared_ptr<const session::ExploreRequest> request;
    std::atomic<bool> cancel{false};
    std::atomic<std::uint64_t> last_percent{~std::uint64_t{0}};  ///< of the last update sent
    std::shared_ptr<session::ExploreResult> result;  ///< set by the thread just before it ends
};

ExploreRunner::ExploreRunner(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<const session::ExploreResult>>();
    qRegisterMetaType<std::shared_ptr<const session::ExploreRequest>>();
}

ExploreRunner::~ExploreRunner() {
    for (const auto& job : m_jobs)
        job->cancel.store(true);
    for (QThread* t : m_threads) {
        t->wait();
        delete t;
    }
}

void ExploreRunner::start(session::ExploreRequest request) {
    if (m_current) m_current->cancel.store(true);  // superseded: its result is dropped
    auto job = std::make_shared<Job>();
    job->request = std::make_shared<const session::ExploreRequest>(std::move(request));
    // Called from explore()'s workers: one queued update per percent, and the last.
    auto report = [this, job](std::uint64_t done, std::uint64_t asked, std::size_t classes) {
        const std::uint64_t percent = asked ? done * 100 / asked : 100;
        if (job->last_percent.exchange(percent) == percent && done != asked) return;
        QMetaObject::invokeMethod(
            this,
            [this, job, done, asked, classes] {
                if (job == m_current) Q_EMIT progress(done, asked, classes);
            },
            Qt::QueuedConnection);
    };
    QThread* thread = QThread::create([job, report] {
        job->result = std::make_shared<session::ExploreResult>(
            session::explore(*job->request, report, &job->cancel));
    });
    thread->setObjectName(QStringLiteral("spindle-explore"));
    connect(thread, &QThread::finished, this, [this, job, thread] { on_thread_done(job, thread); });
    m_jobs.push_back(job);
    m_threads.push_back(thread);
    m_current = job;
    thread->start();
    Q_EMIT progress(0, job->request->runs, 0);
}

void ExploreRunner::cancel() {
    if (m_current) m_current->cancel.store(true);
}

void ExploreRunner::on_thread_done(const std::shared_ptr<Job>& job, QThread* thread) {
    const auto it = std::find(m_threads.begin(), m_threads.end(), thread);
    if (it != m_threads.end()) {
        m_jobs.erase(m_jobs.begin() + (it - m_threads.begin()));
        m_threads.erase(it);
    }
    thread->wait();
    thread->deleteLater();
    if (job != m_current) return;  // superseded: its result is stale
    m_current.reset();
    Q_EMIT finished(job->result ? job->result : std::make_shared<session::ExploreResult>(),
                    job->request);
}

}  // namespace spindle::ui
