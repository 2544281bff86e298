// RunSummary (declared in run_summary.h): folding the event stream into statistics,
// and its two renderings, JSON (nlohmann, kept inside this file) and text tables.
//
// State: only the RunSummary object itself; the renderers are pure functions of it.
//
// JSON key contract (other tools check these names and types exactly):
//   scenario (string), seed, worker_count, events (numbers), policy ("work-stealing" ...),
//   outcome ("completed" | "failed" | "deadlock" | "budget_exceeded"), duration_ms;
//   tasks[]: id, name, state (completed|failed|aborted|waiting), polls, busy_ms, idle_ms,
//            scheduled_wait_ms, wakes, error (only when failed);
//   channels[]: id, name, kind (mpsc|oneshot|broadcast|watch), capacity (null when
//            unbounded), sent, received, max_len, lagged;
//   workers[]: id, role, polls, busy_ms, steals, parks (blocking lanes included; the
//            brief also asked for a top-level number `workers`, which cannot coexist with
//            this array: the core worker count is `worker_count`);
//   deadlock: null | {tasks: [{id, name, waits: [{op, resource, resource_kind,
//            resource_name, holders, live_senders (omitted when -1)}]}], cycle, report};
//   errors: [string].
// Extra keys (config, parent, flavor, time_full_ms, resources[] ...) may be added freely.

#include "spindle/instrument/run_summary.h"

#include <algorithm>
#include <numeric>

#include <nlohmann/json.hpp>

#include "spindle/core/deadlock.h"
#include "spindle/instrument/event_payloads.h"

