#include "critical_path.h"

#include <algorithm>
#include <charconv>
#include <utility>

namespace spindle::view {

namespace {

/// Appends [a, b) to sorted disjoint spans, joining it to the last one when they touch.
void append_span(std::vector<Span>& spans, Time a, Time b) {
    if (b <= a) return;
    if (!spans.empty() && spans.back().end >= a)
        spans.back().end = std::max(spans.back().end, b);
    else
        spans.push_back(Span{a, b});
}

/// Appends a segment in time order, merging it into the last one when it continues it.
void push_forward(std::vector<PathSegment>& out, const PathSegment& s) {
    if (s.end <= s.start) return;
    if (!out.empty()) {
        PathSegment& last = out.back();
        if (last.task == s.task && last.kind == s.kind && last.target == s.target &&
            last.end == s.start) {
            last.end = s.end;
            return;
        }
    }
    out.push_back(s);
}

WorkerRole role_of(const RunModel& model, TaskId task) {
    const TaskInfo* t = model.task(task);
    if (!t) return WorkerRole::core;
    return t->flavor == TaskFlavor::blocking ? WorkerRole::blocking
           : t->flavor == TaskFlavor::rayon  ? WorkerRole::rayon
                                             : WorkerRole::core;
}

/// What the waiting span `s` of `task` waited on: in a select, the branch whose
/// resource or timer woke it when that is known, else the first branch.
WaitTarget wait_target(const RunModel& model, TaskId task, const TaskSpan& s) {
    const WaitTarget first{s.op, s.resource};
    const auto& branches = model.select_waits(s.select);
    if (branches.size() < 2) return first;
    const WakeArrow* w = wake_ending(model, task, s.end);
    if (!w) return first;
    for (const WaitRef& b : branches) {
        const bool timer = b.op == WaitOp::sleep;
        if (b.resource == w->source && timer == (w->cause == WakeCause::timer))
            return WaitTarget{b.op, b.resource};
    }
    return first;
}

/// The pieces of the span [a, b) of `task` in state `s`, in time order.
template <class F>
void span_pieces(const RunModel& model, const WorkerIdle& idle, TaskId task, const TaskSpan& s,
                 Time a, Time b, F&& emit) {
    switch (s.state) {
        case TaskState::running:
            emit(PathSegment{task, a, b, SegmentKind::running, {}});
            break;
        case TaskState::queued:
            idle.split(role_of(model, task), a, b, [&](Time x, Time y, bool is_idle) {
                emit(PathSegment{
                    task, x, y, is_idle ? SegmentKind::queued_idle : SegmentKind::queued_busy, {}});
            });
            break;
        case TaskState::waiting:
        case TaskState::blocked:
            emit(PathSegment{task, a, b, SegmentKind::waiting, wait_target(model, task, s)});
            break;
        case TaskState::idle:
        case TaskState::done:
            emit(PathSegment{task, a, b, SegmentKind::waiting, WaitTarget{WaitOp::recv, 0}});
            break;
    }
}

}  // namespace

Time Breakdown::waiting() const {
    Time sum = 0;
    for (const Wait& w : waits)
        sum += w.time;
    return sum;
}

WorkerIdle::WorkerIdle(const RunModel& model) {
    // Core workers: from their start, idle whenever fewer of them poll than exist.
    struct Step {
        Time time;
        int delta;  ///< +1 a worker becomes free, -1 it becomes busy
    };
    std::vector<Step> steps;
    for (const WorkerTrack& w : model.workers()) {
        if (w.role != WorkerRole::core) continue;
        steps.push_back(Step{w.started, +1});
        for (const PollSlice& p : w.polls) {
            steps.push_back(Step{p.start, -1});
            steps.push_back(Step{p.end, +1});
        }
    }
    // At one instant a poll ending and the next starting leave nobody free.
    std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) {
        return a.time != b.time ? a.time < b.time : a.delta < b.delta;
    });
    int free = 0;
    Time since = 0;
    for (std::size_t i = 0; i < steps.size();) {
        const Time t = steps[i].time;
        const int before = free;
        for (; i < steps.size() && steps[i].time == t; ++i)
            free += steps[i].delta;
        if (before <= 0 && free > 0) since = t;
        if (before > 0 && free <= 0) append_span(m_idle[0], since, t);
    }
    if (free > 0) append_span(m_idle[0], since, model.end_time());
    // Blocking threads come and go on demand, Rayon threads sleep when they find no
    // job: one is free while it is parked.
    for (const auto& [role, slot] : {std::pair{WorkerRole::blocking, 1}, {WorkerRole::rayon, 2}}) {
        std::vector<Span> parked;
        for (const WorkerTrack& w : model.workers())
            if (w.role == role) parked.insert(parked.end(), w.parked.begin(), w.parked.end());
        std::sort(parked.begin(), parked.end(),
                  [](const Span& a, const Span& b) { return a.start < b.start; });
        for (const Span& s : parked)
            append_span(m_idle[slot], s.start, s.end);
    }
}

