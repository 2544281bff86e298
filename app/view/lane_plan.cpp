#include "lane_plan.h"

#include <algorithm>

namespace spindle::view {

namespace {

/// Per resource id: whether some task ever waited on it (a wait or a select branch).
std::vector<bool> waited_on(const RunModel& model) {
    std::vector<bool> waited(model.resources().size() + 1, false);
    auto mark = [&](ResourceId r, WaitOp op) {
        if (op != WaitOp::join && op != WaitOp::sleep && r < waited.size()) waited[r] = true;
    };
    for (const TaskInfo& t : model.tasks())
        for (const TaskSpan& s : t.spans) {
            if (s.state != TaskState::waiting && s.state != TaskState::blocked) continue;
            mark(s.resource, s.op);
            for (const WaitRef& w : model.select_waits(s.select))
                mark(w.resource, w.op);
        }
    return waited;
}

bool idle(const ResourceTrack& r, const std::vector<bool>& waited) {
    const bool sent =
        std::any_of(r.ticks.begin(), r.ticks.end(), [](const ChannelTick& t) { return t.send; });
    return !sent && r.lags.empty() && !(r.id < waited.size() && waited[r.id]);
}

/// A channel drawn under its creator: a oneshot, or one a spawned task made.
TaskId owner_of(const RunModel& model, const ResourceTrack& r) {
    const TaskInfo* creator = model.task(r.creator);
    if (!creator) return 0;
    return r.kind == ResourceKind::oneshot || creator->parent != 0 ? creator->id : 0;
}

}  // namespace

bool channel_idle(const RunModel& model, const ResourceTrack& r) {
    return idle(r, waited_on(model));
}

LanePlan plan_lanes(const RunModel& model) {
    using Kind = PlannedLane::Kind;
    using Section = PlannedLane::Section;
    LanePlan plan;
    // Core workers, then the blocking pool, OS threads, Rayon threads by pool (any other
    // role shows as core).
    const auto role_of = [](const WorkerTrack& w) {
        return w.role == WorkerRole::blocking ? WorkerRole::blocking
               : w.role == WorkerRole::thread ? WorkerRole::thread
               : w.role == WorkerRole::rayon  ? WorkerRole::rayon
                                              : WorkerRole::core;
    };
    for (WorkerRole role : {WorkerRole::core, WorkerRole::blocking, WorkerRole::thread})
        for (const WorkerTrack& w : model.workers())
            if (role_of(w) == role)
                plan.lanes.push_back(role == WorkerRole::blocking
                                         ? PlannedLane{Kind::blocking, Section::blocking, w.id, 0}
                                     : role == WorkerRole::thread
                                         ? PlannedLane{Kind::thread, Section::threads, w.id, 0}
                                         : PlannedLane{Kind::worker, Section::workers, w.id, 0});
    std::vector<ResourceId> pools;
    for (const WorkerTrack& w : model.workers())
        if (role_of(w) == WorkerRole::rayon &&
            std::find(pools.begin(), pools.end(), w.pool) == pools.end())
            pools.push_back(w.pool);
    std::sort(pools.begin(), pools.end());
    for (const ResourceId pool : pools)
        for (const WorkerTrack& w : model.workers())
            if (role_of(w) == WorkerRole::rayon && w.pool == pool)
                plan.lanes.push_back(PlannedLane{Kind::rayon, Section::rayon, w.id, 0});

    const std::vector<bool> waited = waited_on(model);
    std::vector<std::vector<ResourceId>> owned(model.tasks().size() + 1);
    std::vector<ResourceId> shared;
    for (const ResourceTrack& r : model.resources()) {
        if (r.id == 0 || !r.is_channel()) continue;
        if (idle(r, waited)) {
            plan.idle_channels.push_back(r.id);
            continue;
        }
        const TaskId owner = owner_of(model, r);
        if (owner != 0 && owner < owned.size())
            owned[owner].push_back(r.id);
        else
            shared.push_back(r.id);
    }
    for (const TaskInfo& t : model.tasks()) {
        if (t.id == 0) continue;
        plan.lanes.push_back(PlannedLane{Kind::task, Section::tasks, t.id, 0});
        for (ResourceId r : owned[t.id])
            plan.lanes.push_back(PlannedLane{Kind::channel, Section::tasks, r, t.id});
    }
    for (ResourceId r : shared)
        plan.lanes.push_back(PlannedLane{Kind::channel, Section::channels, r, 0});
    if (!plan.idle_channels.empty())
        plan.lanes.push_back(PlannedLane{Kind::idle_channels, Section::channels, 0, 0});
    return plan;
}

}  // namespace spindle::view
