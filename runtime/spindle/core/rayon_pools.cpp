#include "spindle/core/rayon_pools.h"

#include <algorithm>

namespace spindle {

void RayonPools::add_pool(ResourceId pool) {
    m_pools.push_back(Pool{.id = pool, .threads = {}, .injector = {}, .parked = {}});
}

RayonPools::Pool* RayonPools::find(ResourceId pool) {
    for (Pool& p : m_pools)
        if (p.id == pool) return &p;
    return nullptr;
}

const RayonPools::Pool* RayonPools::find(ResourceId pool) const {
    for (const Pool& p : m_pools)
        if (p.id == pool) return &p;
    return nullptr;
}

void RayonPools::add_thread(ResourceId pool, WorkerId w) {
    if (m_threads.size() <= w) m_threads.resize(std::size_t{w} + 1);
    m_threads[w].pool = pool;
    if (Pool* p = find(pool)) p->threads.push_back(w);
}

std::uint32_t RayonPools::thread_count(ResourceId pool) const {
    const Pool* p = find(pool);
    return p ? static_cast<std::uint32_t>(p->threads.size()) : 0;
}

WorkerId RayonPools::push_new(ResourceId pool, TaskId job, WorkerId from) {
    if (pool_of(from) == pool && pool != 0) {
        m_threads[from].deque.push_back(job);
        return from;
    }
    if (Pool* p = find(pool)) p->injector.push_back(job);
    return kNoWorker;
}

TaskId RayonPools::steal(Pool& p, WorkerId thief) {
    const auto n = static_cast<std::uint32_t>(p.threads.size());
    if (n < 2) return 0;
    const auto start = static_cast<std::uint32_t>(m_rng.below(n));
    for (std::uint32_t i = 0; i < n; ++i) {
        const WorkerId victim = p.threads[(start + i) % n];
        if (victim == thief) continue;
        std::deque<TaskId>& src = m_threads[victim].deque;
        if (src.empty()) continue;
        const TaskId job = src.front();  // the oldest: the biggest piece of work
        src.pop_front();
        Event e = m_instrument.make(payload::WorkerSteal{.victim = victim, .taken = 1});
        e.worker = thief;
        e.task = 0;
        m_instrument.publish(e);
        m_instrument.emit(payload::TaskScheduled{.place = QueuePlace::stolen, .queue = thief}, job);
        return job;
    }
    return 0;
}

TaskId RayonPools::next(WorkerId w) {
    if (pool_of(w) == 0) return 0;
    Thread& t = m_threads[w];
    if (!t.resume.empty()) {
        const TaskId job = t.resume.front();
        t.resume.pop_front();
        return job;
    }
    if (!t.deque.empty()) {
        const TaskId job = t.deque.back();
        t.deque.pop_back();
        return job;
    }
    Pool* p = find(t.pool);
    if (!p) return 0;
    if (const TaskId job = steal(*p, w)) return job;
    if (!p->injector.empty()) {
        const TaskId job = p->injector.front();
        p->injector.pop_front();
        return job;
    }
    return 0;
}

void RayonPools::park(WorkerId w) {
    if (Pool* p = find(pool_of(w))) p->parked.push_back(w);
}

bool RayonPools::unpark(WorkerId w) {
    Pool* p = find(pool_of(w));
    if (!p) return false;
    const auto it = std::find(p->parked.begin(), p->parked.end(), w);
    if (it == p->parked.end()) return false;
    p->parked.erase(it);
    return true;
}

WorkerId RayonPools::unpark_one(ResourceId pool) {
    Pool* p = find(pool);
    if (!p || p->parked.empty()) return kNoWorker;
    const WorkerId w = p->parked.back();
    p->parked.pop_back();
    return w;
}

}  // namespace spindle
