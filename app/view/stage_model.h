#pragma once
// The Stage: the scheduler's state at one instant — what each worker runs, what
// waits in its LIFO slot and local queue, the global queue, the blocking pool,
// every channel's buffer with its waiting senders and receivers, the other
// resources' waiters, the sleepers and the finished tasks — with, for every
// chip (a task, or a message in a buffer), where it is now, where it came from
// and how far along that move is, so a view can animate it.
//
// State: StageIndex is built once from a finished (or paused) RunModel and is
// immutable afterwards; it borrows the model, which must outlive it and must not
// grow while the index is used (build a new index after a live run grew). A
// query, at(t), is a pure function of (model, t, animation): scrubbing backwards
// gives exactly what playing forwards gave. What was still in place when the run
// ended stays there at any later time (a deadlock keeps its waiters). Plain C++.
//
// How a query stays cheap: each task's life is cut into "stints" — maximal
// intervals in one place (a worker, a queue, a channel side, asleep...) — and
// each buffered message is one stint. Stints sit in an IntervalIndex (sorted by
// start, with a max-end tree), so at(t) visits only the stints covering t.
// Positions inside a row (queue index, buffer slot) are ranks among the stints
// covering t in that row, in arrival order; a chip slides forward when one
// ahead of it leaves, found by a short search of the row's departures.

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "interval_index.h"
#include "run_model.h"

