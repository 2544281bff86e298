#include "thread_life.h"

#include <algorithm>

namespace spindle::view {

TaskId ended_before(const RunModel& model, const WorkerTrack& w, const Span& parked) {
    if (w.role != WorkerRole::thread) return 0;
    // The last poll that ended by the time the lane parked.
    const auto after = std::partition_point(
        w.polls.begin(), w.polls.end(), [&](const PollSlice& s) { return s.start < parked.start; });
    if (after == w.polls.begin()) return 0;
    const PollSlice& last = *(after - 1);
    if (last.end > parked.start) return 0;
    const TaskInfo* t = model.task(last.task);
    if (!t || !t->ended || *t->ended > parked.start) return 0;
    return last.task;
}

bool is_vacancy(const RunModel& model, const WorkerTrack& w, const Span& parked) {
    return ended_before(model, w, parked) != 0;
}

std::vector<Span> vacancies(const RunModel& model, WorkerId worker) {
    std::vector<Span> out;
    if (worker >= model.workers().size()) return out;
    const WorkerTrack& w = model.workers()[worker];
    for (const Span& s : w.parked)
        if (is_vacancy(model, w, s)) out.push_back(s);
    return out;
}

}  // namespace spindle::view
