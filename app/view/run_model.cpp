#include "run_model.h"

#include "spindle/instrument/event_payloads.h"

#include <algorithm>
#include <iterator>

namespace spindle::view {

namespace {
template <class T>
void grow(std::vector<T>& v, std::size_t n, const T& fill) {
    if (v.size() < n) v.resize(n, fill);
}
}  // namespace

TaskInfo* RunModel::task_mut(TaskId id) {
    return id >= 1 && id <= m_tasks.size() ? &m_tasks[id - 1] : nullptr;
}
const TaskInfo* RunModel::task(TaskId id) const {
    return id >= 1 && id <= m_tasks.size() ? &m_tasks[id - 1] : nullptr;
}

const TaskSpan* RunModel::span_at(TaskId id, Time t) const {
    const TaskInfo* info = task(id);
    if (!info) return nullptr;
    auto it = std::upper_bound(info->spans.begin(), info->spans.end(), t,
                               [](Time at, const TaskSpan& s) { return at < s.start; });
    return it == info->spans.begin() ? nullptr : &*std::prev(it);
}
ResourceTrack* RunModel::resource_mut(ResourceId id) {
    return id >= 1 && id <= m_resources.size() ? &m_resources[id - 1] : nullptr;
}
const ResourceTrack* RunModel::resource(ResourceId id) const {
    return id >= 1 && id <= m_resources.size() ? &m_resources[id - 1] : nullptr;
}
std::string_view RunModel::task_name(TaskId id) const {
    const TaskInfo* t = task(id);
    return t ? std::string_view(t->name) : std::string_view();
}

WorkerTrack& RunModel::worker_mut(WorkerId id) {
    if (m_workers.size() <= id) {
        const auto old = m_workers.size();
        m_workers.resize(id + 1u);
        for (auto i = old; i < m_workers.size(); ++i)
            m_workers[i].id = static_cast<WorkerId>(i);
        grow(m_open_poll, m_workers.size(), std::int64_t{-1});
    }
    return m_workers[id];
}

void RunModel::begin_span(TaskInfo& t, Time at, TaskState s, ResourceId r, WaitOp op, WorkerId w,
                          std::uint8_t others, std::uint32_t select) {
    if (!t.spans.empty()) {
        TaskSpan& last = t.spans.back();
        last.end = at;
        if (last.state == s && last.resource == r && last.op == op && last.worker == w &&
            last.others == others &&
            (last.select == select || select_waits(last.select) == select_waits(select)))
            return;
        if (last.start == at) t.spans.pop_back();  // zero-length: replaced
    }
    t.spans.push_back(TaskSpan{.start = at,
                               .end = at,
                               .resource = r,
                               .select = select,
                               .worker = w,
                               .state = s,
                               .op = op,
                               .others = others});
}

void RunModel::begin_blocked(const Event& e, Time at, ResourceId res, WaitOp op) {
    TaskInfo* ti = task_mut(e.task);
    if (!ti || ti->spans.empty() || e.worker == kNoWorker) return;
    TaskSpan& last = ti->spans.back();
    if (last.state == TaskState::blocked) {  // another branch of a blocking select
        if (last.others < 255) ++last.others;
        return;
    }
    if (last.state != TaskState::running) return;
    begin_span(*ti, at, TaskState::blocked, res, op, e.worker);
    worker_mut(e.worker).blocked.push_back(BlockedSlice{at, -1, e.task, res, op});
}

void RunModel::end_blocked(TaskId task, Time at) {
    TaskInfo* ti = task_mut(task);
    if (!ti || ti->spans.empty() || ti->spans.back().state != TaskState::blocked) return;
    const WorkerId w = ti->spans.back().worker;
    begin_span(*ti, at, TaskState::running, 0, WaitOp::recv, w);
    if (w < m_workers.size() && !m_workers[w].blocked.empty()) m_workers[w].blocked.back().end = at;
    // The wake that ended it arrives here, not at a next poll (the poll never ended).
    if (task < m_pending_wake.size() && m_pending_wake[task] >= 0) {
        WakeArrow& a = m_wakes[static_cast<std::size_t>(m_pending_wake[task])];
        a.to_time = at;
        a.to_worker = w;
        m_pending_wake[task] = -1;
    }
}

void RunModel::close_queue_span(TaskId task, Time at) {
    if (task >= m_open_queue.size() || m_open_queue[task] < 0) return;
    QueueSpan& q = m_queue_spans[static_cast<std::size_t>(m_open_queue[task])];
    q.end = at;
    m_open_queue[task] = -1;
}

void RunModel::set_length(ResourceTrack& r, Time at, std::uint32_t len) {
    if (!r.length.empty() && r.length.back().time == at)
        r.length.back().len = len;
    else
        r.length.push_back(LenPoint{at, len});
}

void RunModel::on_event(const Event& e, std::string_view text) {
    const Time t = e.time_ns;
    m_run.end = std::max(m_run.end, t);
    m_run.events = e.seq + 1;
    m_summary.on_event(e, text);
    m_races.on_event(e, text);
    switch (e.kind) {
        case EventKind::run_start: {
            m_run.started = true;
            m_run.config = std::string(text);
            const auto start = e.as<payload::RunStart>();
            m_run.policy = start.policy;
            m_run.workers = start.workers;
            m_run.seed = start.seed;
            break;
        }
        case EventKind::run_end:
            m_run.outcome = e.as<payload::RunEnd>().outcome;
            m_run.stop_reason = std::string(text);
            close_all(t);
            break;
        case EventKind::worker_start: {
            WorkerTrack& w = worker_mut(e.worker);
            const auto start = e.as<payload::WorkerStart>();
            w.role = start.role;
            w.pool = start.pool;
            w.started = t;
            break;
        }
        case EventKind::worker_park:
            if (e.worker != kNoWorker) worker_mut(e.worker).parked.push_back(Span{t, -1});
            break;
        case EventKind::worker_unpark:
            if (e.worker != kNoWorker) {
                WorkerTrack& w = worker_mut(e.worker);
                if (!w.parked.empty() && w.parked.back().end < 0) w.parked.back().end = t;
            }
            break;
        case EventKind::worker_steal: {
            const auto steal = e.as<payload::WorkerSteal>();
            worker_mut(e.worker).steals.push_back(StealMark{t, steal.victim, steal.taken});
            break;
        }
        case EventKind::task_spawn: {
            if (m_tasks.size() < e.task) m_tasks.resize(e.task);
            TaskInfo& ti = m_tasks[e.task - 1];
            ti.id = e.task;
            ti.name = std::string(text);
            const auto spawn = e.as<payload::TaskSpawn>();
            ti.parent = spawn.parent;
            ti.flavor = spawn.flavor;
            ti.spawned = t;
            grow(m_open_queue, e.task + 1u, std::int64_t{-1});
            grow(m_pending_wake, e.task + 1u, std::int64_t{-1});
            grow(m_active_waits, e.task + 1u, {});
            begin_span(ti, t, TaskState::idle);
            break;
        }
        case EventKind::task_scheduled: {
            TaskInfo* ti = task_mut(e.task);
            if (!ti) break;
            close_queue_span(e.task, t);
            const auto [place, queue, pool] = e.as<payload::TaskScheduled>();
            if (pool != 0) ti->pool = pool;
            m_open_queue[e.task] = static_cast<std::int64_t>(m_queue_spans.size());
            m_queue_spans.push_back(QueueSpan{t, -1, e.task, queue, place});
            // A task moved between queues (overflow, steal) stays queued.
            if (ti->spans.empty() || ti->spans.back().state != TaskState::running)
                begin_span(*ti, t, TaskState::queued, 0, WaitOp::recv, queue);
            break;
        }
        case EventKind::poll_start: {
            TaskInfo* ti = task_mut(e.task);
            if (!ti || e.worker == kNoWorker) break;
            WorkerTrack& w = worker_mut(e.worker);
            if (w.pool != 0) ti->pool = w.pool;
            m_open_poll[e.worker] = static_cast<std::int64_t>(w.polls.size());
            w.polls.push_back(PollSlice{t, t, e.task, false});
            close_queue_span(e.task, t);
            begin_span(*ti, t, TaskState::running, 0, WaitOp::recv, e.worker);
            if (m_pending_wake[e.task] >= 0) {
                WakeArrow& a = m_wakes[static_cast<std::size_t>(m_pending_wake[e.task])];
                a.to_time = t;
                a.to_worker = e.worker;
                m_pending_wake[e.task] = -1;
            }
            break;
        }
        case EventKind::poll_end: {
            TaskInfo* ti = task_mut(e.task);
            if (!ti || e.worker == kNoWorker || e.worker >= m_open_poll.size()) break;
            const std::int64_t open = m_open_poll[e.worker];
            const PollResult result = e.as<payload::PollEnd>().result;
            if (open >= 0) {
                PollSlice& p = m_workers[e.worker].polls[static_cast<std::size_t>(open)];
                p.end = t;
                p.ready = result == PollResult::ready;
                m_open_poll[e.worker] = -1;
            }
            const auto& waits = m_active_waits[e.task];
            if (result == PollResult::pending) {
                std::uint32_t select = 0;
                if (waits.size() > 1) {  // a select (or a join): keep every branch
                    std::vector<WaitRef> branches;
                    for (const auto& [res, op] : waits)
                        branches.push_back(WaitRef{res, op});
                    // No select open: several functions of a join waiting at once.
                    const bool join =
                        e.task >= m_open_selects.size() || m_open_selects[e.task] == 0;
                    if (!m_select_waits.empty() && m_select_waits.back() == branches &&
                        m_select_join.back() == join) {
                        // the same select again (a re-poll): share its entry
                        select = static_cast<std::uint32_t>(m_select_waits.size());
                    } else {
                        m_select_waits.push_back(std::move(branches));
                        m_select_join.push_back(join);
                        select = static_cast<std::uint32_t>(m_select_waits.size());
                    }
                }
                if (!waits.empty())
                    begin_span(
                        *ti, t, TaskState::waiting, waits.front().first, waits.front().second,
                        kNoWorker,
                        static_cast<std::uint8_t>(std::min<std::size_t>(waits.size() - 1, 255)),
                        select);
                else
                    begin_span(*ti, t, TaskState::idle);
            }
            break;
        }
        case EventKind::task_wake: {
            TaskInfo* ti = task_mut(e.task);
            if (!ti) break;
            m_pending_wake[e.task] = static_cast<std::int64_t>(m_wakes.size());
            const auto wake = e.as<payload::TaskWake>();
            m_wakes.push_back(
                WakeArrow{t, e.worker, wake.waker, e.task, wake.cause, -1, kNoWorker, wake.source});
            if (wake.cause == WakeCause::resource) lock_woken(t, e.task, wake.source, wake.waker);
            break;
        }
        case EventKind::task_end: {
            TaskInfo* ti = task_mut(e.task);
            if (!ti) break;
            ti->ended = t;
            ti->outcome = e.as<payload::TaskEnd>().outcome;
            ti->error = std::string(text);
            close_queue_span(e.task, t);
            begin_span(*ti, t, TaskState::done);
            ti->spans.back().end = t;
            if (ti->spans.back().start == t && ti->spans.size() > 1) ti->spans.pop_back();
            break;
        }
        case EventKind::resource_created: {
            const auto created = e.as<payload::ResourceCreated>();
            if (created.resource == 0) break;
            if (m_resources.size() < created.resource) m_resources.resize(created.resource);
            ResourceTrack& r = m_resources[created.resource - 1];
            r.id = created.resource;
            r.kind = created.type;
            r.name = std::string(text);
            r.capacity = created.capacity;
            r.created = t;
            r.creator = e.task;
            grow(m_waiting_senders, created.resource + 1u, 0u);
            if (r.is_channel()) set_length(r, t, r.kind == ResourceKind::watch ? 1 : 0);
            break;
        }
        case EventKind::chan_send: {
            const auto send = e.as<payload::ChanSend>();
            ResourceTrack* r = resource_mut(send.chan);
            if (!r) break;
            r->ticks.push_back(ChannelTick{t, true, send.message, e.task});
            set_length(*r, t, send.len);
            m_open_messages[send.message] = r->messages.size();
            r->messages.push_back(MessageSpan{send.message, t, -1, e.task, 0});
            break;
        }
        case EventKind::chan_recv: {
            const auto recv = e.as<payload::ChanRecv>();
            ResourceTrack* r = resource_mut(recv.chan);
            if (!r) break;
            r->ticks.push_back(ChannelTick{t, false, recv.message, e.task});
            set_length(*r, t, recv.len);
            auto it = m_open_messages.find(recv.message);
            if (it != m_open_messages.end() && it->second < r->messages.size()) {
                MessageSpan& m = r->messages[it->second];
                m.received = t;
                m.receiver = e.task;
                if (r->kind != ResourceKind::broadcast) m_open_messages.erase(it);
            }
            break;
        }
        case EventKind::chan_close: {
            const auto close = e.as<payload::ChanClose>();
            ResourceTrack* r = resource_mut(close.chan);
            if (r && r->is_channel() && !r->closed) {
                r->closed = t;
                r->close_reason = close.reason;
            }
            break;
        }
        case EventKind::chan_lag: {
            const auto lag = e.as<payload::ChanLag>();
            if (ResourceTrack* r = resource_mut(lag.chan))
                r->lags.push_back(LagMark{t, e.task, lag.skipped});
            break;
        }
        case EventKind::select_start:
            grow(m_open_selects, e.task + 1u, std::uint32_t{0});
            ++m_open_selects[e.task];
            break;
        case EventKind::select_winner:
            if (e.task < m_open_selects.size() && m_open_selects[e.task] > 0)
                --m_open_selects[e.task];
            break;
        case EventKind::wait_start: {
            if (e.task >= m_active_waits.size()) break;
            const auto wait = e.as<payload::WaitStart>();
            const ResourceId res = wait.resource;
            const WaitOp op = wait.op;
            m_active_waits[e.task].emplace_back(res, op);
            if (wait.holds_worker) begin_blocked(e, t, res, op);
            if (is_lock_wait(op))
                if (ResourceTrack* r = resource_mut(res)) r->waiters.wait_start(t, e.task, op);
            if (op == WaitOp::send && res < m_waiting_senders.size()) {
                if (m_waiting_senders[res]++ == 0)
                    if (ResourceTrack* r = resource_mut(res))
                        r->senders_blocked.push_back(Span{t, -1});
            }
            break;
        }
        case EventKind::wait_end: {
            if (e.task >= m_active_waits.size()) break;
            const auto wait = e.as<payload::WaitEnd>();
            const ResourceId res = wait.resource;
            auto& waits = m_active_waits[e.task];
            auto it = std::find(waits.begin(), waits.end(), std::make_pair(res, wait.op));
            if (it != waits.end()) waits.erase(it);
            // A select that ended without a winner (cancelled with its task) is over too.
            if (waits.empty() && e.task < m_open_selects.size()) m_open_selects[e.task] = 0;
            end_blocked(e.task, t);
            if (is_lock_wait(wait.op))
                if (ResourceTrack* r = resource_mut(res))
                    r->waiters.wait_end(t, e.task, wait.result == WaitResult::done);
            if (wait.op == WaitOp::send && res < m_waiting_senders.size() &&
                m_waiting_senders[res] > 0 && --m_waiting_senders[res] == 0)
                if (ResourceTrack* r = resource_mut(res))
                    if (!r->senders_blocked.empty()) r->senders_blocked.back().end = t;
            break;
        }
        case EventKind::lock_acquire: {
            const auto acquire = e.as<payload::LockAcquire>();
            if (ResourceTrack* r = resource_mut(acquire.lock)) {
                r->holds.push_back(HoldSpan{t, -1, e.task, acquire.mode, acquire.permits});
                r->waiters.wait_end(t, e.task, true);  // a hand-over ends the new owner's wait
            }
            break;
        }
        case EventKind::lock_release:
            if (ResourceTrack* r = resource_mut(e.as<payload::LockRelease>().lock))
                for (auto it = r->holds.rbegin(); it != r->holds.rend(); ++it)
                    if (it->task == e.task && it->end < 0) {
                        it->end = t;
                        break;
                    }
            break;
        case EventKind::log:
            m_logs.push_back(LogLine{t, e.task, std::string(text),
                                     e.as<payload::Log>().type == LogKind::check_failed});
            break;
        default:
            break;
    }
}

void RunModel::lock_woken(Time t, TaskId task, ResourceId source, TaskId waker) {
    ResourceTrack* r = resource_mut(source);
    if (!r || !is_lock_kind(r->kind)) return;
    const bool signal = r->kind == ResourceKind::notify || r->kind == ResourceKind::barrier;
    r->waiters.woken(t, task, waker, signal);
}

void RunModel::close_all(Time at) {
    for (WorkerTrack& w : m_workers) {
        for (Span& p : w.parked)
            if (p.end < 0) p.end = at;
        if (!w.blocked.empty() && w.blocked.back().end < 0) w.blocked.back().end = at;
        if (w.id < m_open_poll.size() && m_open_poll[w.id] >= 0) {
            w.polls[static_cast<std::size_t>(m_open_poll[w.id])].end = at;
            m_open_poll[w.id] = -1;
        }
    }
    for (TaskInfo& t : m_tasks) {
        if (!t.ended && !t.spans.empty()) t.spans.back().end = at;
        close_queue_span(t.id, at);
    }
    for (ResourceTrack& r : m_resources) {
        for (MessageSpan& m : r.messages)
            if (m.received < 0) m.received = at;
        for (Span& s : r.senders_blocked)
            if (s.end < 0) s.end = at;
        for (HoldSpan& h : r.holds)
            if (h.end < 0) h.end = at + 1;
        r.waiters.close(at);
    }
    for (QueueSpan& q : m_queue_spans)
        if (q.end < 0) q.end = at;
}

void RunModel::on_finish() {
    close_all(m_run.end);
    m_summary.on_finish();
    adopt_statistics();
    m_finished = true;
}

void RunModel::adopt_statistics() {
    for (TaskInfo& t : m_tasks) {
        const RunSummary::Task* s = m_summary.task(t.id);
        if (!s) continue;
        t.polls = static_cast<std::uint32_t>(s->polls);
        t.wakes = static_cast<std::uint32_t>(s->wakes);
        t.busy = s->busy_ns;
        t.scheduled_wait = s->scheduled_wait_ns;
        t.last_worker = s->last_worker;
    }
    for (ResourceTrack& r : m_resources) {
        const RunSummary::Channel* s = m_summary.channel(r.id);
        if (!s) continue;
        r.sent = s->sent;
        r.received = s->received;
        r.max_len = s->max_len;
        r.lagged = s->lagged;
        r.time_full = s->time_full_ns;
    }
}

std::size_t RunModel::memory_bytes() const {
    std::size_t bytes = sizeof(*this);
    for (const auto& w : m_workers)
        bytes += w.polls.capacity() * sizeof(PollSlice) + w.parked.capacity() * sizeof(Span) +
                 w.steals.capacity() * sizeof(StealMark);
    for (const auto& t : m_tasks)
        bytes += sizeof(TaskInfo) + t.name.capacity() + t.error.capacity() +
                 t.spans.capacity() * sizeof(TaskSpan);
    for (const auto& r : m_resources)
        bytes +=
            sizeof(ResourceTrack) + r.length.capacity() * sizeof(LenPoint) +
            r.ticks.capacity() * sizeof(ChannelTick) + r.messages.capacity() * sizeof(MessageSpan) +
            r.senders_blocked.capacity() * sizeof(Span) + r.holds.capacity() * sizeof(HoldSpan) +
            r.lags.capacity() * sizeof(LagMark) + r.waiters.memory_bytes();
    bytes += m_queue_spans.capacity() * sizeof(QueueSpan) + m_wakes.capacity() * sizeof(WakeArrow);
    for (const auto& l : m_logs)
        bytes += sizeof(LogLine) + l.text.capacity();
    bytes += m_open_messages.size() * 32;
    bytes += m_races.memory_bytes();
    return bytes;
}

}  // namespace spindle::view
