#pragma once
// LanePlan: which timeline lanes a run gets, and in what order — lanes only
// where they carry information.
//
// The rules (deterministic, from the model alone):
//  - worker threads, then blocking threads, OS threads, the Rayon pools' threads (pool
//    by pool), then tasks by id;
//  - a request's channel sits right under the task that created it: a oneshot,
//    or any channel a spawned task created (its own plumbing), in creation order.
//    Channels the script's main body (a task without a parent) creates are shared
//    plumbing and stay in the channel section, by id;
//  - an idle channel — no message ever sent on it and no task ever waited on it —
//    gets no lane of its own: all of them fold into one "idle channels" row at the
//    end of the channel section.
// Plain C++, no Qt: TimelineRenderer builds its lane list from this; built once
// per rebuild, read-only afterwards.

#include <cstdint>
#include <vector>

#include "run_model.h"

namespace spindle::view {

struct PlannedLane {
    enum class Kind : std::uint8_t {
        worker,
        blocking,
        thread,
        task,
        channel,
        idle_channels,
        rayon
    };
    enum class Section : std::uint8_t { workers, blocking, threads, tasks, channels, rayon };
    Kind kind = Kind::worker;
    Section section = Section::workers;
    std::uint64_t id = 0;  ///< worker, task or resource id (0 for the idle row)
    TaskId owner = 0;      ///< a channel placed under its creator: that task (else 0)
};

struct LanePlan {
    std::vector<PlannedLane> lanes;         ///< in display order
    std::vector<ResourceId> idle_channels;  ///< folded into the idle row, by id
};

/// Whether channel `r` carries no information: nothing was ever sent on it and no
/// task ever waited on it (every channel that held a message, or ended a wait by
/// closing, has a lane).
bool channel_idle(const RunModel& model, const ResourceTrack& r);
/// The lanes of `model`, in display order (see the rules above).
LanePlan plan_lanes(const RunModel& model);

}  // namespace spindle::view
