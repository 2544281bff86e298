#pragma once
// TimerQueue: pending timers ordered by (deadline, id).
//
// A cancelled timer stays in the heap but is skipped when it surfaces (lazy
// deletion keeps cancel O(1)). Timer ids increase, so equal deadlines fire in
// the order the timers were set. Owned and touched by the executor only.

#include <cstdint>
#include <optional>
#include <queue>
#include <unordered_map>
#include <vector>

#include "spindle/core/ids.h"
#include "spindle/core/time.h"

namespace spindle {

class TimerQueue {
public:
    struct Fired {
        std::uint32_t id;
        TaskId task;
        Nanos deadline;
    };

    std::uint32_t add(Nanos deadline, TaskId task) {
        const std::uint32_t id = ++m_last_id;
        m_heap.push({deadline, id});
        m_live.emplace(id, Live{task, deadline});
        return id;
    }
    /// The deadline of the timer when it was live (not fired, not cancelled before).
    std::optional<Nanos> cancel(std::uint32_t id) {
        auto it = m_live.find(id);
        if (it == m_live.end()) return std::nullopt;
        const Nanos deadline = it->second.deadline;
        m_live.erase(it);
        return deadline;
    }

    /// The earliest live deadline, if any.
    std::optional<Nanos> next_deadline() {
        drop_dead();
        if (m_heap.empty()) return std::nullopt;
        return m_heap.top().deadline;
    }
    /// Removes and returns the earliest live timer.
    std::optional<Fired> pop() {
        drop_dead();
        if (m_heap.empty()) return std::nullopt;
        const Entry e = m_heap.top();
        m_heap.pop();
        const TaskId task = m_live.at(e.id).task;
        m_live.erase(e.id);
        return Fired{e.id, task, e.deadline};
    }
    bool empty() {
        drop_dead();
        return m_heap.empty();
    }

private:
    struct Entry {
        Nanos deadline;
        std::uint32_t id;
        bool operator>(const Entry& o) const {
            return deadline != o.deadline ? deadline > o.deadline : id > o.id;
        }
    };
    void drop_dead() {
        while (!m_heap.empty() && !m_live.count(m_heap.top().id))
            m_heap.pop();
    }

    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> m_heap;
    struct Live {
        TaskId task;
        Nanos deadline;
    };
    std::unordered_map<std::uint32_t, Live> m_live;
    std::uint32_t m_last_id = 0;
};

}  // namespace spindle
