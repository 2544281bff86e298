// RunSummary (declared in run_summary.h): folding the event stream into statistics.
// Its renderings live in summary_json.cpp and text_table.cpp.
//
// State: only the RunSummary object itself.

#include "spindle/instrument/run_summary.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "spindle/instrument/event_payloads.h"
#include "spindle/instrument/terminal_text.h"

namespace spindle {

namespace {

bool is_channel_kind(ResourceKind k) {
    return k == ResourceKind::mpsc || k == ResourceKind::oneshot || k == ResourceKind::broadcast ||
           k == ResourceKind::watch || k == ResourceKind::crossbeam;
}

bool is_other_resource_kind(ResourceKind k) {
    return k == ResourceKind::mutex || k == ResourceKind::rwlock || k == ResourceKind::semaphore ||
           k == ResourceKind::notify || k == ResourceKind::barrier;
}

/// The order that sorts `v` by id, or an empty vector when it is already sorted.
template <class T>
std::vector<std::size_t> id_order(const std::vector<T>& v) {
    auto less = [&](std::size_t a, std::size_t b) { return v[a].id < v[b].id; };
    std::vector<std::size_t> order(v.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    if (std::is_sorted(order.begin(), order.end(), less)) return {};
    std::stable_sort(order.begin(), order.end(), less);
    return order;
}

template <class T>
void apply_order(std::vector<T>& v, const std::vector<std::size_t>& order) {
    std::vector<T> sorted;
    sorted.reserve(v.size());
    for (std::size_t i : order)
        sorted.push_back(std::move(v[i]));
    v = std::move(sorted);
}

}  // namespace

std::string RunSummary::describe_call(WaitOp op, std::uint32_t object) const {
    if (op == WaitOp::sleep) return "sleep";
    std::string out = std::string(to_string(op)) + " on ";
    if (op == WaitOp::join) {
        const Task* t = task(object);
        return out + (t ? "'" + one_line(t->name) + "'" : "task " + std::to_string(object));
    }
    if (const Channel* c = channel(object)) return out + "'" + one_line(c->name) + "'";
    if (const Resource* r = resource(object)) return out + "'" + one_line(r->name) + "'";
    return out + "resource " + std::to_string(object);
}

std::string_view to_string(RunSummary::Task::State state) {
    switch (state) {
        case RunSummary::Task::State::completed:
            return "completed";
        case RunSummary::Task::State::failed:
            return "failed";
        case RunSummary::Task::State::aborted:
            return "aborted";
        case RunSummary::Task::State::waiting:
            return "waiting";
    }
    return "?";
}

std::string_view RunSummary::remember_text(TextId id, std::string_view text) {
    if (id == 0) return {};
    // A replayed or filtered stream may repeat an id without its text: keep the first.
    auto [it, inserted] = m_texts.try_emplace(id, text);
    if (!inserted && it->second.empty() && !text.empty()) it->second = std::string(text);
    return it->second;
}

RunSummary::Task& RunSummary::task_entry(TaskId id, std::int64_t now) {
    auto [it, inserted] = m_task_index.try_emplace(id, m_tasks.size());
    if (inserted) {
        Task t;
        t.id = id;
        t.spawn_ns = now;
        m_tasks.push_back(std::move(t));
        m_task_tracks.emplace_back();
    }
    return m_tasks[it->second];
}

RunSummary::Worker& RunSummary::worker_entry(WorkerId id) {
    auto [it, inserted] = m_worker_index.try_emplace(id, m_workers.size());
    if (inserted) {
        Worker w;
        w.id = id;
        m_workers.push_back(w);
    }
    return m_workers[it->second];
}

RunSummary::Channel* RunSummary::channel_entry(ResourceId id) {
    auto it = m_resource_tracks.find(id);
    return it == m_resource_tracks.end() || !it->second.is_channel ? nullptr
                                                                   : &m_channels[it->second.index];
}

const RunSummary::Task* RunSummary::task(TaskId id) const {
    auto it = m_task_index.find(id);
    return it == m_task_index.end() ? nullptr : &m_tasks[it->second];
}

const RunSummary::Channel* RunSummary::channel(ResourceId id) const {
    auto it = m_resource_tracks.find(id);
    return it == m_resource_tracks.end() || !it->second.is_channel ? nullptr
                                                                   : &m_channels[it->second.index];
}

const RunSummary::Resource* RunSummary::resource(ResourceId id) const {
    auto it = m_resource_tracks.find(id);
    return it == m_resource_tracks.end() || it->second.is_channel ? nullptr
                                                                  : &m_resources[it->second.index];
}

const RunSummary::Worker* RunSummary::worker(WorkerId id) const {
    auto it = m_worker_index.find(id);
    return it == m_worker_index.end() ? nullptr : &m_workers[it->second];
}

void RunSummary::on_resource_created(const Event& e, std::string_view text) {
    const auto created = e.as<payload::ResourceCreated>();
    const ResourceKind kind = created.type;
    const bool chan = is_channel_kind(kind);
    if (!chan && !is_other_resource_kind(kind)) return;
    if (m_resource_tracks.count(created.resource)) return;  // ids are never reused
    ResourceTrack track;
    track.is_channel = chan;
    if (chan) {
        Channel c;
        c.id = created.resource;
        c.name = std::string(text);
        c.kind = kind;
        c.capacity = created.capacity;
        track.index = m_channels.size();
        m_channels.push_back(std::move(c));
    } else {
        Resource r;
        r.id = created.resource;
        r.name = std::string(text);
        r.kind = kind;
        r.capacity = created.capacity;
        track.index = m_resources.size();
        m_resources.push_back(std::move(r));
    }
    m_resource_tracks.emplace(created.resource, track);
}

void RunSummary::on_channel_len(ResourceId chan, std::int64_t now, std::uint32_t len) {
    auto it = m_resource_tracks.find(chan);
    if (it == m_resource_tracks.end() || !it->second.is_channel) return;
    ResourceTrack& t = it->second;
    Channel& c = m_channels[t.index];
    t.len = len;
    c.max_len = std::max(c.max_len, len);
    if (!c.tracks_full_time()) return;
    if (len >= c.capacity) {
        if (t.full_since < 0) t.full_since = now;
    } else if (t.full_since >= 0) {
        c.time_full_ns += now - t.full_since;
        t.full_since = -1;
    }
}

void RunSummary::on_event(const Event& e, std::string_view raw_text) {
    const std::string_view text = remember_text(e.text, raw_text);
    const std::int64_t t = e.time_ns;
    ++m_run.events;
    if (!m_finished) m_run.duration_ns = std::max(m_run.duration_ns, t);

    auto known_task = [&](TaskId id) -> std::pair<Task*, TaskTrack*> {
        auto it = m_task_index.find(id);
        if (id == 0 || it == m_task_index.end()) return {nullptr, nullptr};
        return {&m_tasks[it->second], &m_task_tracks[it->second]};
    };
    auto known_resource = [&](ResourceId id) -> ResourceTrack* {
        auto it = m_resource_tracks.find(id);
        return it == m_resource_tracks.end() ? nullptr : &it->second;
    };

    switch (e.kind) {
        case EventKind::run_start: {
            const auto start = e.as<payload::RunStart>();
            m_run.config = std::string(text);
            m_run.policy = start.policy;
            m_run.workers = static_cast<int>(start.workers);
            m_run.seed = start.seed;
            break;
        }
        case EventKind::run_end:
            if (!m_finished) {
                m_run.stop_reason = std::string(text);
                finish(e);
            }
            break;
        case EventKind::worker_start:
            if (e.worker != kNoWorker)
                worker_entry(e.worker).role = e.as<payload::WorkerStart>().role;
            break;
        case EventKind::worker_park:
            if (e.worker != kNoWorker) ++worker_entry(e.worker).parks;
            break;
        case EventKind::worker_steal:
            if (e.worker != kNoWorker) {
                Worker& w = worker_entry(e.worker);
                ++w.steals;
                w.stolen_tasks += e.as<payload::WorkerSteal>().taken;
            }
            break;
        case EventKind::task_spawn: {
            if (e.task == 0) break;
            const auto spawn = e.as<payload::TaskSpawn>();
            Task& task = task_entry(e.task, t);
            task.name = std::string(text);
            task.parent = spawn.parent;
            task.flavor = spawn.flavor;
            task.spawn_ns = t;
            TaskTrack& track = m_task_tracks[m_task_index[e.task]];
            if (track.queued_since < 0) track.queued_since = t;
            break;
        }
        case EventKind::task_scheduled: {
            auto [task, track] = known_task(e.task);
            // A blocking task may be scheduled twice (pool queue, then its lane): the
            // wait runs from the first.
            if (track && track->queued_since < 0 && track->poll_since < 0) track->queued_since = t;
            break;
        }
        case EventKind::poll_start: {
            auto [task, track] = known_task(e.task);
            if (task) {
                ++task->polls;
                // A migration: polled on another runtime worker than the previous poll.
                if (task->last_worker != kNoWorker && task->last_worker != e.worker)
                    ++task->migrations;
                task->last_worker = e.worker;
                if (track->queued_since >= 0) {
                    task->scheduled_wait_ns += t - track->queued_since;
                    track->queued_since = -1;
                }
                track->poll_since = t;
            }
            if (e.worker != kNoWorker) {
                ++worker_entry(e.worker).polls;
                m_worker_poll_since[e.worker] = t;
            }
            break;
        }
        case EventKind::poll_end: {
            auto [task, track] = known_task(e.task);
            if (task && track->poll_since >= 0) {
                task->busy_ns += t - track->poll_since;
                track->poll_since = -1;
            }
            if (auto it = m_worker_poll_since.find(e.worker); it != m_worker_poll_since.end()) {
                worker_entry(e.worker).busy_ns += t - it->second;
                m_worker_poll_since.erase(it);
            }
            break;
        }
        case EventKind::task_wake:
            if (auto [task, track] = known_task(e.task); task) ++task->wakes;
            break;
        case EventKind::task_end: {
            auto [task, track] = known_task(e.task);
            if (!task) break;
            switch (e.as<payload::TaskEnd>().outcome) {
                case TaskOutcome::completed:
                    task->state = Task::State::completed;
                    break;
                case TaskOutcome::aborted:
                    task->state = Task::State::aborted;
                    break;
                default:
                    task->state = Task::State::failed;
                    break;
            }
            task->end_ns = t;
            // The executor ends a poll before ending its task; close anything still open.
            if (track->poll_since >= 0) task->busy_ns += t - track->poll_since;
            if (track->queued_since >= 0) task->scheduled_wait_ns += t - track->queued_since;
            track->poll_since = track->queued_since = -1;
            if (task->state == Task::State::failed) {
                task->error = text.empty() ? "task " + std::to_string(task->id) + " failed"
                                           : std::string(text);
                // The run's error list holds "file:line: message"; tracebacks stay on the task.
                m_errors.push_back(task->error.substr(0, task->error.find('\n')));
            }
            break;
        }
        case EventKind::resource_created:
            on_resource_created(e, text);
            break;
        case EventKind::chan_send: {
            const auto send = e.as<payload::ChanSend>();
            if (Channel* c = channel_entry(send.chan)) {
                ++c->sent;
                on_channel_len(send.chan, t, send.len);
            }
            break;
        }
        case EventKind::chan_recv: {
            const auto recv = e.as<payload::ChanRecv>();
            if (Channel* c = channel_entry(recv.chan)) {
                ++c->received;
                on_channel_len(recv.chan, t, recv.len);
            }
            break;
        }
        case EventKind::chan_close:
            if (Channel* c = channel_entry(e.as<payload::ChanClose>().chan)) c->closed = true;
            break;
        case EventKind::chan_drop: {
            // The last receiver going away discards (or releases) what is buffered.
            const auto drop = e.as<payload::ChanDrop>();
            if (drop.role == EndpointRole::receiver && drop.live == 0 && channel_entry(drop.chan))
                on_channel_len(drop.chan, t, 0);
            break;
        }
        case EventKind::chan_lag: {
            const auto lag = e.as<payload::ChanLag>();
            if (Channel* c = channel_entry(lag.chan)) c->lagged += lag.skipped;
            break;
        }
        case EventKind::wait_start: {
            const auto wait = e.as<payload::WaitStart>();
            if (wait.holds_worker && e.task != 0 && e.worker != kNoWorker &&
                worker_entry(e.worker).role == WorkerRole::core) {
                Task& task = task_entry(e.task, t);
                TaskTrack& track = m_task_tracks[m_task_index[e.task]];
                if ((task.flavor == TaskFlavor::async || task.flavor == TaskFlavor::local) &&
                    track.held_since < 0) {
                    track.held_since = t;
                    if (track.first_call.empty()) {
                        track.held_worker = e.worker;
                        track.first_call = describe_call(wait.op, wait.resource);
                    }
                }
            }
            // For join and sleep the resource is a task / timer.
            if (wait.op == WaitOp::join || wait.op == WaitOp::sleep) break;
            if (ResourceTrack* r = known_resource(wait.resource)) {
                ++r->waiters;
                if (!r->is_channel) {
                    Resource& res = m_resources[r->index];
                    res.max_waiters = std::max(res.max_waiters, r->waiters);
                }
            }
            break;
        }
        case EventKind::wait_end: {
            const auto wait = e.as<payload::WaitEnd>();
            if (e.task != 0) {
                if (auto it = m_task_index.find(e.task); it != m_task_index.end()) {
                    TaskTrack& track = m_task_tracks[it->second];
                    if (track.held_since >= 0) {
                        m_tasks[it->second].held_worker_ns += t - track.held_since;
                        track.held_since = -1;
                    }
                }
            }
            if (wait.op == WaitOp::join || wait.op == WaitOp::sleep) break;
            if (ResourceTrack* r = known_resource(wait.resource); r && r->waiters > 0) --r->waiters;
            break;
        }
        case EventKind::log:
            if (e.as<payload::Log>().type == LogKind::check_failed && m_checks.size() < kMaxChecks)
                m_checks.emplace_back(text);
            break;
        case EventKind::lock_acquire:
            if (ResourceTrack* r = known_resource(e.as<payload::LockAcquire>().lock);
                r && !r->is_channel)
                ++m_resources[r->index].acquisitions;
            break;
        default:
            break;
    }
}

void RunSummary::finish(const Event& run_end) {
    const std::int64_t end = run_end.time_ns;
    m_finished = true;
    const auto ended = run_end.as<payload::RunEnd>();
    m_run.outcome = ended.outcome;
    m_run.duration_ns = end;
    m_run.alive_at_end = ended.alive;

    // Close what is still open at the end of the run.
    for (std::size_t i = 0; i < m_tasks.size(); ++i) {
        Task& task = m_tasks[i];
        TaskTrack& track = m_task_tracks[i];
        if (track.poll_since >= 0) task.busy_ns += end - track.poll_since;
        if (track.queued_since >= 0) task.scheduled_wait_ns += end - track.queued_since;
        if (track.held_since >= 0) task.held_worker_ns += end - track.held_since;
        track.poll_since = track.queued_since = track.held_since = -1;
        const std::int64_t lifetime = (task.end_ns >= 0 ? task.end_ns : end) - task.spawn_ns;
        task.idle_ns = std::max<std::int64_t>(0, lifetime - task.busy_ns - task.scheduled_wait_ns);
    }
    for (auto& [id, since] : m_worker_poll_since)
        worker_entry(id).busy_ns += end - since;
    m_worker_poll_since.clear();
    for (auto& [id, track] : m_resource_tracks) {
        if (!track.is_channel || track.full_since < 0) continue;
        m_channels[track.index].time_full_ns += end - track.full_since;
        track.full_since = -1;
    }

    // Hints: async tasks that held a core worker in blocking calls, longest first.
    std::vector<std::size_t> held;
    for (std::size_t i = 0; i < m_tasks.size(); ++i)
        if (m_tasks[i].held_worker_ns > 0) held.push_back(i);
    std::stable_sort(held.begin(), held.end(), [&](std::size_t a, std::size_t b) {
        return m_tasks[a].held_worker_ns > m_tasks[b].held_worker_ns;
    });
    for (const std::size_t i : held) {
        const Task& task = m_tasks[i];
        const TaskTrack& track = m_task_tracks[i];
        char ms[32];
        std::snprintf(ms, sizeof ms, "%.3f", static_cast<double>(task.held_worker_ns) / 1e6);
        m_hints.push_back("async task '" + one_line(task.name) + "' held worker " +
                          std::to_string(track.held_worker) + " for " + ms +
                          " ms in blocking calls (first: " + track.first_call +
                          "): nothing else could run on that worker meanwhile — move the call "
                          "into spawn_blocking or a thread, or use the async API");
    }

    // Id order (the executor already produces it; a hand-made stream might not).
    if (auto order = id_order(m_tasks); !order.empty()) {
        apply_order(m_tasks, order);
        apply_order(m_task_tracks, order);
        for (std::size_t i = 0; i < m_tasks.size(); ++i)
            m_task_index[m_tasks[i].id] = i;
    }
    if (auto order = id_order(m_workers); !order.empty()) {
        apply_order(m_workers, order);
        for (std::size_t i = 0; i < m_workers.size(); ++i)
            m_worker_index[m_workers[i].id] = i;
    }
    if (auto order = id_order(m_channels); !order.empty()) {
        apply_order(m_channels, order);
        for (std::size_t i = 0; i < m_channels.size(); ++i)
            m_resource_tracks[m_channels[i].id].index = i;
    }
    if (auto order = id_order(m_resources); !order.empty()) {
        apply_order(m_resources, order);
        for (std::size_t i = 0; i < m_resources.size(); ++i)
            m_resource_tracks[m_resources[i].id].index = i;
    }
}

}  // namespace spindle
