#include "spindle/core/deadlock.h"

#include <algorithm>
#include <map>

#include "spindle/instrument/terminal_text.h"

namespace spindle {

namespace {

// Names are the script's: one line each, whatever they hold.
std::string task_label(const DeadlockReport& r, TaskId id) {
    const WaitingTask* t = r.find(id);
    std::string name = t ? t->name : std::string();
    return "task " + std::to_string(id) + (name.empty() ? "" : " '" + one_line(name) + "'");
}

std::string resource_label(const WaitInfo& w) {
    if (w.op == WaitOp::join) return "task " + std::to_string(w.resource);
    if (w.op == WaitOp::sleep) return "timer " + std::to_string(w.resource);
    std::string s = std::string(to_string(w.kind)) + " " + std::to_string(w.resource);
    if (!w.name.empty()) s += " '" + one_line(w.name) + "'";
    return s;
}

}  // namespace

const WaitingTask* DeadlockReport::find(TaskId id) const {
    for (const auto& t : tasks)
        if (t.task == id) return &t;
    return nullptr;
}

std::string DeadlockReport::to_text() const {
    std::string out =
        "deadlock: " + std::to_string(tasks.size()) + " task(s) wait and nothing can run\n";
    for (const WaitingTask& t : tasks) {
        out += "  " + task_label(*this, t.task) + " waits ";
        if (t.waits.empty()) out += "for a free blocking thread";
        for (std::size_t i = 0; i < t.waits.size(); ++i) {
            const WaitInfo& w = t.waits[i];
            if (i) out += " or ";
            out += "to " + std::string(to_string(w.op)) + " on " + resource_label(w);
            if (!w.holders.empty() && w.op != WaitOp::join) {
                out += ", held by ";
                for (std::size_t k = 0; k < w.holders.size(); ++k)
                    out += (k ? ", " : "") + task_label(*this, w.holders[k]);
            }
            if (w.live_senders > 0)
                out += " (" + std::to_string(w.live_senders) + " sender" +
                       (w.live_senders == 1 ? "" : "s") +
                       " still alive, but nothing will send: a missing tx:drop()?)";
        }
        out += "\n";
    }
    if (!cycle.empty()) {
        out += "  cycle: ";
        for (TaskId id : cycle)
            out += task_label(*this, id) + " -> ";
        out += task_label(*this, cycle.front()) + "\n";
    }
    return out;
}

std::vector<TaskId> find_wait_cycle(const std::vector<WaitingTask>& tasks) {
    std::map<TaskId, std::vector<TaskId>> edges;
    for (const auto& t : tasks) {
        auto& out = edges[t.task];
        for (const auto& w : t.waits)
            for (TaskId h : w.holders)
                if (h != 0) out.push_back(h);
    }
    // Depth-first search from each task in id order; the first back edge closes a cycle.
    std::map<TaskId, int> colour;  // 0 new, 1 on stack, 2 done
    std::vector<TaskId> stack;
    std::vector<TaskId> found;
    auto visit = [&](auto&& self, TaskId id) -> bool {
        colour[id] = 1;
        stack.push_back(id);
        for (TaskId next : edges[id]) {
            if (colour[next] == 1) {
                auto it = std::find(stack.begin(), stack.end(), next);
                found.assign(it, stack.end());
                return true;
            }
            if (colour[next] == 0 && edges.count(next) && self(self, next)) return true;
        }
        stack.pop_back();
        colour[id] = 2;
        return false;
    };
    for (const auto& t : tasks)
        if (colour[t.task] == 0 && visit(visit, t.task)) return found;
    return {};
}

}  // namespace spindle
