#pragma once
// The run summary as a JSON document: the key contract other tools check (listed at
// the top of summary_json.cpp), built from a RunSummary and an optional deadlock report.
//
// No state: a pure function. Anyone may call it once the summary has been fed (usually
// finished); spindle-run writes it for --summary-json. nlohmann stays inside the .cpp.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "spindle/instrument/run_summary.h"

namespace spindle {

struct DeadlockReport;

/// Where one task's life went, as the viewer's analysis splits it (app/view/critical_path.h
/// computes it; the runtime only writes it). Written under the task as `breakdown`.
struct TaskBreakdown {
    struct Wait {
        std::string op;        ///< WaitOp name ("recv", "sleep", ...); empty: pending on nothing
        std::uint32_t id = 0;  ///< resource, task (join) or timer (sleep) id
        std::string name;      ///< resource or task name, "timer N", "nothing"
        std::int64_t ns = 0;
    };
    TaskId task = 0;
    std::int64_t running_ns = 0;
    std::int64_t queued_idle_worker_ns = 0;  ///< queued while a worker of its kind was idle
    std::int64_t queued_all_busy_ns = 0;     ///< queued while every worker was polling
    std::vector<Wait> waits;                 ///< per target, longest first
};

/// The summary as a JSON document (key contract at the top of summary_json.cpp): run
/// fields (the core worker count is `worker_count`), arrays `tasks`, `channels`,
/// `resources`, `workers`, then `deadlock` (null unless given) and `errors`. `indent` < 0 gives one
/// compact line. Text that is not valid UTF-8 is replaced (U+FFFD), never rejected.
std::string to_json(const RunSummary& summary, const DeadlockReport* deadlock,
                    std::string_view scenario, int indent = 2);
/// The same, with each task's `breakdown` from `breakdowns` (matched by id; tasks
/// without one get none).
std::string to_json(const RunSummary& summary, const DeadlockReport* deadlock,
                    std::string_view scenario, int indent,
                    const std::vector<TaskBreakdown>& breakdowns);

}  // namespace spindle
