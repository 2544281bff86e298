#include "task_marks.h"

#include <algorithm>

namespace spindle::view {

std::vector<TaskLag> lags_of_task(const RunModel& model, TaskId task) {
    std::vector<TaskLag> out;
    for (const ResourceTrack& r : model.resources())
        for (const LagMark& l : r.lags)
            if (l.task == task) out.push_back(TaskLag{l.time, r.id, l.skipped});
    std::stable_sort(out.begin(), out.end(),
                     [](const TaskLag& a, const TaskLag& b) { return a.time < b.time; });
    return out;
}

std::vector<WatchSeen> watch_seen_by(const RunModel& model, TaskId task) {
    std::vector<WatchSeen> out;
    for (const WatchSeen& s : model.races().watch_seen())
        if (s.task == task) out.push_back(s);
    return out;
}

std::string version_label(std::uint64_t version) {
    return "v" + std::to_string(version);
}

std::string skipped_label(const WatchSeen& seen) {
    if (seen.skipped() == 0) return {};
    if (seen.skipped() == 1) return "skipped " + version_label(seen.skipped_from);
    return "skipped " + version_label(seen.skipped_from) + "\u2013" +
           version_label(seen.skipped_to);
}

}  // namespace spindle::view
