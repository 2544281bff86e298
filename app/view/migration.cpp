#include "migration.h"

namespace spindle::view {

namespace {
bool is_core(const RunModel& model, WorkerId w) {
    return w < model.workers().size() && model.workers()[w].role == WorkerRole::core;
}
}  // namespace

WorkerId migrated_from(const RunModel& model, const TaskInfo& task, std::size_t span) {
    const auto& spans = task.spans;
    if (span >= spans.size() || spans[span].state != TaskState::running) return kNoWorker;
    const WorkerId here = spans[span].worker;
    // The previous poll's worker: the last running span before this one that is not
    // this poll's own continuation (a blocking call splits a poll into running spans).
    for (std::size_t i = span; i-- > 0;) {
        const TaskSpan& s = spans[i];
        if (s.state == TaskState::blocked) return kNoWorker;  // the same poll goes on
        if (s.state != TaskState::running) continue;
        if (s.worker == here || !is_core(model, s.worker) || !is_core(model, here))
            return kNoWorker;
        return s.worker;
    }
    return kNoWorker;
}

std::size_t migration_count(const RunModel& model, const TaskInfo& task) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < task.spans.size(); ++i)
        n += migrated_from(model, task, i) != kNoWorker;
    return n;
}

}  // namespace spindle::view