namespace spindle {

namespace {

using Json = nlohmann::ordered_json;  // insertion order: stable, readable output

bool is_channel_kind(ResourceKind k) {
    return k == ResourceKind::mpsc || k == ResourceKind::oneshot || k == ResourceKind::broadcast ||
           k == ResourceKind::watch;
}

bool is_other_resource_kind(ResourceKind k) {
    return k == ResourceKind::mutex || k == ResourceKind::rwlock || k == ResourceKind::semaphore ||
           k == ResourceKind::notify || k == ResourceKind::barrier;
}

/// Channels whose "full" time means something (watch always holds its one value).
bool tracks_full_time(const RunSummary::Channel& c) {
    return c.bounded() && c.kind != ResourceKind::watch;
}

std::string_view role_name(WorkerRole r) {
    return r == WorkerRole::blocking ? "blocking" : "core";
}

std::string_view flavor_name(TaskFlavor f) {
    return f == TaskFlavor::blocking ? "blocking" : "async";
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

double to_ms(std::int64_t ns) {
    return static_cast<double>(ns) / 1e6;
}

/// `ns` as milliseconds rounded (half away from zero) to three decimals: "12.346".
std::string ms3(std::int64_t ns) {
    const bool negative = ns < 0;
    const std::uint64_t mag =
        negative ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
    const std::uint64_t us = mag / 1000 + (mag % 1000 >= 500 ? 1 : 0);
    std::string frac = std::to_string(us % 1000);
    frac.insert(0, 3 - frac.size(), '0');
    return (negative && us != 0 ? "-" : "") + std::to_string(us / 1000) + "." + frac;
}

/// part / whole as a percentage with one decimal ("37.5"), "-" when whole <= 0.
std::string percent1(std::int64_t part, std::int64_t whole) {
    if (whole <= 0 || part < 0) return "-";
    using U = unsigned __int128;  // part * 1000 may not fit 64 bits
    const U per_mille =
        (U(std::uint64_t(part)) * 1000 + U(std::uint64_t(whole)) / 2) / U(std::uint64_t(whole));
    const auto v = static_cast<std::uint64_t>(per_mille);
    return std::to_string(v / 10) + "." + std::to_string(v % 10);
}

/// Number of UTF-8 code points (bytes that do not continue a sequence).
std::size_t display_width(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

/// `s` made safe for one table cell: control bytes become '?', and text longer than
/// `max` code points is cut at a code point boundary and ends in "...".
std::string cell_text(std::string_view s, std::size_t max) {
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s)
        out += (c < 0x20 || c == 0x7F) ? '?' : static_cast<char>(c);
    if (display_width(out) <= max) return out;
    const std::size_t keep = max > 3 ? max - 3 : 0;
    std::size_t points = 0, cut = 0;
    for (; cut < out.size(); ++cut) {
        if ((static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) continue;
        if (points == keep) break;
        ++points;
    }
    out.resize(cut);
    return out + std::string(std::min<std::size_t>(3, max), '.');
}

/// A fixed-width table: left-aligned text columns, right-aligned numbers.
class Table {
public:
    struct Column {
        std::string header;
        bool right = false;
    };
    explicit Table(std::vector<Column> columns) : m_columns(std::move(columns)) {}
    void add(std::vector<std::string> row) { m_rows.push_back(std::move(row)); }

    /// The table, each line indented by two spaces; "(none)" when it has no rows.
    std::string render() const {
        if (m_rows.empty()) return "  (none)\n";
        std::vector<std::size_t> width(m_columns.size());
        for (std::size_t c = 0; c < m_columns.size(); ++c) {
            width[c] = display_width(m_columns[c].header);
            for (const auto& row : m_rows)
                width[c] = std::max(width[c], display_width(row[c]));
        }
        std::string out;
        auto line = [&](auto&& cell_of) {
            std::string l;
            for (std::size_t c = 0; c < m_columns.size(); ++c) {
                const std::string& s = cell_of(c);
                const std::string pad(width[c] - display_width(s), ' ');
                l += "  ";
                l += m_columns[c].right ? pad + s : s + pad;
            }
            while (!l.empty() && l.back() == ' ')
                l.pop_back();
            out += l + "\n";
        };
        line([&](std::size_t c) -> const std::string& { return m_columns[c].header; });
        for (const auto& row : m_rows)
            line([&](std::size_t c) -> const std::string& { return row[c]; });
        return out;
    }

private:
    std::vector<Column> m_columns;
    std::vector<std::vector<std::string>> m_rows;
};

constexpr std::size_t kNameWidth = 24;

}  // namespace

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

// ---- folding ---------------------------------------------------------------------------

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
    if (!tracks_full_time(c)) return;
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
            if (!m_finished) finish(e);
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
            if (wait.op == WaitOp::join || wait.op == WaitOp::sleep) break;
            if (ResourceTrack* r = known_resource(wait.resource); r && r->waiters > 0) --r->waiters;
            break;
        }
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
        track.poll_since = track.queued_since = -1;
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

// ---- JSON ------------------------------------------------------------------------------

std::string to_json(const RunSummary& summary, const DeadlockReport* deadlock,
                    std::string_view scenario, int indent) {
    const RunSummary::Run& run = summary.run();
    Json j = Json::object();
    j["scenario"] = std::string(scenario);
    j["config"] = run.config;
    j["seed"] = run.seed;
    // The brief names `workers` both as the worker count and as the per-worker array; one
    // key cannot be both. The array wins (it is what the contract describes in detail);
    // the count is `worker_count` (core workers, as in run_start).
    j["worker_count"] = run.workers;
    j["policy"] = std::string(to_string(run.policy));
    j["outcome"] = std::string(to_string(run.outcome));
    j["duration_ms"] = to_ms(run.duration_ns);
    j["events"] = run.events;
    j["alive_at_end"] = run.alive_at_end;

    Json tasks = Json::array();
    for (const auto& t : summary.tasks()) {
        Json o;
        o["id"] = t.id;
        o["name"] = t.name;
        o["state"] = std::string(to_string(t.state));
        o["parent"] = t.parent;
        o["flavor"] = std::string(flavor_name(t.flavor));
        o["polls"] = t.polls;
        o["busy_ms"] = to_ms(t.busy_ns);
        o["idle_ms"] = to_ms(t.idle_ns);
        o["scheduled_wait_ms"] = to_ms(t.scheduled_wait_ns);
        o["wakes"] = t.wakes;
        o["worker"] = t.last_worker == kNoWorker ? Json(nullptr) : Json(t.last_worker);
        o["spawn_ms"] = to_ms(t.spawn_ns);
        o["end_ms"] = t.end_ns < 0 ? Json(nullptr) : Json(to_ms(t.end_ns));
        if (t.state == RunSummary::Task::State::failed) o["error"] = t.error;
        tasks.push_back(std::move(o));
    }
    j["tasks"] = std::move(tasks);

    Json channels = Json::array();
    for (const auto& c : summary.channels()) {
        Json o;
        o["id"] = c.id;
        o["name"] = c.name;
        o["kind"] = std::string(to_string(c.kind));
        o["capacity"] = c.bounded() ? Json(c.capacity) : Json(nullptr);
        o["sent"] = c.sent;
        o["received"] = c.received;
        o["max_len"] = c.max_len;
        o["lagged"] = c.lagged;
        o["time_full_ms"] = to_ms(c.time_full_ns);
        o["closed"] = c.closed;
        channels.push_back(std::move(o));
    }
    j["channels"] = std::move(channels);

    Json resources = Json::array();
    for (const auto& r : summary.resources()) {
        Json o;
        o["id"] = r.id;
        o["name"] = r.name;
        o["kind"] = std::string(to_string(r.kind));
        o["capacity"] = r.capacity == kUnbounded ? Json(nullptr) : Json(r.capacity);
        o["acquisitions"] = r.acquisitions;
        o["max_waiters"] = r.max_waiters;
        resources.push_back(std::move(o));
    }
    j["resources"] = std::move(resources);

    Json workers = Json::array();
    for (const auto& w : summary.workers()) {
        Json o;
        o["id"] = w.id;
        o["role"] = std::string(role_name(w.role));
        o["polls"] = w.polls;
        o["busy_ms"] = to_ms(w.busy_ns);
        o["steals"] = w.steals;
        o["stolen_tasks"] = w.stolen_tasks;
        o["parks"] = w.parks;
        workers.push_back(std::move(o));
    }
    j["workers"] = std::move(workers);

    if (deadlock) {
        Json d;
        Json dtasks = Json::array();
        for (const WaitingTask& t : deadlock->tasks) {
            Json o;
            o["id"] = t.task;
            o["name"] = t.name;
            Json waits = Json::array();
            for (const WaitInfo& w : t.waits) {
                Json wo;
                wo["op"] = std::string(to_string(w.op));
                wo["resource"] = w.resource;
                wo["resource_kind"] = std::string(to_string(w.kind));
                wo["resource_name"] = w.name;
                wo["holders"] = w.holders;
                if (w.live_senders != -1) wo["live_senders"] = w.live_senders;
                waits.push_back(std::move(wo));
            }
            o["waits"] = std::move(waits);
            dtasks.push_back(std::move(o));
        }
        d["tasks"] = std::move(dtasks);
        d["cycle"] = deadlock->cycle;
        d["report"] = deadlock->to_text();
        j["deadlock"] = std::move(d);
    } else {
        j["deadlock"] = nullptr;
    }
    j["errors"] = summary.errors();

    // Names and messages come from user code: replace invalid UTF-8 rather than throw.
    return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

// ---- text tables -----------------------------------------------------------------------

std::string to_text_tables(const RunSummary& summary) {
    const RunSummary::Run& run = summary.run();
    std::string out = "run: " + std::string(to_string(run.outcome)) + "  duration " +
                      ms3(run.duration_ns) + " ms  events " + std::to_string(run.events) +
                      "  policy " + std::string(to_string(run.policy)) + "  workers " +
                      std::to_string(run.workers) + "  seed " + std::to_string(run.seed);
    if (run.alive_at_end) out += "  alive at end " + std::to_string(run.alive_at_end);
    if (!summary.finished()) out += "  (unfinished)";
    out += "\n";

    Table tasks({{"id", true},
                 {"name", false},
                 {"state", false},
                 {"polls", true},
                 {"busy ms", true},
                 {"idle ms", true},
                 {"sched-wait ms", true}});
    for (const auto& t : summary.tasks())
        tasks.add({std::to_string(t.id), cell_text(t.name, kNameWidth),
                   std::string(to_string(t.state)), std::to_string(t.polls), ms3(t.busy_ns),
                   ms3(t.idle_ns), ms3(t.scheduled_wait_ns)});
    out += "\nTasks\n" + tasks.render();

    Table channels({{"id", true},
                    {"name", false},
                    {"kind", false},
                    {"cap", true},
                    {"sent", true},
                    {"recv", true},
                    {"max len", true},
                    {"lagged", true},
                    {"full ms", true}});
    for (const auto& c : summary.channels())
        channels.add({std::to_string(c.id), cell_text(c.name, kNameWidth),
                      std::string(to_string(c.kind)),
                      c.bounded() ? std::to_string(c.capacity) : "unbounded",
                      std::to_string(c.sent), std::to_string(c.received), std::to_string(c.max_len),
                      std::to_string(c.lagged), tracks_full_time(c) ? ms3(c.time_full_ns) : "-"});
    out += "\nChannels\n" + channels.render();

    if (!summary.resources().empty()) {
        Table resources({{"id", true},
                         {"name", false},
                         {"kind", false},
                         {"acquisitions", true},
                         {"max waiters", true}});
        for (const auto& r : summary.resources())
            resources.add({std::to_string(r.id), cell_text(r.name, kNameWidth),
                           std::string(to_string(r.kind)), std::to_string(r.acquisitions),
                           std::to_string(r.max_waiters)});
        out += "\nResources\n" + resources.render();
    }

    Table workers({{"id", true},
                   {"role", false},
                   {"polls", true},
                   {"busy ms", true},
                   {"busy %", true},
                   {"steals", true},
                   {"parks", true}});
    for (const auto& w : summary.workers())
        workers.add({std::to_string(w.id), std::string(role_name(w.role)), std::to_string(w.polls),
                     ms3(w.busy_ns), percent1(w.busy_ns, run.duration_ns), std::to_string(w.steals),
                     std::to_string(w.parks)});
    out += "\nWorkers\n" + workers.render();

    if (!summary.errors().empty()) {
        out += "\nErrors\n";
        for (const std::string& e : summary.errors())
            out += "  " + e + "\n";
    }
    return out;
}

}  // namespace spindle