const WakeArrow* wake_ending(const RunModel& model, TaskId task, Time t) {
    const auto& wakes = model.wakes();
    auto it = std::lower_bound(wakes.begin(), wakes.end(), t,
                               [](const WakeArrow& w, Time at) { return w.from_time < at; });
    for (; it != wakes.end() && it->from_time == t; ++it)
        if (it->woken == task) return &*it;
    return nullptr;
}

std::vector<PathSegment> critical_path(const RunModel& model, TaskId task) {
    return critical_path(model, WorkerIdle(model), task);
}

std::vector<PathSegment> critical_path(const RunModel& model, const WorkerIdle& idle, TaskId task) {
    std::vector<PathSegment> backwards;
    const TaskInfo* info = model.task(task);
    if (!info || info->spans.empty()) return backwards;
    Time t = info->ended.value_or(model.end_time());
    TaskId cur = task;
    // Jumps that do not move back in time could go round a cycle of same-instant
    // wakes: after a few, the wait is kept as a wait instead.
    int still_jumps = 0;
    const auto emit_back = [&](const PathSegment& s) {
        if (s.end > s.start) {
            backwards.push_back(s);
            still_jumps = 0;
        }
    };
    for (;;) {
        const TaskInfo* ti = model.task(cur);
        if (!ti || ti->spans.empty()) break;
        if (t <= ti->spans.front().start) {
            // Reached the spawn: the parent was running then.
            const TaskInfo* parent = model.task(ti->parent);
            if (!parent || parent->spans.empty() || parent->spans.front().start > t ||
                ++still_jumps > 8)
                break;
            cur = ti->parent;
            continue;
        }
        // The span covering the instant just before t.
        auto it = std::lower_bound(ti->spans.begin(), ti->spans.end(), t,
                                   [](const TaskSpan& s, Time at) { return s.end < at; });
        if (it == ti->spans.end()) it = std::prev(ti->spans.end());
        const TaskSpan& s = *it;
        const Time a = std::min(s.start, t);
        if (s.state == TaskState::waiting || s.state == TaskState::blocked ||
            s.state == TaskState::idle) {
            const WakeArrow* w = s.end == t ? wake_ending(model, cur, t) : nullptr;
            const TaskInfo* waker = w ? model.task(w->waker) : nullptr;
            if (waker && w->waker != cur && waker->spans.front().start < t && still_jumps < 8) {
                ++still_jumps;
                cur = w->waker;  // the waker was running at t: follow it back
                continue;
            }
        }
        std::vector<PathSegment> pieces;
        span_pieces(model, idle, cur, s, a, t, [&](const PathSegment& p) { pieces.push_back(p); });
        for (auto p = pieces.rbegin(); p != pieces.rend(); ++p)
            emit_back(*p);
        if (a >= t) break;  // no progress: a malformed span list
        t = a;
    }
    std::vector<PathSegment> out;
    for (auto it = backwards.rbegin(); it != backwards.rend(); ++it)
        push_forward(out, *it);
    return out;
}