namespace spindle::view {

/// The kinds of places a chip can be. Abstract: a renderer maps them to pixels.
enum class StageArea : std::uint8_t {
    none,            ///< nowhere (a chip that has just appeared fades in)
    running,         ///< owner = worker: being polled there
    lifo,            ///< owner = worker: its LIFO slot
    local,           ///< owner = worker: its local run queue
    global,          ///< the global run queue
    blocking_queue,  ///< waiting for a free blocking-pool thread
    lane,            ///< owner = blocking thread: pinned to it, scheduled, not yet polled
    buffer,          ///< owner = channel: a message in its buffer (message chips)
    chan_in,         ///< owner = channel: where messages enter the buffer
    chan_out,        ///< owner = channel: where received messages leave
    senders,         ///< owner = channel: tasks waiting to send
    receivers,       ///< owner = channel: tasks waiting to receive (or for a change)
    waiters,         ///< owner = resource: tasks waiting on a mutex, semaphore, ...
    joining,         ///< tasks waiting for another task to finish (StageJoin says which)
    sleeping,        ///< tasks waiting for a timer
    idle,            ///< tasks waiting for nothing the trace names (pending, not queued)
    done,            ///< finished tasks, index 0 = the most recent
    injector,        ///< owner = Rayon pool: jobs sent in from outside the pool
};

/// An abstract place: an area, whose it is, and a position in its row (0 = front).
struct StageSlot {
    StageArea area = StageArea::none;
    std::uint32_t owner = 0;  ///< worker or resource id, by area (else 0)
    std::uint32_t index = 0;
    friend bool operator==(const StageSlot&, const StageSlot&) = default;
};

/// A task on the stage: moving from `from` to `to`; at `to` once progress is 1.
struct TaskChip {
    TaskId task = 0;
    StageSlot from;
    StageSlot to;
    double progress = 1.0;  ///< 0..1, linear in time (a renderer eases it)
    Time since = 0;         ///< when the move began (a still chip: when it got there)
    friend bool operator==(const TaskChip&, const TaskChip&) = default;
};

/// A message on the stage. A received message stays one animation long, leaving
/// its slot for the channel's exit (`leaving`).
struct MessageChip {
    std::uint64_t msg = 0;
    ResourceId channel = 0;
    TaskId sender = 0;
    StageSlot from;
    StageSlot to;
    double progress = 1.0;
    Time since = 0;
    bool leaving = false;
    friend bool operator==(const MessageChip&, const MessageChip&) = default;
};

/// A worker thread (core or blocking) at the instant.
struct StageWorker {
    WorkerId id = 0;
    WorkerRole role = WorkerRole::core;
    bool started = false;  ///< the thread exists yet (blocking threads start on demand)
    bool parked = false;
    bool ended = false;   ///< an OS-thread lane whose thread has ended (no thread lives there)
    TaskId running = 0;   ///< the task whose poll covers the instant (0: none)
    Time poll_start = 0;  ///< start of that poll
    TaskId lifo = 0;      ///< core: the LIFO slot (0: empty)
    std::vector<TaskId> local;  ///< core: the local queue; rayon: the deque; front first
    TaskId pinned = 0;          ///< blocking: the task holding this thread (0: free)
    friend bool operator==(const StageWorker&, const StageWorker&) = default;
};

/// A channel at the instant.
struct StageChannel {
    ResourceId id = 0;
    bool created = false;
    std::vector<std::uint64_t> buffered;  ///< message ids, oldest first
    std::vector<TaskId> senders;          ///< waiting to send, longest waiting first
    std::vector<TaskId> receivers;        ///< waiting to receive, longest waiting first
    friend bool operator==(const StageChannel&, const StageChannel&) = default;
};

/// A mutex, rwlock, semaphore, notify or barrier at the instant.
struct StageResource {
    ResourceId id = 0;
    bool created = false;
    std::vector<TaskId> waiters;         ///< longest waiting first
    std::vector<WaitOp> waiter_ops;      ///< per waiter: what it waits for (read, write, ...)
    std::vector<TaskId> holders;         ///< tasks holding it at the time, earliest first
    std::vector<LockMode> holder_modes;  ///< per holder: shared (a reader), exclusive, permits
    friend bool operator==(const StageResource&, const StageResource&) = default;
};

struct StageSleeper {
    TaskId task = 0;
    std::optional<Time> wake_at;  ///< unknown when the run ended first
    friend bool operator==(const StageSleeper&, const StageSleeper&) = default;
};

struct StageJoin {
    TaskId waiter = 0;
    TaskId awaited = 0;
    friend bool operator==(const StageJoin&, const StageJoin&) = default;
};

/// Everything on the stage at `time`. Lists hold ids; names and colours come from
/// the RunModel. Workers are in id order; channels and resources in id order and
/// always all of the run's (with `created` false before they exist), so a layout
/// built from the model stays put while the time moves.
struct StageSnapshot {
    Time time = 0;
    Time animation = 0;  ///< the move duration used
    std::vector<StageWorker> workers;
    std::vector<TaskId> global;          ///< front first
    std::vector<TaskId> blocking_queue;  ///< front first
    /// Rayon pools' injector queues that hold jobs: (pool, jobs front first), by pool.
    std::vector<std::pair<ResourceId, std::vector<TaskId>>> injectors;
    std::vector<StageChannel> channels;
    std::vector<StageResource> resources;
    std::vector<StageSleeper> sleeping;  ///< earliest asleep first
    std::vector<StageJoin> joining;      ///< longest waiting first
    std::vector<TaskId> idle;
    std::uint32_t done = 0;             ///< tasks finished by `time`
    std::vector<TaskId> recent_done;    ///< the latest finished, most recent first
    std::vector<TaskChip> tasks;        ///< sorted by task id
    std::vector<MessageChip> messages;  ///< sorted by message id

    const TaskChip* chip(TaskId task) const;
    const MessageChip* message(std::uint64_t msg) const;
    const StageChannel* channel(ResourceId id) const;
    const StageResource* resource(ResourceId id) const;
    /// The jobs in `pool`'s injector, front first (empty when none).
    const std::vector<TaskId>& injector(ResourceId pool) const;
    friend bool operator==(const StageSnapshot&, const StageSnapshot&) = default;
};

/// The per-run index stage snapshots are cut from; see the top of this file.
class StageIndex {
public:
    /// Finished tasks shown as chips in the done area (the rest are counted).
    static constexpr std::uint32_t kRecentDone = 8;

    explicit StageIndex(const RunModel& model);

    const RunModel& model() const { return m_model; }
    /// The stage at `t`; chips move over `animation` ns (< 0: default_animation()).
    StageSnapshot at(Time t, Time animation = -1) const;
    /// 0.3 of the run's mean poll duration (at least 1 ns).
    Time default_animation() const { return m_default_animation; }

