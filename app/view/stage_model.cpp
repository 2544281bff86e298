#include "stage_model.h"

#include <algorithm>
#include <limits>

#include "thread_life.h"

namespace spindle::view {

namespace {

constexpr Time kForever = std::numeric_limits<Time>::max();
/// Departures looked at per chip and direction; rows that busy move every frame anyway.
constexpr int kMaxScan = 64;

constexpr std::uint64_t row_key(StageArea area, std::uint32_t owner) {
    return (std::uint64_t{static_cast<std::uint8_t>(area)} << 32) | owner;
}

/// Counts inserted positions below an index (for ranks among equal-time leavers).
class Fenwick {
public:
    explicit Fenwick(std::size_t n) : m_tree(n + 1, 0) {}
    void add(std::size_t i) {
        for (++i; i < m_tree.size(); i += i & (~i + 1))
            ++m_tree[i];
    }
    /// How many inserted positions are < i.
    std::uint32_t below(std::size_t i) const {
        std::uint32_t n = 0;
        for (; i > 0; i -= i & (~i + 1))
            n += m_tree[i];
        return n;
    }

private:
    std::vector<std::uint32_t> m_tree;
};

double fraction(Time done, Time of) {
    if (of <= 0) return 1.0;
    return std::clamp(static_cast<double>(done) / static_cast<double>(of), 0.0, 1.0);
}

}  // namespace

bool is_stage_channel(ResourceKind kind) {
    return kind == ResourceKind::mpsc || kind == ResourceKind::oneshot ||
           kind == ResourceKind::broadcast || kind == ResourceKind::watch ||
           kind == ResourceKind::crossbeam;
}

bool is_stage_sync(ResourceKind kind) {
    return kind == ResourceKind::mutex || kind == ResourceKind::rwlock ||
           kind == ResourceKind::semaphore || kind == ResourceKind::notify ||
           kind == ResourceKind::barrier;
}

// ---- StageSnapshot ------------------------------------------------------------

const TaskChip* StageSnapshot::chip(TaskId task) const {
    auto it = std::lower_bound(tasks.begin(), tasks.end(), task,
                               [](const TaskChip& c, TaskId id) { return c.task < id; });
    return it != tasks.end() && it->task == task ? &*it : nullptr;
}

const MessageChip* StageSnapshot::message(std::uint64_t msg) const {
    auto it = std::lower_bound(messages.begin(), messages.end(), msg,
                               [](const MessageChip& c, std::uint64_t id) { return c.msg < id; });
    return it != messages.end() && it->msg == msg ? &*it : nullptr;
}

const StageChannel* StageSnapshot::channel(ResourceId id) const {
    auto it = std::lower_bound(channels.begin(), channels.end(), id,
                               [](const StageChannel& c, ResourceId r) { return c.id < r; });
    return it != channels.end() && it->id == id ? &*it : nullptr;
}

const StageResource* StageSnapshot::resource(ResourceId id) const {
    auto it = std::lower_bound(resources.begin(), resources.end(), id,
                               [](const StageResource& c, ResourceId r) { return c.id < r; });
    return it != resources.end() && it->id == id ? &*it : nullptr;
}

const std::vector<TaskId>& StageSnapshot::injector(ResourceId pool) const {
    static const std::vector<TaskId> none;
    for (const auto& [id, jobs] : injectors)
        if (id == pool) return jobs;
    return none;
}

// ---- Building the index ---------------------------------------------------------

std::uint32_t StageIndex::group_id(StageArea area, std::uint32_t owner) {
    auto [it, added] =
        m_group_ids.try_emplace(row_key(area, owner), static_cast<std::uint32_t>(m_groups.size()));
    if (added) {
        m_groups.push_back(Group{area, owner, {}, {}});
        m_used_areas |= 1u << static_cast<unsigned>(area);
    }
    return it->second;
}

StageIndex::StageIndex(const RunModel& model) : m_model(model) {
    const auto& resources = model.resources();
    m_buffer_group.assign(resources.size() + 1, kNone);
    m_channel_pos.assign(resources.size() + 1, -1);
    m_resource_pos.assign(resources.size() + 1, -1);
    for (const ResourceTrack& r : resources) {
        if (r.id == 0) continue;  // a gap in the ids (never created)
        if (is_stage_channel(r.kind))
            m_channel_pos[r.id] = static_cast<std::int32_t>(m_channels++);
        else if (is_stage_sync(r.kind))
            m_resource_pos[r.id] = static_cast<std::int32_t>(m_sync_resources++);
    }

    // Queue spans per task, in event order.
    const auto& tasks = model.tasks();
    std::vector<std::vector<std::uint32_t>> queue_spans(tasks.size() + 1);
    const auto& qs = model.queue_spans();
    for (std::size_t i = 0; i < qs.size(); ++i)
        if (qs[i].task >= 1 && qs[i].task <= tasks.size())
            queue_spans[qs[i].task].push_back(static_cast<std::uint32_t>(i));

    m_last_stint.assign(tasks.size() + 1, kNone);
    for (const TaskInfo& t : tasks)
        if (t.id != 0) add_task_stints(t, queue_spans[t.id]);
    for (const ResourceTrack& r : resources)
        if (r.id != 0 && is_stage_channel(r.kind)) add_message_stints(r);
    finish_groups();

    // Finished tasks, oldest first.
    for (const TaskInfo& t : tasks)
        if (t.id != 0 && t.ended) m_finished.push_back(Finish{*t.ended, t.id});
    std::sort(m_finished.begin(), m_finished.end(), [](const Finish& a, const Finish& b) {
        return a.time != b.time ? a.time < b.time : a.task < b.task;
    });
    if (!m_finished.empty()) m_used_areas |= 1u << static_cast<unsigned>(StageArea::done);

    // Blocking threads: who holds each, from its assignment to the task's end.
    m_pins.resize(model.workers().size());
    for (const QueueSpan& q : qs) {
        if (q.place != QueuePlace::blocking || q.queue == kNoWorker || q.queue >= m_pins.size())
            continue;
        auto& pins = m_pins[q.queue];
        if (!pins.empty() && pins.back().task == q.task) continue;
        const TaskInfo* t = model.task(q.task);
        const Time end = t && t->ended ? *t->ended : kForever;
        pins.push_back(Pin{q.start, end, q.task});
    }

    // Chips move over 0.3 of a mean poll.
    Time busy = 0;
    std::size_t polls = 0;
    for (const WorkerTrack& w : model.workers()) {
        for (const PollSlice& p : w.polls)
            busy += std::max<Time>(p.end - p.start, 0);
        polls += w.polls.size();
    }
    if (polls > 0)
        m_default_animation = std::max<Time>(1, busy * 3 / 10 / static_cast<Time>(polls));
}

void StageIndex::add_task_stints(const TaskInfo& task,
                                 const std::vector<std::uint32_t>& queue_spans) {
    struct Piece {
        Time start;
        Time end;
        StageArea area;
        std::uint32_t owner;
        std::uint64_t order;
    };
    std::vector<Piece> pieces;
    const Time run_end = m_model.end_time();
    auto close = [run_end](Time end) { return end < 0 ? run_end : end; };
    const bool blocking = task.flavor == TaskFlavor::blocking;
    // Waiting and idle pieces sort after queue pieces starting at the same time.
    const std::uint64_t own_order = (std::uint64_t{1} << 40) + task.id;

    auto queued_place = [blocking](WorkerId w) -> std::pair<StageArea, std::uint32_t> {
        if (blocking)
            return w == kNoWorker ? std::pair{StageArea::blocking_queue, 0u}
                                  : std::pair{StageArea::lane, std::uint32_t{w}};
        return w == kGlobalQueue ? std::pair{StageArea::global, 0u}
                                 : std::pair{StageArea::local, std::uint32_t{w}};
    };
    auto queue_place = [&](const QueueSpan& q) -> std::pair<StageArea, std::uint32_t> {
        switch (q.place) {
            case QueuePlace::lifo:
                return {StageArea::lifo, q.queue};
            case QueuePlace::local:
            case QueuePlace::stolen:
                return {StageArea::local, q.queue};
            case QueuePlace::global:
                return {StageArea::global, 0u};
            case QueuePlace::injector:
                return {StageArea::injector, task.pool};
            case QueuePlace::blocking:
                return q.queue == kNoWorker ? std::pair{StageArea::blocking_queue, 0u}
                                            : std::pair{StageArea::lane, std::uint32_t{q.queue}};
        }
        return queued_place(q.queue);
    };
    auto wait_place = [&](const TaskSpan& s) -> std::pair<StageArea, std::uint32_t> {
        if (s.op == WaitOp::sleep) return {StageArea::sleeping, 0u};
        if (s.op == WaitOp::join) return {StageArea::joining, 0u};
        const ResourceTrack* r = m_model.resource(s.resource);
        if (!r || r->id == 0) return {StageArea::idle, 0u};
        if (is_stage_channel(r->kind))
            return {s.op == WaitOp::send ? StageArea::senders : StageArea::receivers, r->id};
        if (is_stage_sync(r->kind)) return {StageArea::waiters, r->id};
        return {StageArea::idle, 0u};
    };

    const auto& qs = m_model.queue_spans();
    std::size_t qi = 0;
    for (const TaskSpan& s : task.spans) {
        const Time end = close(s.end);
        switch (s.state) {
            case TaskState::done:
                break;
            case TaskState::running:
            case TaskState::blocked:  // on its worker, which it keeps
                pieces.push_back(Piece{s.start, end, StageArea::running, s.worker, own_order});
                break;
            case TaskState::waiting: {
                const auto [area, owner] = wait_place(s);
                pieces.push_back(Piece{s.start, end, area, owner, own_order});
                break;
            }
            case TaskState::idle:
                pieces.push_back(Piece{s.start, end, StageArea::idle, 0, own_order});
                break;
            case TaskState::queued: {
                // The queue spans say which queue held the task when (it can move:
                // overflow to the global queue, stolen); the span fills any gap.
                Time at = s.start;
                const auto [fallback_area, fallback_owner] = queued_place(s.worker);
                while (qi < queue_spans.size() && close(qs[queue_spans[qi]].end) <= s.start)
                    ++qi;
                for (std::size_t j = qi; j < queue_spans.size(); ++j) {
                    const QueueSpan& q = qs[queue_spans[j]];
                    if (q.start >= end) break;
                    const Time a = std::max(q.start, s.start), b = std::min(close(q.end), end);
                    if (b <= a) continue;
                    if (a > at)
                        pieces.push_back(Piece{at, a, fallback_area, fallback_owner, own_order});
                    const auto [area, owner] = queue_place(q);
                    pieces.push_back(Piece{a, b, area, owner, queue_spans[j]});
                    at = b;
                }
                if (at < end)
                    pieces.push_back(Piece{at, end, fallback_area, fallback_owner, own_order});
                break;
            }
        }
    }

    // Where a task was when the run ended (deadlocked, cut short) it stays for good,
    // even when it got there at the very last instant.
    if (!task.ended && !pieces.empty()) pieces.back().end = kForever;
    std::uint32_t prev = kNone;
    for (const Piece& p : pieces) {
        if (p.end <= p.start) continue;  // an instant: nothing to see
        if (prev != kNone) {
            Stint& last = m_stints[prev];
            const Group& g = m_groups[last.group];
            if (g.area == p.area && g.owner == p.owner && last.end == p.start) {
                last.end = p.end;
                continue;
            }
        }
        Stint s;
        s.start = p.start;
        s.end = p.end;
        s.group = group_id(p.area, p.owner);
        s.prev = prev;
        s.subject = task.id;
        s.order = p.order;
        prev = static_cast<std::uint32_t>(m_stints.size());
        m_stints.push_back(s);
    }
    if (prev != kNone) {
        m_stints[prev].open_end = !task.ended;
        m_last_stint[task.id] = prev;
    }
}

void StageIndex::add_message_stints(const ResourceTrack& channel) {
    const Time run_end = m_model.end_time();
    const std::uint32_t group = group_id(StageArea::buffer, channel.id);
    m_buffer_group[channel.id] = group;
    const auto& msgs = channel.messages;
    for (std::size_t i = 0; i < msgs.size(); ++i) {
        const MessageSpan& m = msgs[i];
        Stint s;
        s.start = m.sent;
        s.end = m.received < 0 ? run_end : m.received;
        s.open_end = m.receiver == 0;
        if (s.open_end && s.end == run_end) s.end = kForever;  // never read: stays buffered
        if (channel.kind == ResourceKind::watch) {
            // A watch holds one value, read or not, until the next send replaces it.
            s.end = i + 1 < msgs.size() ? msgs[i + 1].sent : kForever;
            s.open_end = true;  // replaced values vanish; they do not leave for a receiver
        }
        if (s.end <= s.start) continue;
        s.group = group;
        s.subject = static_cast<std::uint32_t>(i);
        s.message = true;
        s.order = i;
        m_stints.push_back(s);
    }
}

void StageIndex::finish_groups() {
    // Sort stints by (start, order) and renumber the links.
    const std::size_t n = m_stints.size();
    std::vector<std::uint32_t> perm(n);
    for (std::size_t i = 0; i < n; ++i)
        perm[i] = static_cast<std::uint32_t>(i);
    std::sort(perm.begin(), perm.end(), [this](std::uint32_t a, std::uint32_t b) {
        const Stint& x = m_stints[a];
        const Stint& y = m_stints[b];
        if (x.start != y.start) return x.start < y.start;
        if (x.order != y.order) return x.order < y.order;
        return a < b;
    });
    std::vector<std::uint32_t> pos(n);
    for (std::size_t i = 0; i < n; ++i)
        pos[perm[i]] = static_cast<std::uint32_t>(i);
    std::vector<Stint> sorted(n);
    for (std::size_t i = 0; i < n; ++i) {
        sorted[i] = m_stints[perm[i]];
        if (sorted[i].prev != kNone) sorted[i].prev = pos[sorted[i].prev];
    }
    m_stints = std::move(sorted);
    for (auto& last : m_last_stint)
        if (last != kNone) last = pos[last];

    // Rows: members in arrival order, departures, and each member's exit position
    // (how many that arrived before it were still there when it left).
    for (std::size_t i = 0; i < n; ++i) {
        Group& g = m_groups[m_stints[i].group];
        m_stints[i].key = static_cast<std::uint32_t>(g.members.size());
        g.members.push_back(static_cast<std::uint32_t>(i));
    }
    for (Group& g : m_groups) {
        std::vector<std::uint32_t> by_end = g.members;
        std::sort(by_end.begin(), by_end.end(), [this](std::uint32_t a, std::uint32_t b) {
            return m_stints[a].end > m_stints[b].end;
        });
        Fenwick present(g.members.size());
        for (std::size_t i = 0; i < by_end.size();) {
            std::size_t j = i;
            const Time end = m_stints[by_end[i]].end;
            for (; j < by_end.size() && m_stints[by_end[j]].end == end; ++j)
                present.add(m_stints[by_end[j]].key);
            for (; i < j; ++i) {
                Stint& s = m_stints[by_end[i]];
                s.exit_index = present.below(s.key);
            }
        }
        // Peak occupancy: members arrive in key order; count those still there.
        {
            std::size_t gone = 0;
            for (std::size_t k = 0; k < g.members.size(); ++k) {
                // by_end is by end descending: walk it from the back (earliest end first).
                const Time arrival = m_stints[g.members[k]].start;
                while (gone < by_end.size() &&
                       m_stints[by_end[by_end.size() - 1 - gone]].end <= arrival)
                    ++gone;
                g.peak = std::max(g.peak, static_cast<std::uint32_t>(k + 1 - gone));
            }
        }
        g.departures.reserve(g.members.size());
        for (std::uint32_t id : g.members)
            g.departures.push_back(Departure{m_stints[id].end, m_stints[id].key, id});
        std::sort(g.departures.begin(), g.departures.end(),
                  [](const Departure& a, const Departure& b) {
                      return a.time != b.time ? a.time < b.time : a.key < b.key;
                  });
    }

    std::vector<Time> starts(n), ends(n);
    for (std::size_t i = 0; i < n; ++i) {
        starts[i] = m_stints[i].start;
        ends[i] = m_stints[i].end;
    }
    m_covering = IntervalIndex<Time>(std::move(starts), ends);
}

// ---- Queries ----------------------------------------------------------------------

std::uint32_t StageIndex::peak(StageArea area, std::uint32_t owner) const {
    if (area == StageArea::done) return static_cast<std::uint32_t>(m_finished.size());
    auto it = m_group_ids.find(row_key(area, owner));
    return it == m_group_ids.end() ? 0 : m_groups[it->second].peak;
}

TaskId StageIndex::awaited(TaskId task, Time t) const {
    const TaskInfo* info = m_model.task(task);
    if (!info) return 0;
    auto span = started_by(info->spans, t, &TaskSpan::start);
    if (span == info->spans.begin()) return 0;
    --span;
    return span->state == TaskState::waiting && span->op == WaitOp::join ? span->resource : 0;
}

StageSlot StageIndex::exit_slot(std::uint32_t stint) const {
    const Stint& s = m_stints[stint];
    const Group& g = m_groups[s.group];
    return StageSlot{g.area, g.owner, s.exit_index};
}

StageIndex::Motion StageIndex::motion(const Stint& s, std::uint32_t index, Time t,
                                      Time animation) const {
    const Group& g = m_groups[s.group];
    Motion m;
    m.from = StageSlot{g.area, g.owner, index};
    m.since = s.start;
    if (animation <= 0) return m;
    const Time horizon = t - animation;  // changes at or before this have finished moving

    // The latest departure of one ahead of this chip, after it arrived: it moved up then.
    const auto& deps = g.departures;
    const auto after_t = std::upper_bound(deps.begin(), deps.end(), t,
                                          [](Time x, const Departure& d) { return x < d.time; });
    Time change = -1;
    auto j = after_t;
    for (int scanned = 0; j != deps.begin() && scanned < kMaxScan; ++scanned) {
        --j;
        if (j->time <= s.start || j->time <= horizon) break;
        if (j->key < s.key) {
            change = j->time;
            break;
        }
    }
    if (change >= 0) {
        // Every one ahead that left at that instant was a place further back.
        auto first = std::lower_bound(deps.begin(), j, change,
                                      [](const Departure& d, Time x) { return d.time < x; });
        std::uint32_t gone = 0;
        for (auto k = first; k != deps.end() && k->time == change && k->key < s.key; ++k)
            ++gone;
        m.from.index = index + gone;
        m.since = change;
    } else if (s.start > horizon) {
        if (s.message)
            m.from = StageSlot{StageArea::chan_in, g.owner, 0};
        else
            m.from = s.prev != kNone ? exit_slot(s.prev) : StageSlot{};
        m.since = s.start;
    } else {
        return m;
    }

    // The move lasts `animation`, or until the chip's next change if that comes first.
    Time next = s.end;
    auto k = after_t;
    for (int scanned = 0; k != deps.end() && scanned < kMaxScan; ++k, ++scanned) {
        if (k->time >= std::min(next, m.since + animation)) break;
        if (k->key < s.key) {
            next = k->time;
            break;
        }
    }
    m.progress = fraction(t - m.since, std::min(animation, next - m.since));
    return m;
}

StageSnapshot StageIndex::at(Time t, Time animation) const {
    if (animation < 0) animation = m_default_animation;
    // At (or past) the end of a finished run nothing moves any more: show where
    // everything came to rest — for a deadlock, the waiters at their locks.
    if (m_model.finished() && t >= m_model.end_time()) animation = 0;
    StageSnapshot snap;
    snap.time = t;
    snap.animation = animation;
    add_workers(snap);
    add_resources(snap);
    add_rows(snap);
    add_leaving(snap);
    add_done(snap);
    std::sort(snap.tasks.begin(), snap.tasks.end(),
              [](const TaskChip& a, const TaskChip& b) { return a.task < b.task; });
    std::sort(snap.messages.begin(), snap.messages.end(),
              [](const MessageChip& a, const MessageChip& b) { return a.msg < b.msg; });
    return snap;
}

void StageIndex::add_workers(StageSnapshot& snap) const {
    // The poll covering t, parked or not, and (blocking) the tenant.
    const Time t = snap.time;
    const auto& lanes = m_model.workers();
    snap.workers.resize(lanes.size());
    for (std::size_t i = 0; i < lanes.size(); ++i) {
        const WorkerTrack& w = lanes[i];
        StageWorker& sw = snap.workers[i];
        sw.id = w.id;
        sw.role = w.role;
        sw.started = w.started <= t;
        auto poll = started_by(w.polls, t, &PollSlice::start);
        if (poll != w.polls.begin() && std::prev(poll)->end > t) {
            sw.running = std::prev(poll)->task;
            sw.poll_start = std::prev(poll)->start;
        }
        auto park = started_by(w.parked, t, &Span::start);
        if (park != w.parked.begin()) {
            const Time end = std::prev(park)->end;
            sw.parked = end < 0 || end > t || end >= m_model.end_time();
            sw.ended = sw.parked && w.role == WorkerRole::thread &&
                       is_vacancy(m_model, w, *std::prev(park));
        }
        if (i < m_pins.size()) {
            auto pin = started_by(m_pins[i], t, &Pin::start);
            if (pin != m_pins[i].begin() && std::prev(pin)->end > t)
                sw.pinned = std::prev(pin)->task;
        }
    }
}

void StageIndex::add_resources(StageSnapshot& snap) const {
    const Time t = snap.time;
    snap.channels.resize(m_channels);
    snap.resources.resize(m_sync_resources);
    for (const ResourceTrack& r : m_model.resources()) {
        if (r.id == 0) continue;
        if (m_channel_pos[r.id] >= 0) {
            StageChannel& c = snap.channels[static_cast<std::size_t>(m_channel_pos[r.id])];
            c.id = r.id;
            c.created = r.created <= t;
        } else if (m_resource_pos[r.id] >= 0) {
            StageResource& c = snap.resources[static_cast<std::size_t>(m_resource_pos[r.id])];
            c.id = r.id;
            c.created = r.created <= t;
            // Holders: holds that began by t and had not ended (still open in a live run;
            // one never released lasts past the run's end, whatever time after it is
            // shown); they are sorted by start, so look back from the last one that
            // began (a bounded look).
            auto it = started_by(r.holds, t, &HoldSpan::start);
            for (int looked = 0; it != r.holds.begin() && looked < 256; ++looked) {
                --it;
                if (it->end < 0 || it->end > t || it->end > m_model.end_time()) {
                    c.holders.push_back(it->task);
                    c.holder_modes.push_back(it->mode);
                }
            }
            std::reverse(c.holders.begin(), c.holders.end());
            std::reverse(c.holder_modes.begin(), c.holder_modes.end());
        }
    }
}

void StageIndex::add_rows(StageSnapshot& snap) const {
    // Everything covering t, row by row in arrival order.
    const Time t = snap.time;
    std::vector<std::uint32_t> active;
    m_covering.stab(t, active);
    std::sort(active.begin(), active.end(), [this](std::uint32_t a, std::uint32_t b) {
        const Stint& x = m_stints[a];
        const Stint& y = m_stints[b];
        return x.group != y.group ? x.group < y.group : x.key < y.key;
    });

    for (std::size_t i = 0; i < active.size();) {
        const std::uint32_t group = m_stints[active[i]].group;
        const Group& g = m_groups[group];
        for (std::uint32_t index = 0; i < active.size() && m_stints[active[i]].group == group;
             ++i, ++index) {
            const Stint& s = m_stints[active[i]];
            const Motion mv = motion(s, index, t, snap.animation);
            const StageSlot to{g.area, g.owner, index};
            if (s.message) {
                const MessageSpan& msg = m_model.resource(g.owner)->messages[s.subject];
                snap.messages.push_back(MessageChip{msg.msg, g.owner, msg.sender, mv.from, to,
                                                    mv.progress, mv.since, false});
                if (m_channel_pos[g.owner] >= 0)
                    snap.channels[static_cast<std::size_t>(m_channel_pos[g.owner])]
                        .buffered.push_back(msg.msg);
                continue;
            }
            const TaskId task = s.subject;
            snap.tasks.push_back(TaskChip{task, mv.from, to, mv.progress, mv.since});
            switch (g.area) {
                case StageArea::lifo:
                    if (g.owner < snap.workers.size()) snap.workers[g.owner].lifo = task;
                    break;
                case StageArea::local:
                    if (g.owner < snap.workers.size()) snap.workers[g.owner].local.push_back(task);
                    break;
                case StageArea::global:
                    snap.global.push_back(task);
                    break;
                case StageArea::injector: {
                    auto it = std::lower_bound(
                        snap.injectors.begin(), snap.injectors.end(), g.owner,
                        [](const auto& entry, std::uint32_t pool) { return entry.first < pool; });
                    if (it == snap.injectors.end() || it->first != g.owner)
                        it = snap.injectors.insert(it, {g.owner, {}});
                    it->second.push_back(task);
                    break;
                }
                case StageArea::blocking_queue:
                    snap.blocking_queue.push_back(task);
                    break;
                case StageArea::senders:
                case StageArea::receivers:
                    if (m_channel_pos[g.owner] >= 0) {
                        StageChannel& c =
                            snap.channels[static_cast<std::size_t>(m_channel_pos[g.owner])];
                        (g.area == StageArea::senders ? c.senders : c.receivers).push_back(task);
                    }
                    break;
                case StageArea::waiters:
                    if (m_resource_pos[g.owner] >= 0) {
                        StageResource& r =
                            snap.resources[static_cast<std::size_t>(m_resource_pos[g.owner])];
                        const TaskSpan* span = m_model.span_at(task, t);
                        r.waiters.push_back(task);
                        r.waiter_ops.push_back(
                            span && span->state == TaskState::waiting ? span->op : WaitOp::lock);
                    }
                    break;
                case StageArea::joining:
                    snap.joining.push_back(StageJoin{task, awaited(task, t)});
                    break;
                case StageArea::sleeping:
                    snap.sleeping.push_back(
                        StageSleeper{task, s.open_end ? std::nullopt : std::optional<Time>(s.end)});
                    break;
                case StageArea::idle:
                    snap.idle.push_back(task);
                    break;
                default:  // running, lane: the workers say so from their polls and tenants
                    break;
            }
        }
    }
}

void StageIndex::add_leaving(StageSnapshot& snap) const {
    // Messages received within the last animation, on their way out.
    const Time t = snap.time;
    const Time animation = snap.animation;
    if (animation <= 0) return;
    for (const ResourceTrack& r : m_model.resources()) {
        if (r.id == 0 || m_buffer_group[r.id] == kNone) continue;
        const auto& deps = m_groups[m_buffer_group[r.id]].departures;
        auto k = std::upper_bound(deps.begin(), deps.end(), t - animation,
                                  [](Time x, const Departure& d) { return x < d.time; });
        for (; k != deps.end() && k->time <= t; ++k) {
            const Stint& s = m_stints[k->stint];
            if (s.open_end) continue;
            const MessageSpan& msg = r.messages[s.subject];
            snap.messages.push_back(MessageChip{msg.msg, r.id, msg.sender,
                                                StageSlot{StageArea::buffer, r.id, s.exit_index},
                                                StageSlot{StageArea::chan_out, r.id, 0},
                                                fraction(t - k->time, animation), k->time, true});
        }
    }
}

void StageIndex::add_done(StageSnapshot& snap) const {
    // Finished tasks: a count, and the latest as chips (most recent at index 0).
    const Time t = snap.time;
    const Time animation = snap.animation;
    const auto done_end = std::upper_bound(m_finished.begin(), m_finished.end(), t,
                                           [](Time x, const Finish& f) { return x < f.time; });
    const auto done = static_cast<std::size_t>(done_end - m_finished.begin());
    snap.done = static_cast<std::uint32_t>(done);
    const Time newest = done > 0 ? m_finished[done - 1].time : 0;
    const Time next_finish = done < m_finished.size() ? m_finished[done].time : kForever;
    for (std::size_t rank = 0; rank < done && rank < kRecentDone; ++rank) {
        const Finish& f = m_finished[done - 1 - rank];
        snap.recent_done.push_back(f.task);
        const StageSlot to{StageArea::done, 0, static_cast<std::uint32_t>(rank)};
        TaskChip chip{f.task, to, to, 1.0, f.time};
        if (animation > 0) {
            if (newest > f.time && newest > t - animation) {
                // Pushed back by the ones that finished at `newest`.
                auto first = std::lower_bound(m_finished.begin(), done_end, newest,
                                              [](const Finish& x, Time v) { return x.time < v; });
                const auto pushed = static_cast<std::uint32_t>(done_end - first);
                chip.from.index =
                    static_cast<std::uint32_t>(rank) - std::min<std::uint32_t>(pushed, rank);
                chip.since = newest;
                chip.progress = fraction(t - newest, std::min(animation, next_finish - newest));
            } else if (f.time > t - animation) {
                const std::uint32_t last =
                    f.task < m_last_stint.size() ? m_last_stint[f.task] : kNone;
                chip.from = last != kNone ? exit_slot(last) : StageSlot{};
                chip.progress = fraction(t - f.time, std::min(animation, next_finish - f.time));
            }
        }
        snap.tasks.push_back(chip);
    }
}

StageSnapshot stage_at(const RunModel& model, Time t, Time animation) {
    return StageIndex(model).at(t, animation);
}

}  // namespace spindle::view