std::vector<PathSegment> task_segments(const RunModel& model, const WorkerIdle& idle, TaskId task) {
    std::vector<PathSegment> out;
    const TaskInfo* info = model.task(task);
    if (!info) return out;
    for (const TaskSpan& s : info->spans)
        if (s.state != TaskState::done)
            span_pieces(model, idle, task, s, s.start, s.end,
                        [&](const PathSegment& p) { push_forward(out, p); });
    return out;
}

Breakdown breakdown(const std::vector<PathSegment>& segments) {
    Breakdown b;
    for (const PathSegment& s : segments) {
        const Time d = s.end - s.start;
        switch (s.kind) {
            case SegmentKind::running:
                b.running += d;
                break;
            case SegmentKind::queued_idle:
                b.queued_idle += d;
                break;
            case SegmentKind::queued_busy:
                b.queued_busy += d;
                break;
            case SegmentKind::waiting: {
                auto it =
                    std::find_if(b.waits.begin(), b.waits.end(),
                                 [&](const Breakdown::Wait& w) { return w.target == s.target; });
                if (it == b.waits.end())
                    b.waits.push_back(Breakdown::Wait{s.target, d});
                else
                    it->time += d;
                break;
            }
        }
    }
    return b;
}

std::vector<TaskBreakdown> summary_breakdowns(const RunModel& model) {
    std::vector<TaskBreakdown> out;
    const WorkerIdle idle(model);
    for (const TaskInfo& t : model.tasks()) {
        if (t.id == 0) continue;
        const Breakdown b = breakdown(task_segments(model, idle, t.id));
        TaskBreakdown o;
        o.task = t.id;
        o.running_ns = b.running;
        o.queued_idle_worker_ns = b.queued_idle;
        o.queued_all_busy_ns = b.queued_busy;
        std::vector<Breakdown::Wait> waits = b.waits;
        std::stable_sort(waits.begin(), waits.end(),
                         [](const auto& x, const auto& y) { return x.time > y.time; });
        for (const Breakdown::Wait& w : waits)
            o.waits.push_back(TaskBreakdown::Wait{
                w.target.id ? std::string(to_string(w.target.op)) : std::string(), w.target.id,
                target_name(model, w.target), w.time});
        out.push_back(std::move(o));
    }
    return out;
}

std::string target_name(const RunModel& model, const WaitTarget& target) {
    if (target.id == 0) return "nothing";
    if (target.is_timer()) return "timer " + std::to_string(target.id);
    if (target.is_task()) {
        const TaskInfo* t = model.task(target.id);
        return t ? t->name : "task #" + std::to_string(target.id);
    }
    const ResourceTrack* r = model.resource(target.id);
    return r && !r->name.empty() ? r->name : "resource " + std::to_string(target.id);
}

std::string_view to_string(SegmentKind kind) {
    switch (kind) {
        case SegmentKind::running:
            return "running";
        case SegmentKind::queued_idle:
            return "queued (idle worker)";
        case SegmentKind::queued_busy:
            return "queued (workers busy)";
        case SegmentKind::waiting:
            return "waiting";
    }
    return "?";
}

std::optional<TaskId> find_task(const RunModel& model, std::string_view text) {
    if (text.size() > 1 && text.front() == '#') {
        TaskId id = 0;
        const char* end = text.data() + text.size();
        const auto [p, ec] = std::from_chars(text.data() + 1, end, id);
        if (ec == std::errc() && p == end && model.task(id) && model.task(id)->id == id) return id;
    }
    for (const TaskInfo& t : model.tasks())
        if (t.id != 0 && t.name == text) return t.id;
    return std::nullopt;
}

}  // namespace spindle::view