    /// Whether any task ever was in `area` (lets a layout skip empty sections).
    bool uses(StageArea area) const { return m_used_areas & (1u << static_cast<unsigned>(area)); }
    /// The most chips `area` (of `owner`) ever held at once (done: tasks finished).
    std::uint32_t peak(StageArea area, std::uint32_t owner = 0) const;
    /// Number of stints (index size; for benchmarks and tests).
    std::size_t stint_count() const { return m_stints.size(); }

private:
    static constexpr std::uint32_t kNone = 0xFFFFFFFF;

    /// A maximal interval a task (or message) spends in one row.
    struct Stint {
        Time start = 0;
        Time end = 0;
        std::uint32_t group = 0;       ///< row: index into m_groups
        std::uint32_t key = 0;         ///< arrival order within the row
        std::uint32_t exit_index = 0;  ///< position in the row just before it left
        std::uint32_t prev = kNone;    ///< the same task's previous stint
        std::uint32_t subject = 0;     ///< task id, or message index (in its channel)
        bool message = false;
        bool open_end = false;    ///< never left (end = forever), or left unseen (watch)
        std::uint64_t order = 0;  ///< tie-break of equal starts (event order)
    };
    struct Departure {
        Time time = 0;
        std::uint32_t key = 0;
        std::uint32_t stint = 0;
    };
    struct Group {
        StageArea area = StageArea::none;
        std::uint32_t owner = 0;
        std::vector<std::uint32_t> members;  ///< stint ids by key
        std::vector<Departure> departures;   ///< by (time, key)
        std::uint32_t peak = 0;              ///< most members at once
    };
    struct Finish {
        Time time = 0;
        TaskId task = 0;
    };
    struct Pin {
        Time start = 0;
        Time end = 0;
        TaskId task = 0;
    };
    /// The move of a chip in a row at t: from where, since when, how far.
    struct Motion {
        StageSlot from;
        Time since = 0;
        double progress = 1.0;
    };

    std::uint32_t group_id(StageArea area, std::uint32_t owner);
    void add_task_stints(const TaskInfo& task, const std::vector<std::uint32_t>& queue_spans);
    void add_message_stints(const ResourceTrack& channel);
    void finish_groups();
    // at(), part by part: each fills its share of `snap` for snap.time and snap.animation.
    void add_workers(StageSnapshot& snap) const;
    void add_resources(StageSnapshot& snap) const;
    void add_rows(StageSnapshot& snap) const;
    void add_leaving(StageSnapshot& snap) const;
    void add_done(StageSnapshot& snap) const;
    Motion motion(const Stint& s, std::uint32_t index, Time t, Time animation) const;
    StageSlot exit_slot(std::uint32_t stint) const;
    /// The task `task` waits to join at `t` (0: none).
    TaskId awaited(TaskId task, Time t) const;

    const RunModel& m_model;
    std::vector<Stint> m_stints;     ///< sorted by (start, order) after building
    IntervalIndex<Time> m_covering;  ///< m_stints' [start, end), by the same positions
    std::vector<Group> m_groups;
    std::unordered_map<std::uint64_t, std::uint32_t> m_group_ids;  ///< (area, owner) -> group
    std::vector<std::uint32_t> m_last_stint;    ///< per task id: its last stint (kNone)
    std::vector<Finish> m_finished;             ///< by (time, task)
    std::vector<std::vector<Pin>> m_pins;       ///< per worker id: blocking-thread tenants
    std::vector<std::uint32_t> m_buffer_group;  ///< per resource id: its buffer row (kNone)
    std::vector<std::int32_t> m_channel_pos;    ///< per resource id: index in channels
    std::vector<std::int32_t> m_resource_pos;   ///< per resource id: index in resources
    std::size_t m_channels = 0;
    std::size_t m_sync_resources = 0;
    std::uint32_t m_used_areas = 0;
    Time m_default_animation = 1;
};

/// The stage of `model` at `t` (builds a StageIndex: fine for one picture; keep a
/// StageIndex to draw many).
StageSnapshot stage_at(const RunModel& model, Time t, Time animation = -1);

/// Whether a resource kind is shown as a channel on the stage.
bool is_stage_channel(ResourceKind kind);
/// Whether a resource kind is shown with its waiters (mutex, rwlock, semaphore, ...).
bool is_stage_sync(ResourceKind kind);

}  // namespace spindle::view
