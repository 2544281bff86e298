#include "deadlock_view.h"

#include <algorithm>

#include "short_label.h"

namespace spindle::view {

namespace {

/// Holders of each resource at the end: holds never released (their end lies
/// past the run's end, see HoldSpan).
std::vector<TaskId> holders_at_end(const RunModel& model, ResourceId id) {
    std::vector<TaskId> out;
    if (const ResourceTrack* r = model.resource(id))
        for (const HoldSpan& h : r->holds)
            if (h.end > model.end_time() && std::find(out.begin(), out.end(), h.task) == out.end())
                out.push_back(h.task);
    return out;
}

/// The waits of a task's last span: its select's branches, or the one wait.
std::vector<WaitRef> waits_of(const RunModel& model, const TaskSpan& s) {
    std::vector<WaitRef> waits = model.select_waits(s.select);
    if (waits.empty()) waits.push_back(WaitRef{s.resource, s.op});
    return waits;
}

std::string name_of(const DeadlockReport& r, TaskId id) {
    const WaitingTask* t = r.find(id);
    return t && !t->name.empty() ? t->name : "task " + std::to_string(id);
}

}  // namespace

const StuckWait* DeadlockView::stuck_task(TaskId task) const {
    for (const StuckWait& s : stuck)
        if (s.task == task) return &s;
    return nullptr;
}

DeadlockReport deadlock_report(const RunModel& model) {
    DeadlockReport report;
    for (const TaskInfo& t : model.tasks()) {
        if (t.id == 0 || t.ended || t.spans.empty()) continue;
        const TaskSpan& last = t.spans.back();
        WaitingTask w;
        w.task = t.id;
        w.name = t.name;
        if (last.state == TaskState::waiting || last.state == TaskState::blocked) {
            for (const WaitRef& ref : waits_of(model, last)) {
                WaitInfo info;
                info.resource = ref.resource;
                info.op = ref.op;
                if (ref.op == WaitOp::join) {
                    info.kind = ResourceKind::task;
                    info.holders = {static_cast<TaskId>(ref.resource)};
                } else if (const ResourceTrack* r = model.resource(ref.resource)) {
                    info.kind = r->kind;
                    info.name = r->name;
                    info.holders = holders_at_end(model, ref.resource);
                }
                w.waits.push_back(std::move(info));
            }
        }
        report.tasks.push_back(std::move(w));
    }
    report.cycle = find_wait_cycle(report.tasks);
    return report;
}

std::string deadlock_headline(const DeadlockReport& report) {
    if (report.cycle.empty()) {
        // No cycle: what the stuck tasks wait on that nobody will ever give them (a
        // lost notification, a receive whose senders live on in stuck tasks). Waits on
        // joins only follow from those.
        std::string line;
        std::size_t shown = 0, more = 0;
        for (const WaitingTask& t : report.tasks)
            for (const WaitInfo& w : t.waits) {
                if (w.op == WaitOp::join) continue;
                if (shown == 2) {
                    ++more;
                    break;
                }
                line += shown++ ? "; " : "deadlock: ";
                line += (t.name.empty() ? "task " + std::to_string(t.task) : t.name) +
                        " waits in " + std::string(to_string(w.op)) + " on " +
                        (w.name.empty()
                             ? std::string(to_string(w.kind)) + " " + std::to_string(w.resource)
                             : w.name);
                break;
            }
        if (more) line += "; and " + std::to_string(more) + " more";
        if (!line.empty()) return line + ", which nothing can wake";
        const std::string text = report.to_text();
        return text.substr(0, text.find('\n'));
    }
    // Each task's name and the resource it waits on inside the cycle, in cycle order.
    std::vector<std::string> tasks, resources;
    const std::size_t n = report.cycle.size();
    for (std::size_t i = 0; i < n; ++i) {
        const TaskId id = report.cycle[i], next = report.cycle[(i + 1) % n];
        tasks.push_back(name_of(report, id));
        if (const WaitingTask* t = report.find(id))
            for (const WaitInfo& w : t->waits)
                if (std::find(w.holders.begin(), w.holders.end(), next) != w.holders.end()) {
                    std::string r = w.op == WaitOp::join ? "join " + name_of(report, next)
                                    : w.name.empty()     ? std::string(to_string(w.kind)) + " " +
                                                           std::to_string(w.resource)
                                                     : w.name;
                    if (std::find(resources.begin(), resources.end(), r) == resources.end())
                        resources.push_back(std::move(r));
                    break;
                }
    }
    std::sort(resources.begin(), resources.end());
    // Long names give way (their distinguishing tails stay) until the line is short.
    const auto tails = label_tails(tasks);
    const TextWidth chars = [](std::string_view s) {
        double n = 0;
        for (unsigned char c : s)
            n += (c & 0xC0) != 0x80;
        return n;
    };
    constexpr std::size_t kMaxLine = 100;
    for (double width = 40;; width -= 4) {
        std::string line = "deadlock: ";
        for (std::size_t i = 0; i < n; ++i) {
            if (i) line += n == 2 ? " \u21C4 " : " \u2192 ";
            line += short_label(tasks[i], tails[i], width, chars);
        }
        if (n > 2) line += " \u2192 " + short_label(tasks[0], tails[0], width, chars);
        if (!resources.empty()) {
            line += " over ";
            for (std::size_t i = 0; i < resources.size(); ++i)
                line += (i ? ", " : "") + short_label(resources[i], 0, width, chars);
        }
        if (chars(line) <= kMaxLine || width <= 4) return line;
    }
}

DeadlockView deadlock_view(const RunModel& model) {
    DeadlockView view;
    if (model.run().outcome != RunOutcome::deadlock) return view;
    const DeadlockReport report = deadlock_report(model);
    for (const WaitingTask& w : report.tasks) {
        const TaskInfo* t = model.task(w.task);
        if (!t || (t->spans.back().state != TaskState::waiting &&
                   t->spans.back().state != TaskState::blocked))
            continue;
        StuckWait s;
        s.task = w.task;
        s.since = t->spans.back().start;
        s.waits = waits_of(model, t->spans.back());
        for (const WaitInfo& info : w.waits)
            for (TaskId h : info.holders)
                if (std::find(s.holders.begin(), s.holders.end(), h) == s.holders.end())
                    s.holders.push_back(h);
        view.stuck.push_back(std::move(s));
    }
    const std::size_t n = report.cycle.size();
    for (std::size_t i = 0; i < n; ++i) {
        const TaskId id = report.cycle[i], next = report.cycle[(i + 1) % n];
        if (const WaitingTask* t = report.find(id))
            for (const WaitInfo& w : t->waits)
                if (std::find(w.holders.begin(), w.holders.end(), next) != w.holders.end()) {
                    view.cycle.push_back(CycleEdge{id, w.resource, w.op, next});
                    break;
                }
    }
    view.headline = deadlock_headline(report);
    view.details = report.to_text();
    while (!view.details.empty() && view.details.back() == '\n')
        view.details.pop_back();
    return view;
}

}  // namespace spindle::view
