#pragma once
// Thread life: when an OS-thread lane has no thread on it. The runtime gives each
// OS thread (thread.spawn, a scope's threads) a lane of its own and, once the thread
// has ended, parks that lane until another thread reuses it — a detail of the
// simulator: nothing lives there meanwhile, unlike a parked worker waiting for work.
// The timeline draws those spans as "ended", not as parked.
//
// State: none. Pure functions over a RunModel (headless, no Qt).

#include <vector>

#include "run_model.h"

namespace spindle::view {

/// Whether `parked`, a parked span of the OS-thread lane `w`, comes after the end of
/// the thread that ran there (the poll before it completed its task): no thread
/// lives on the lane until the span ends. False for other roles' lanes.
bool is_vacancy(const RunModel& model, const WorkerTrack& w, const Span& parked);

/// The task whose end began `parked` (see is_vacancy), or 0.
TaskId ended_before(const RunModel& model, const WorkerTrack& w, const Span& parked);

/// Every span of worker `worker`'s lane with no thread on it (end -1: to the run's end).
std::vector<Span> vacancies(const RunModel& model, WorkerId worker);

}  // namespace spindle::view
