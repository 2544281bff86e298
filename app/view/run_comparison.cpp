#include "run_comparison.h"

#include <algorithm>
#include <map>
#include <utility>

#include "time_format.h"

namespace spindle::view {

namespace {

/// What task `t` was still waiting on when its run ended ("" when it was not).
std::string waiting_on(const RunModel& m, const TaskInfo& t) {
    if (t.ended || t.spans.empty() || t.spans.back().state != TaskState::waiting) return {};
    const TaskSpan& s = t.spans.back();
    if (s.select) return "a select";
    if (s.op == WaitOp::join) return "join of '" + std::string(m.task_name(s.resource)) + "'";
    if (s.op == WaitOp::sleep) return "sleep";
    const ResourceTrack* r = m.resource(s.resource);
    return std::string(to_string(s.op)) + (r ? " on '" + r->name + "'" : std::string());
}

TaskSide side_of(const RunModel& m, const TaskInfo& t) {
    TaskSide s;
    s.present = true;
    s.ended = t.ended;
    s.outcome = t.outcome;
    for (const TaskSpan& span : t.spans)
        if (span.state == TaskState::waiting) s.waited += span.end - span.start;
    s.waiting_on = waiting_on(m, t);
    return s;
}

/// "name", or "name #k" for the k-th task of that name (k >= 2), in id order.
std::vector<std::string> keys(const RunModel& m) {
    std::map<std::string, int> seen;
    std::vector<std::string> out;
    for (const TaskInfo& t : m.tasks()) {
        const int k = ++seen[t.name];
        out.push_back(k == 1 ? t.name : t.name + " #" + std::to_string(k));
    }
    return out;
}

std::string side_text(const TaskSide& s, Time run_end) {
    if (!s.present) return "no such task";
    std::string out;
    if (s.ended)
        out = std::string(s.outcome ? to_string(*s.outcome) : "ended") + " at " +
              format_time(*s.ended);
    else if (!s.waiting_on.empty())
        out = "still waiting (" + s.waiting_on + ") at " + format_time(run_end);
    else
        out = "not finished at " + format_time(run_end);
    if (s.waited > 0) out += ", waited " + format_duration(s.waited);
    return out;
}

}  // namespace

RunComparison compare_runs(const RunModel& a, const RunModel& b) {
    RunComparison c;
    c.outcome = {a.run().outcome, b.run().outcome};
    c.end = {a.end_time(), b.end_time()};
    const std::array<const RunModel*, 2> models{&a, &b};

    // Name keys in the first run's order, then those only the second run has.
    std::vector<std::string> order;
    std::map<std::string, std::array<TaskSide, 2>> sides;
    for (int i = 0; i < 2; ++i) {
        const RunModel& m = *models[static_cast<std::size_t>(i)];
        const std::vector<std::string> k = keys(m);
        for (std::size_t t = 0; t < k.size(); ++t) {
            auto [it, fresh] = sides.try_emplace(k[t]);
            if (fresh) order.push_back(k[t]);
            it->second[static_cast<std::size_t>(i)] = side_of(m, m.tasks()[t]);
        }
    }
    for (const std::string& key : order) {
        const auto& s = sides[key];
        if (s[0] == s[1]) {
            ++c.same_tasks;
            continue;
        }
        c.tasks.push_back({key, s});
    }
    auto end_gap = [&c](const TaskDifference& d) {
        const Time ea = d.side[0].ended.value_or(c.end[0]);
        const Time eb = d.side[1].ended.value_or(c.end[1]);
        return ea > eb ? ea - eb : eb - ea;
    };
    std::stable_sort(c.tasks.begin(), c.tasks.end(),
                     [&](const TaskDifference& x, const TaskDifference& y) {
                         if (x.ending_differs() != y.ending_differs()) return x.ending_differs();
                         return end_gap(x) > end_gap(y);
                     });
    return c;
}

std::vector<std::string> describe(const RunComparison& c,
                                  const std::array<std::string_view, 2>& outcome_words,
                                  std::size_t max_tasks) {
    std::vector<std::string> lines;
    lines.push_back("Top: " + std::string(outcome_words[0]) + ", ended at " +
                    format_time(c.end[0]) + ". Bottom: " + std::string(outcome_words[1]) +
                    ", ended at " + format_time(c.end[1]) + ".");
    if (c.tasks.empty()) {
        lines.push_back("Every task did the same in both.");
        return lines;
    }
    const std::size_t shown = std::min(max_tasks, c.tasks.size());
    for (std::size_t i = 0; i < shown; ++i) {
        const TaskDifference& d = c.tasks[i];
        lines.push_back(d.name + " — top: " + side_text(d.side[0], c.end[0]) +
                        "; bottom: " + side_text(d.side[1], c.end[1]));
    }
    if (shown < c.tasks.size())
        lines.push_back("and " + std::to_string(c.tasks.size() - shown) +
                        " more tasks that differ");
    if (c.same_tasks > 0)
        lines.push_back(std::to_string(c.same_tasks) + (c.same_tasks == 1 ? " task" : " tasks") +
                        " did the same in both.");
    return lines;
}

}  // namespace spindle::view
