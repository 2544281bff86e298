#include "explain.h"

#include <algorithm>

#include "time_format.h"

namespace spindle::view {

namespace {

ExplainPiece plain(std::string text) {
    return ExplainPiece{std::move(text)};
}
ExplainPiece task_piece(const RunModel& m, TaskId task, Time at = -1) {
    const std::string_view name = m.task_name(task);
    return ExplainPiece{name.empty() ? "#" + std::to_string(task) : std::string(name), task, 0, at};
}
ExplainPiece time_piece(Time t) {
    return ExplainPiece{format_time(t), 0, 0, t};
}
/// The wait target as a piece: a resource or task link, or plain text (timers).
ExplainPiece target_piece(const RunModel& m, const WaitTarget& target) {
    ExplainPiece p{target_name(m, target)};
    if (target.is_task())
        p.task = target.id;
    else if (!target.is_timer())
        p.resource = target.id;
    return p;
}

std::string percent(Time part, Time whole) {
    if (whole <= 0) return "0%";
    const long long pct = (part * 200 / whole + 1) / 2;
    return std::to_string(pct) + "%";
}

/// The buffer length of `r` just before `t`.
std::uint32_t length_before(const ResourceTrack& r, Time t) {
    std::uint32_t len = 0;
    for (const LenPoint& p : r.length) {
        if (p.time >= t) break;
        len = p.len;
    }
    return len;
}

/// Who held `r` at `t`.
std::vector<TaskId> holders_at(const ResourceTrack& r, Time t) {
    std::vector<TaskId> out;
    for (const HoldSpan& h : r.holds)
        if (h.start <= t && t < h.end && std::find(out.begin(), out.end(), h.task) == out.end())
            out.push_back(h.task);
    return out;
}

/// Why a wait on `target` that began at `t` had to wait.
void append_why(const RunModel& m, const WaitTarget& target, Time t, ExplainLine& line) {
    auto& p = line.pieces;
    if (target.id == 0) {
        p.push_back(plain(": pending, armed on nothing"));
        return;
    }
    if (target.is_task()) {
        p.push_back(plain(": waiting for "));
        p.push_back(task_piece(m, target.id));
        p.push_back(plain(" to finish"));
        return;
    }
    if (target.is_timer()) return;  // "in `sleep` on timer 3" says it all
    const ResourceTrack* r = m.resource(target.id);
    if (!r) return;
    switch (target.op) {
        case WaitOp::recv:
            if (r->kind == ResourceKind::broadcast)
                p.push_back(plain(": no new message"));
            else if (r->kind == ResourceKind::oneshot)
                p.push_back(plain(": no value sent yet"));
            else
                p.push_back(plain(": the buffer was empty"));
            return;
        case WaitOp::send: {
            const std::uint32_t len = length_before(*r, t + 1);
            std::string text = ": the buffer was full";
            if (r->capacity != kUnbounded)
                text += " (" + std::to_string(len) + " of " + std::to_string(r->capacity) + ")";
            p.push_back(plain(text));
            return;
        }
        case WaitOp::changed:
            p.push_back(plain(": no new value"));
            return;
        case WaitOp::lock:
        case WaitOp::read:
        case WaitOp::write:
        case WaitOp::acquire: {
            const std::vector<TaskId> holders = holders_at(*r, t);
            if (holders.empty()) {
                p.push_back(plain(": others were queued for it first"));
                return;
            }
            p.push_back(
                plain(r->kind == ResourceKind::semaphore ? ": permits held by " : ": held by "));
            for (std::size_t i = 0; i < holders.size() && i < 4; ++i) {
                if (i) p.push_back(plain(", "));
                p.push_back(task_piece(m, holders[i], t));
            }
            if (holders.size() > 4)
                p.push_back(plain(" and " + std::to_string(holders.size() - 4) + " more"));
            return;
        }
        case WaitOp::notified:
            p.push_back(plain(": waiting for a notification"));
            return;
        case WaitOp::barrier:
            p.push_back(plain(": waiting for the others to arrive"));
            return;
        default:
            return;
    }
}

/// The tick of `task` on `r` at `t` (the last one at or before it), or nullptr.
const ChannelTick* tick_at(const ResourceTrack& r, TaskId task, Time t) {
    const ChannelTick* found = nullptr;
    for (const ChannelTick& k : r.ticks) {
        if (k.time > t) break;
        if (k.task == task && k.time == t) found = &k;
    }
    return found;
}

/// What ended the wait: "; woken by X's send of message #17 at t".
void append_end(const RunModel& m, const WakeArrow* w, ExplainLine& line) {
    auto& p = line.pieces;
    if (!w) {
        p.push_back(plain("; still waiting when the run ended"));
        return;
    }
    const Time t = w->from_time;
    switch (w->cause) {
        case WakeCause::timer:
            p.push_back(plain("; the timer fired at "));
            p.push_back(time_piece(t));
            break;
        case WakeCause::abort:
            p.push_back(plain("; aborted"));
            if (w->waker) {
                p.push_back(plain(" by "));
                p.push_back(task_piece(m, w->waker, t));
            }
            p.push_back(plain(" at "));
            p.push_back(time_piece(t));
            break;
        default: {
            if (!w->waker) {
                p.push_back(plain("; woken from outside at "));
                p.push_back(time_piece(t));
                break;
            }
            const ResourceTrack* r =
                w->cause == WakeCause::resource ? m.resource(w->source) : nullptr;
            const ChannelTick* k = r && r->is_channel() ? tick_at(*r, w->waker, t) : nullptr;
            p.push_back(plain("; woken by "));
            p.push_back(task_piece(m, w->waker, t));
            if (k) {
                p.push_back(plain(
                    std::string(k->send ? "'s send of message #" : "'s receive of message #") +
                    std::to_string(k->msg) + (k->send ? " to " : " from ")));
                ExplainPiece res{r->name, 0, r->id, t};
                p.push_back(res);
            } else if (r && !r->is_channel()) {
                p.push_back(plain("'s release of "));
                p.push_back(ExplainPiece{r->name, 0, r->id, t});
            } else if (w->cause == WakeCause::task && m.task(w->waker) &&
                       m.task(w->waker)->ended == t) {
                p.push_back(plain(" ending"));
            }
            p.push_back(plain(" at "));
            p.push_back(time_piece(t));
            break;
        }
    }
    if (w->to_time > w->from_time) {
        p.push_back(plain(", then queued " + format_duration(w->to_time - w->from_time)));
    }
}

/// The latest waiting or idle span of `task` ending at or before `t`, or npos.
std::size_t wait_before(const TaskInfo& info, Time t) {
    for (std::size_t i = info.spans.size(); i-- > 0;) {
        const TaskSpan& s = info.spans[i];
        if (s.end > t) continue;
        if (s.state == TaskState::waiting || s.state == TaskState::blocked ||
            s.state == TaskState::idle)
            return i;
    }
    return static_cast<std::size_t>(-1);
}

ExplainLine wait_line(const RunModel& m, TaskId task, const TaskSpan& s, int depth) {
    ExplainLine line;
    line.depth = depth;
    auto& p = line.pieces;
    p.push_back(task_piece(m, task, s.start));
    const bool blocked = s.state == TaskState::blocked;
    p.push_back(plain((depth ? (blocked ? " had been blocked " : " had waited ")
                             : (blocked ? " was blocked " : " waited ")) +
                      format_duration(s.end - s.start) + " ("));
    p.push_back(time_piece(s.start));
    p.push_back(plain("–"));
    p.push_back(time_piece(s.end));
    p.push_back(plain(")"));
    const WaitTarget target{s.op, s.resource};
    const auto& branches = m.select_waits(s.select);
    if (s.state == TaskState::idle) {
        append_why(m, WaitTarget{WaitOp::recv, 0}, s.start, line);
    } else if (branches.size() > 1) {
        p.push_back(plain(
            m.select_is_join(s.select)
                ? " in a join, its " + std::to_string(branches.size()) + " functions waiting on: "
                : " in a select on " + std::to_string(branches.size()) + " branches: "));
        for (std::size_t i = 0; i < branches.size(); ++i) {
            if (i) p.push_back(plain(", "));
            const WaitTarget b{branches[i].op, branches[i].resource};
            p.push_back(plain(std::string(to_string(b.op)) + " on "));
            p.push_back(target_piece(m, b));
        }
    } else {
        p.push_back(plain(" in `" + std::string(to_string(s.op)) + "` on "));
        p.push_back(target_piece(m, target));
        append_why(m, target, s.start, line);
    }
    if (blocked)
        p.push_back(plain(" — a blocking call: thread " + std::to_string(s.worker) +
                          " ran nothing else meanwhile"));
    const TaskInfo* info = m.task(task);
    const bool run_end = !info->ended && s.end >= m.end_time();
    append_end(m, run_end ? nullptr : wake_ending(m, task, s.end), line);
    return line;
}

}  // namespace

std::string ExplainLine::text() const {
    std::string out;
    for (const ExplainPiece& p : pieces)
        out += p.text;
    return out;
}

std::vector<ExplainLine> explain_wait(const RunModel& model, TaskId task, std::size_t span,
                                      int depth) {
    std::vector<ExplainLine> chain;
    TaskId cur = task;
    std::size_t index = span;
    for (int level = 0; level < depth; ++level) {
        const TaskInfo* info = model.task(cur);
        if (!info || index >= info->spans.size()) break;
        const TaskSpan& s = info->spans[index];
        if (s.state != TaskState::waiting && s.state != TaskState::blocked &&
            s.state != TaskState::idle)
            break;
        chain.push_back(wait_line(model, cur, s, level));
        const WakeArrow* w = wake_ending(model, cur, s.end);
        if (!w || !w->waker || w->waker == cur) break;
        const TaskInfo* waker = model.task(w->waker);
        if (!waker) break;
        index = wait_before(*waker, w->from_time);
        cur = w->waker;
    }
    return chain;
}

std::vector<ExplainLine> explain_queued(const RunModel& model, const WorkerIdle& idle, TaskId task,
                                        std::size_t span) {
    std::vector<ExplainLine> out;
    const TaskInfo* info = model.task(task);
    if (!info || span >= info->spans.size() || info->spans[span].state != TaskState::queued)
        return out;
    const TaskSpan& s = info->spans[span];
    ExplainLine l;
    auto& p = l.pieces;
    p.push_back(task_piece(model, task, s.start));
    p.push_back(plain(" was queued " + format_duration(s.end - s.start) + " ("));
    p.push_back(time_piece(s.start));
    p.push_back(plain("–"));
    p.push_back(time_piece(s.end));
    p.push_back(plain(")"));
    // The queue that held it when it was scheduled.
    for (const QueueSpan& q : model.queue_spans()) {
        if (q.task != task || q.start > s.start || q.end <= s.start) continue;
        if (q.place == QueuePlace::injector)
            p.push_back(plain(" in its Rayon pool's injector queue"));
        else if (q.place == QueuePlace::global || q.queue == kGlobalQueue)
            p.push_back(plain(" in the global queue"));
        else if (q.queue < model.workers().size() &&
                 model.workers()[q.queue].role == WorkerRole::rayon)
            p.push_back(plain(" on Rayon thread " + std::to_string(q.queue) + "'s deque"));
        else if (q.place == QueuePlace::lifo)
            p.push_back(plain(" in thread " + std::to_string(q.queue) + "'s LIFO slot"));
        else if (q.place == QueuePlace::blocking)
            p.push_back(plain(" for a blocking thread"));
        else
            p.push_back(plain(" in thread " + std::to_string(q.queue) + "'s queue"));
        break;
    }
    Time idle_time = 0;
    const WorkerRole role = info->flavor == TaskFlavor::blocking ? WorkerRole::blocking
                            : info->flavor == TaskFlavor::rayon  ? WorkerRole::rayon
                                                                 : WorkerRole::core;
    idle.split(role, s.start, s.end, [&](Time a, Time b, bool is_idle) {
        if (is_idle) idle_time += b - a;
    });
    if (idle_time > 0)
        p.push_back(plain(": a worker sat idle for " + format_duration(idle_time) +
                          " of it — the scheduler's fault"));
    else
        p.push_back(plain(": every worker was busy"));
    if (span + 1 < info->spans.size() && info->spans[span + 1].state == TaskState::running &&
        info->spans[span + 1].worker != kNoWorker) {
        p.push_back(
            plain("; polled on thread " + std::to_string(info->spans[span + 1].worker) + " at "));
        p.push_back(time_piece(s.end));
    }
    out.push_back(std::move(l));
    return out;
}

std::vector<ExplainLine> describe(const RunModel& model, const Breakdown& b) {
    std::vector<ExplainLine> out;
    const Time total = b.total();
    const auto add = [&](const std::string& what, Time d, const std::string& note = {}) {
        ExplainLine l;
        l.pieces.push_back(
            plain(what + " " + format_duration(d) + " (" + percent(d, total) + ")" + note));
        out.push_back(std::move(l));
    };
    add("running", b.running);
    add("queued with an idle worker", b.queued_idle,
        b.queued_idle ? " — the scheduler's fault" : "");
    add("queued with all workers busy", b.queued_busy);
    add("waiting", b.waiting(), b.waits.empty() ? "" : ":");
    std::vector<Breakdown::Wait> waits = b.waits;
    std::stable_sort(waits.begin(), waits.end(),
                     [](const auto& x, const auto& y) { return x.time > y.time; });
    for (const Breakdown::Wait& w : waits) {
        ExplainLine l;
        l.depth = 1;
        l.pieces.push_back(plain(format_duration(w.time) + " (" + percent(w.time, total) + ") "));
        if (w.target.id == 0) {
            l.pieces.push_back(plain("pending on nothing"));
        } else {
            l.pieces.push_back(plain(std::string(to_string(w.target.op)) + " on "));
            l.pieces.push_back(target_piece(model, w.target));
        }
        out.push_back(std::move(l));
    }
    return out;
}

Explanation explain_task(const RunModel& model, const WorkerIdle& idle, TaskId task,
                         const ExplainOptions& options) {
    Explanation e;
    const TaskInfo* info = model.task(task);
    if (!info || info->id != task) return e;
    e.task = task;
    {
        ExplainLine l;
        auto& p = l.pieces;
        p.push_back(task_piece(model, task, info->spawned));
        p.push_back(plain(" (#" + std::to_string(task) + "), spawned at "));
        p.push_back(time_piece(info->spawned));
        if (const TaskInfo* parent = model.task(info->parent)) {
            p.push_back(plain(" by "));
            p.push_back(task_piece(model, parent->id, info->spawned));
        }
        const Time end = info->ended.value_or(model.end_time());
        if (info->ended) {
            p.push_back(plain(", ended at "));
            p.push_back(time_piece(end));
            if (info->outcome)
                p.push_back(plain(" (" + std::string(to_string(*info->outcome)) + ")"));
        } else {
            p.push_back(plain(", still alive when the run ended at "));
            p.push_back(time_piece(end));
        }
        p.push_back(plain("; lived " + format_duration(end - info->spawned)));
        e.header.push_back(std::move(l));
    }
    e.life = breakdown(task_segments(model, idle, task));
    e.breakdown = describe(model, e.life);

    std::vector<std::size_t> waits;
    for (std::size_t i = 0; i < info->spans.size(); ++i) {
        const TaskSpan& s = info->spans[i];
        if ((s.state == TaskState::waiting || s.state == TaskState::blocked ||
             s.state == TaskState::idle) &&
            s.end > s.start)
            waits.push_back(i);
    }
    std::stable_sort(waits.begin(), waits.end(), [&](std::size_t a, std::size_t b) {
        return info->spans[a].end - info->spans[a].start >
               info->spans[b].end - info->spans[b].start;
    });
    if (waits.size() > options.waits) waits.resize(options.waits);
    std::sort(waits.begin(), waits.end());
    for (std::size_t i : waits)
        e.chains.push_back(explain_wait(model, task, i, options.depth));

    e.path = critical_path(model, idle, task);
    e.path_breakdown = breakdown(e.path);
    e.path_summary = describe(model, e.path_breakdown);
    const std::size_t first =
        e.path.size() > options.path_lines ? e.path.size() - options.path_lines : 0;
    if (first > 0) {
        ExplainLine l;
        l.pieces.push_back(plain("… " + std::to_string(first) + " earlier segments"));
        e.path_lines.push_back(std::move(l));
    }
    for (std::size_t i = first; i < e.path.size(); ++i) {
        const PathSegment& s = e.path[i];
        ExplainLine l;
        l.pieces.push_back(time_piece(s.start));
        l.pieces.push_back(plain("–"));
        l.pieces.push_back(time_piece(s.end));
        l.pieces.push_back(plain("  "));
        l.pieces.push_back(task_piece(model, s.task, s.start));
        l.pieces.push_back(plain(" " + std::string(to_string(s.kind))));
        if (s.kind == SegmentKind::waiting && s.target.id) {
            l.pieces.push_back(plain(" (" + std::string(to_string(s.target.op)) + ") on "));
            l.pieces.push_back(target_piece(model, s.target));
        }
        l.pieces.push_back(plain(" " + format_duration(s.end - s.start)));
        e.path_lines.push_back(std::move(l));
    }
    return e;
}

std::string to_text(const Explanation& e) {
    std::string out;
    const auto put = [&](const ExplainLine& l, int indent) {
        out += std::string(static_cast<std::size_t>(indent + 2 * l.depth), ' ') + l.text() + "\n";
    };
    if (e.task == 0) return out;
    for (const ExplainLine& l : e.header)
        put(l, 0);
    out += "\nWhere its time went:\n";
    for (const ExplainLine& l : e.breakdown)
        put(l, 2);
    out += "\nIts longest waits, and why:\n";
    if (e.chains.empty()) out += "  (it never waited)\n";
    for (const auto& chain : e.chains) {
        for (std::size_t i = 0; i < chain.size(); ++i)
            put(chain[i], i == 0 ? 2 : 4);
    }
    out += "\nCritical path to its end";
    if (!e.path.empty())
        out += " (" + format_time(e.path.front().start) + "–" + format_time(e.path.back().end) +
               ", " + std::to_string(e.path.size()) + " segments)";
    out += ":\n";
    for (const ExplainLine& l : e.path_summary)
        put(l, 2);
    out += "  Segments:\n";
    for (const ExplainLine& l : e.path_lines)
        put(l, 4);
    return out;
}

}  // namespace spindle::view
