#include "spindle/core/work_stealing_policy.h"

namespace spindle {

WorkStealingPolicy::WorkStealingPolicy(const RuntimeConfig& config, int workers,
                                       Instrument& instrument, Rng& rng)
    : m_config(config), m_instrument(instrument), m_rng(rng) {
    m_workers.reserve(workers);
    for (int i = 0; i < workers; ++i)
        m_workers.emplace_back(config.local_queue_capacity);
}

void WorkStealingPolicy::note_scheduled(TaskId task, QueuePlace place, WorkerId worker) {
    Event e = m_instrument.make(payload::TaskScheduled{.place = place, .queue = worker});
    e.task = task;
    m_instrument.publish(e);
}

void WorkStealingPolicy::push_local(Worker& w, WorkerId id, TaskId task) {
    if (!w.local.full()) {
        w.local.push_back(task);
        return;
    }
    // Overflow: half of the local queue and the new task move to the global queue.
    const std::uint32_t half = w.local.size() / 2;
    for (std::uint32_t i = 0; i < half; ++i) {
        const TaskId moved = w.local.pop_front();
        m_global.push_back(moved);
        note_scheduled(moved, QueuePlace::global, kNoWorker);
    }
    (void)id;
    m_global.push_back(task);
    note_scheduled(task, QueuePlace::global, kNoWorker);
}

Placement WorkStealingPolicy::schedule(TaskId task, WorkerId from, bool is_yield) {
    if (from == kNoWorker || from >= m_workers.size()) {
        m_global.push_back(task);
        return {QueuePlace::global, kNoWorker, true};
    }
    Worker& w = m_workers[from];
    if (is_yield) {
        const bool overflow = w.local.full();
        push_local(w, from, task);
        return {overflow ? QueuePlace::global : QueuePlace::local, overflow ? kNoWorker : from,
                true};
    }
    const TaskId displaced = w.lifo;
    w.lifo = task;
    if (displaced) {
        // The displaced task becomes stealable; say where it went before the new placement.
        const bool overflow = w.local.full();
        push_local(w, from, displaced);
        if (!overflow) note_scheduled(displaced, QueuePlace::local, from);
    }
    return {QueuePlace::lifo, from, displaced != 0};
}

TaskId WorkStealingPolicy::pop_global() {
    if (m_global.empty()) return 0;
    const TaskId t = m_global.front();
    m_global.pop_front();
    return t;
}

TaskId WorkStealingPolicy::steal(WorkerId thief) {
    const auto n = static_cast<std::uint32_t>(m_workers.size());
    if (n < 2) return 0;
    const auto start = static_cast<std::uint32_t>(m_rng.below(n));
    for (std::uint32_t i = 0; i < n; ++i) {
        const WorkerId victim = static_cast<WorkerId>((start + i) % n);
        if (victim == thief) continue;
        LocalQueue& src = m_workers[victim].local;
        if (src.empty()) continue;
        const std::uint32_t count = src.size() - src.size() / 2;
        Worker& me = m_workers[thief];
        Event e = m_instrument.make(payload::WorkerSteal{.victim = victim, .taken = count});
        e.worker = thief;
        e.task = 0;
        m_instrument.publish(e);
        // The first stolen task runs now; the rest join the thief's queue.
        const TaskId first = src.pop_front();
        note_scheduled(first, QueuePlace::stolen, thief);
        for (std::uint32_t k = 1; k < count; ++k) {
            const TaskId t = src.pop_front();
            me.local.push_back(t);
            note_scheduled(t, QueuePlace::stolen, thief);
        }
        return first;
    }
    return 0;
}

TaskId WorkStealingPolicy::next(WorkerId id) {
    Worker& w = m_workers[id];
    ++w.tick;
    const std::uint32_t interval =
        m_config.global_queue_interval ? m_config.global_queue_interval : 61;
    if (w.tick % interval == 0) {
        if (TaskId t = pop_global()) {
            w.lifo_polls = 0;
            return t;
        }
    }
    if (w.lifo) {
        const TaskId t = w.lifo;
        w.lifo = 0;
        if (w.lifo_polls < m_config.max_lifo_polls) {
            ++w.lifo_polls;
            return t;
        }
        // Too many LIFO polls in a row: the slot task waits its turn like the others.
        const bool overflow = w.local.full();
        push_local(w, id, t);
        if (!overflow) note_scheduled(t, QueuePlace::local, id);
    }
    w.lifo_polls = 0;
    if (TaskId t = w.local.pop_front()) return t;
    if (TaskId t = pop_global()) return t;
    if (TaskId t = steal(id)) return t;
    return pop_global();
}

void WorkStealingPolicy::candidates(WorkerId id, std::vector<Candidate>& out) const {
    if (id >= m_workers.size()) return;
    const Worker& w = m_workers[id];
    if (w.lifo) out.push_back({w.lifo, QueuePlace::lifo, id, 0});
    for (std::uint32_t i = 0; i < w.local.size(); ++i)
        out.push_back({w.local.at(i), QueuePlace::local, id, i});
    for (std::uint32_t i = 0; i < m_global.size(); ++i)
        out.push_back({m_global[i], QueuePlace::global, kNoWorker, i});
    for (WorkerId v = 0; v < m_workers.size(); ++v) {
        if (v == id) continue;
        for (std::uint32_t i = 0; i < m_workers[v].local.size(); ++i)
            out.push_back({m_workers[v].local.at(i), QueuePlace::stolen, v, i});
    }
}

TaskId WorkStealingPolicy::take(WorkerId id, const Candidate& c) {
    Worker& w = m_workers[id];
    switch (c.from) {
        case QueuePlace::lifo: {
            const TaskId t = w.lifo;
            w.lifo = 0;
            return t;
        }
        case QueuePlace::local:
            return c.index < w.local.size() ? w.local.remove_at(c.index) : 0;
        case QueuePlace::global: {
            if (c.index >= m_global.size()) return 0;
            const TaskId t = m_global[c.index];
            m_global.erase(m_global.begin() + c.index);
            return t;
        }
        case QueuePlace::stolen: {
            if (c.owner >= m_workers.size() || c.index >= m_workers[c.owner].local.size()) return 0;
            const TaskId t = m_workers[c.owner].local.remove_at(c.index);
            Event e = m_instrument.make(payload::WorkerSteal{.victim = c.owner, .taken = 1});
            e.worker = id;
            e.task = 0;
            m_instrument.publish(e);
            note_scheduled(t, QueuePlace::stolen, id);
            return t;
        }
        case QueuePlace::blocking:
        case QueuePlace::injector:  // not a core worker's queue
            break;
    }
    return 0;
}

bool WorkStealingPolicy::has_queued() const {
    if (!m_global.empty()) return true;
    for (const Worker& w : m_workers)
        if (w.lifo || !w.local.empty()) return true;
    return false;
}

std::uint32_t WorkStealingPolicy::local_len(WorkerId w) const {
    if (w >= m_workers.size()) return 0;
    return m_workers[w].local.size() + (m_workers[w].lifo ? 1 : 0);
}

}  // namespace spindle
