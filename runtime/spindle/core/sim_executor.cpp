#include "spindle/core/sim_executor.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace spindle {

SimExecutor::SimExecutor(RuntimeConfig config)
    : m_config(std::move(config)),
      m_core_workers(m_config.policy == Policy::current_thread ? 1 : std::max(1, m_config.workers)),
      m_rng(m_config.seed),
      m_strategy(m_config),
      m_blocking(m_config.max_blocking_threads) {
    m_config.workers = m_core_workers;
    m_policy = make_policy(m_config, m_core_workers, m_instrument, m_rng);
    m_workers.resize(m_core_workers);
}

SimExecutor::~SimExecutor() {
    detail::ExecutorScope scope(this);
    teardown();
}

SimExecutor::TaskCell& SimExecutor::current_cell() {
    if (!m_current) throw std::logic_error("spindle: this call must be made from inside a task");
    return *m_current;
}

void SimExecutor::begin() {
    if (m_began) throw std::logic_error("spindle: a runtime runs once");
    m_began = true;
    m_instrument.emit(payload::RunStart{.policy = m_config.policy,
                                        .workers = static_cast<std::uint32_t>(m_core_workers),
                                        .seed = m_config.seed,
                                        .config = m_instrument.intern(m_config.describe())});
    for (int w = 0; w < m_core_workers; ++w) {
        Event e = m_instrument.make(payload::WorkerStart{.role = WorkerRole::core});
        e.worker = static_cast<WorkerId>(w);
        m_instrument.publish(e);
        // Workers start looking for work at once; those that find none park.
        schedule_step(static_cast<WorkerId>(w), Nanos::zero());
    }
}

RunOutcome SimExecutor::run() {
    if (!m_began) begin();
    detail::ExecutorScope scope(this);
    std::optional<RunOutcome> forced;
    for (;;) {
        std::optional<Nanos> timer = m_timers.next_deadline();
        if (!timer && m_steps.empty() && m_live > 0 && m_idle_hook) {
            // Stuck: let the embedder release what only unreachable objects held
            // (the Lua host collects garbage, dropping forgotten senders), then look again.
            auto& cur = m_instrument.cursor();
            cur.worker = kNoWorker;
            cur.task = 0;
            m_idle_hook();
            timer = m_timers.next_deadline();
        }
        if (!timer && m_steps.empty()) break;
        const bool take_timer = timer && (m_steps.empty() || *timer <= m_steps.top().time);
        const Nanos at = take_timer ? *timer : m_steps.top().time;
        if (std::string why = limit_reached(at); !why.empty()) {
            forced = RunOutcome::budget_exceeded;
            m_stop_text = m_stop_reason ? m_stop_reason() : std::move(why);
            break;
        }
        m_now = at;
        auto& cur = m_instrument.cursor();
        cur.time_ns = at.count();
        if (take_timer) {
            cur.worker = kNoWorker;
            cur.task = 0;
            fire_timer();
        } else {
            const Step s = m_steps.top();
            m_steps.pop();
            run_step(s.worker);
        }
    }
    auto& cur = m_instrument.cursor();
    cur.worker = kNoWorker;
    cur.task = 0;
    if (forced)
        m_outcome = *forced;
    else if (m_live > 0)
        m_outcome = RunOutcome::deadlock;
    else
        m_outcome = m_failed          ? RunOutcome::failed
                    : m_checks_failed ? RunOutcome::check_failed
                                      : RunOutcome::completed;
    if (m_outcome == RunOutcome::deadlock) m_deadlock = build_deadlock_report();
    m_instrument.emit(payload::RunEnd{
        .outcome = m_outcome,
        .alive = m_live,
        .reason = m_stop_text.empty() ? TextId{0} : m_instrument.intern(m_stop_text)});
    m_ended = true;
    m_instrument.mute();
    m_instrument.finish();
    teardown();
    return m_outcome;
}

std::string SimExecutor::limit_reached(Nanos next) const {
    if (m_config.stop_flag && m_config.stop_flag->load(std::memory_order_relaxed))
        return "cancelled";
    if (m_stop_requested.load(std::memory_order_relaxed)) return "stopped by its embedder";
    if (m_config.max_events && m_instrument.event_count() >= m_config.max_events)
        return "the event budget of " + std::to_string(m_config.max_events) + " events is spent";
    if (m_config.max_time > Nanos::zero() && next > m_config.max_time) {
        std::ostringstream s;
        s << "the virtual-time budget of " << static_cast<double>(m_config.max_time.count()) / 1e6
          << " ms is spent";
        return s.str();
    }
    return {};
}

void SimExecutor::schedule_step(WorkerId w, Nanos at) {
    Worker& wk = m_workers[w];
    if (wk.step_pending) return;
    wk.step_pending = true;
    // Steps due at the same instant run in the order they were scheduled — or, under an
    // exploring strategy, in an order it draws (one of the choices it takes over).
    m_steps.push(Step{at, m_strategy.explores() ? m_strategy.tie_break() : m_step_seq++, w});
}

void SimExecutor::run_step(WorkerId w) {
    Worker& wk = m_workers[w];
    wk.step_pending = false;
    auto& cur = m_instrument.cursor();
    cur.worker = w;
    cur.task = wk.current;
    if (wk.current) {
        run_body(w, *cell(wk.current));
        return;
    }
    TaskId next = 0;
    if (wk.role == WorkerRole::rayon) {
        next = m_rayon.next(w);
    } else if (wk.role != WorkerRole::core) {
        next = wk.pinned;
    } else if ((next = next_pinned(w)) != 0) {
        // a local task's turn
    } else if (m_strategy.explores()) {
        m_candidates.clear();
        m_policy->candidates(w, m_candidates);
        if (!m_candidates.empty())
            next = m_policy->take(w, m_candidates[m_strategy.choose(m_candidates)]);
    } else {
        next = m_policy->next(w);
    }
    if (!next && !wk.pinned_queue.empty()) {  // its turn passed, but nothing else was there
        next = wk.pinned_queue.front();
        wk.pinned_queue.pop_front();
    }
    if (!next) {
        park(w);
        return;
    }
    if (wk.searching) {
        // Found work: stop searching; the last searcher wakes another worker if work remains.
        wk.searching = false;
        if (--m_searching == 0) notify_parked(next);
    }
    start_poll(w, *cell(next));
}

void SimExecutor::start_poll(WorkerId w, TaskCell& c) {
    Worker& wk = m_workers[w];
    wk.current = c.id;
    c.state = TaskState::running;
    if (c.flavor == TaskFlavor::rayon && c.home == kNoWorker) {
        c.home = w;
        c.migrated = w != c.origin;
    }
    coop_reset();
    m_instrument.cursor().task = c.id;
    m_instrument.emit(payload::PollStart{});
    schedule_step(w, m_now + m_strategy.vary(m_config.poll_cost));
}

void SimExecutor::run_body(WorkerId w, TaskCell& c) {
    m_current = &c;
    if (c.in_work) {
        c.in_work = false;
    } else if (c.abort_requested) {
        // Destroying the frame runs the destructors of everything alive in it:
        // pending operations withdraw, guards release, senders drop.
        c.pending = nullptr;
        c.aborting = true;
        c.root.destroy();
        c.root = {};
        c.aborting = false;
        m_instrument.emit(payload::PollEnd{.result = PollResult::ready});
        m_current = nullptr;
        m_workers[w].current = 0;
        if (c.abort_error.empty())
            finish_task(c, TaskOutcome::aborted, "aborted");
        else
            finish_task(c, TaskOutcome::failed, std::move(c.abort_error));
        schedule_step(w, m_now);
        return;
    } else if (c.pending) {
        c.block_woken = false;
        if (!c.pending->poll_ready()) {
            if (c.holds_worker) {  // still blocked: the worker waits on with it
                m_current = nullptr;
                return;
            }
            end_poll(w, c);  // woken, but not ready yet: stays waiting
            return;
        }
        c.pending = nullptr;
        if (c.holds_worker) {
            // The blocked thread is runnable again: it resumes a poll cost later, as a
            // woken OS thread does (its time shows as running, after the wait).
            c.holds_worker = false;
            c.in_work = true;
            m_current = nullptr;
            schedule_step(w, m_now + m_strategy.vary(m_config.poll_cost));
            return;
        }
    }
    c.resume_point.resume();
    if (c.in_work) {
        m_current = nullptr;
        schedule_step(w, m_now + c.work);
        return;
    }
    if (c.holds_worker && c.pending) {
        // A blocking wait: the poll stays open and the worker with it, until a wake.
        c.held_worker = w;
        m_current = nullptr;
        return;
    }
    c.holds_worker = false;
    end_poll(w, c);
}

void SimExecutor::end_poll(WorkerId w, TaskCell& c) {
    m_current = nullptr;
    Worker& wk = m_workers[w];
    wk.current = 0;
    const bool done = c.root.done();
    m_instrument.emit(payload::PollEnd{.result = done ? PollResult::ready : PollResult::pending});
    if (done) {
        auto error = c.root.promise().error;
        if (error)
            finish_task(c, TaskOutcome::failed, detail::describe_exception(error));
        else
            finish_task(c, TaskOutcome::completed, {});
    } else if (c.yielded) {
        c.yielded = false;
        c.state = TaskState::scheduled;
        m_instrument.emit(payload::TaskWake{.cause = WakeCause::yield, .source = 0, .waker = c.id},
                          c.id);
        schedule_cell(c, true);
    } else if (c.notified || c.abort_requested) {
        c.notified = false;
        c.state = TaskState::scheduled;
        schedule_cell(c, false);
    } else {
        c.state = TaskState::idle;
    }
    // A blocking lane whose task waits stays with it; everything else looks for work.
    if (wk.role == WorkerRole::core || !wk.pinned || cell(wk.pinned)->state != TaskState::idle)
        schedule_step(w, m_now);
    m_instrument.cursor().task = 0;
}

void SimExecutor::finish_task(TaskCell& c, TaskOutcome outcome, std::string error) {
    const TaskId id = c.id;
    m_instrument.cursor().task = id;
    if (c.root) {
        // Parameters of the root (the user's Task) are destroyed here, still as this task.
        c.root.destroy();
        c.root = {};
    }
    m_instrument.emit(payload::TaskEnd{.outcome = outcome,
                                       .error = error.empty() ? 0 : m_instrument.intern(error)},
                      id);
    --m_live;
    if (outcome == TaskOutcome::failed) ++m_failed;
    auto slot = std::move(c.slot);
    if (c.lane != kNoWorker) {
        const WorkerId lane = c.lane;
        m_workers[lane].pinned = 0;
        if (c.flavor == TaskFlavor::thread) {
            if (m_thread_queue.empty()) {
                m_idle_threads.push_back(lane);
            } else {
                TaskCell* next = cell(m_thread_queue.front());
                m_thread_queue.pop_front();
                if (next) assign_lane(*next, lane);
            }
        } else if (TaskCell* next = cell(m_blocking.release(lane)))
            assign_lane(*next, lane);
    }
    m_tasks[id].reset();
    if (slot) {
        slot->finished = true;
        slot->outcome = outcome;
        slot->error = std::move(error);
        slot->joiners.for_each([&](WaitNode& n) { wake(n.task, WakeCause::task, id); });
    }
}

WorkerId SimExecutor::add_lane(WorkerRole role, ResourceId pool) {
    const auto id = static_cast<WorkerId>(m_workers.size());
    m_workers.push_back(Worker{});
    m_workers.back().role = role;
    Event e = m_instrument.make(payload::WorkerStart{.role = role, .pool = pool});
    e.worker = id;
    e.task = 0;
    m_instrument.publish(e);
    return id;
}

void SimExecutor::start_thread(TaskCell& c) {
    WorkerId lane = kNoWorker;
    if (!m_idle_threads.empty()) {
        lane = m_idle_threads.back();
        m_idle_threads.pop_back();
    } else if (m_thread_lanes < kMaxOsThreads) {
        ++m_thread_lanes;
        lane = add_lane(WorkerRole::thread);
    } else {  // as many threads as a run may have are alive: wait for one to end
        m_thread_queue.push_back(c.id);
        m_instrument.emit(payload::TaskScheduled{.place = QueuePlace::blocking, .queue = kNoWorker},
                          c.id);
        return;
    }
    assign_lane(c, lane);
}

ResourceId SimExecutor::make_rayon_pool(std::string_view name, std::uint32_t threads) {
    if (m_rayon_pools >= kMaxRayonPools) return 0;
    ++m_rayon_pools;
    if (threads == 0) threads = static_cast<std::uint32_t>(m_core_workers);
    threads = std::min<std::uint32_t>(threads, kMaxRayonThreads);
    const ResourceId pool = register_resource(ResourceKind::rayon_pool, name, threads);
    m_rayon.add_pool(pool);
    for (std::uint32_t i = 0; i < threads; ++i) {
        const WorkerId lane = add_lane(WorkerRole::rayon, pool);
        m_rayon.add_thread(pool, lane);
        schedule_step(lane, m_now);  // finds nothing yet, and parks
    }
    return pool;
}

void SimExecutor::unpark_lane(WorkerId w, TaskId by) {
    m_workers[w].parked = false;
    Event e = m_instrument.make(payload::WorkerUnpark{.by = by});
    e.worker = w;
    e.task = 0;
    m_instrument.publish(e);
}

void SimExecutor::schedule_job(TaskCell& c) {
    if (c.home != kNoWorker) {
        // Its stack is on its home thread: it goes on there, next.
        m_rayon.push_resume(c.home, c.id);
        m_instrument.emit(payload::TaskScheduled{.place = QueuePlace::local, .queue = c.home},
                          c.id);
        Worker& home = m_workers[c.home];
        if (m_rayon.unpark(c.home)) unpark_lane(c.home, c.id);
        if (!home.current) schedule_step(c.home, m_now);
        return;
    }
    const WorkerId q = m_rayon.push_new(c.pool, c.id, m_instrument.cursor().worker);
    m_instrument.emit(
        payload::TaskScheduled{.place = q == kNoWorker ? QueuePlace::injector : QueuePlace::local,
                               .queue = q,
                               .pool = q == kNoWorker ? c.pool : 0},
        c.id);
    // A sleeping thread of the pool wakes to take it (rayon-core's new-jobs tickle).
    const WorkerId w = m_rayon.unpark_one(c.pool);
    if (w != kNoWorker) {
        unpark_lane(w, c.id);
        schedule_step(w, m_now);
    }
}

void SimExecutor::schedule_cell(TaskCell& c, bool is_yield) {
    if (c.flavor == TaskFlavor::rayon) {
        schedule_job(c);
        return;
    }
    if (c.flavor == TaskFlavor::thread && c.lane == kNoWorker) {
        start_thread(c);
        return;
    }
    if (c.flavor == TaskFlavor::local && c.pin < m_core_workers) {
        // Only its own worker may run it: that worker's pinned queue, and wake it.
        Worker& wk = m_workers[c.pin];
        wk.pinned_queue.push_back(c.id);
        m_instrument.emit(payload::TaskScheduled{.place = QueuePlace::local, .queue = c.pin}, c.id);
        if (wk.parked) {
            m_parked.erase(std::find(m_parked.begin(), m_parked.end(), c.pin));
            unpark_lane(c.pin, c.id);
            schedule_step(c.pin, m_now);
        }
        return;
    }
    if (c.flavor != TaskFlavor::async && c.flavor != TaskFlavor::local) {
        if (c.lane == kNoWorker) {
            const BlockingPool::Grant g = m_blocking.acquire(c.id);
            if (!g.granted) {
                m_instrument.emit(
                    payload::TaskScheduled{.place = QueuePlace::blocking, .queue = kNoWorker},
                    c.id);
                return;
            }
            WorkerId lane = g.lane;
            if (g.created) lane = add_lane(WorkerRole::blocking);
            assign_lane(c, lane);
            return;
        }
        m_instrument.emit(payload::TaskScheduled{.place = QueuePlace::blocking, .queue = c.lane},
                          c.id);
        schedule_step(c.lane, m_now);
        return;
    }
    const WorkerId here = m_instrument.cursor().worker;
    const WorkerId from = here < m_core_workers ? here : kNoWorker;
    const Placement p = m_policy->schedule(c.id, from, is_yield);
    m_instrument.emit(payload::TaskScheduled{.place = p.place, .queue = p.worker}, c.id);
    if (p.notify) notify_parked(c.id);
}

void SimExecutor::assign_lane(TaskCell& c, WorkerId lane) {
    Worker& wk = m_workers[lane];
    c.lane = lane;
    wk.pinned = c.id;
    if (wk.parked) {
        wk.parked = false;
        Event e = m_instrument.make(payload::WorkerUnpark{.by = c.id});
        e.worker = lane;
        e.task = 0;
        m_instrument.publish(e);
    }
    m_instrument.emit(payload::TaskScheduled{.place = QueuePlace::blocking, .queue = lane}, c.id);
    schedule_step(lane, m_now);
}

void SimExecutor::park(WorkerId w) {
    Worker& wk = m_workers[w];
    if (wk.searching) {
        wk.searching = false;
        --m_searching;
    }
    wk.parked = true;
    if (wk.role == WorkerRole::core) m_parked.push_back(w);
    if (wk.role == WorkerRole::rayon) m_rayon.park(w);
    m_instrument.emit(payload::WorkerPark{});
}

void SimExecutor::notify_parked(TaskId cause) {
    if (m_searching > 0 || m_parked.empty() || !m_policy->has_queued()) return;
    const std::size_t pick = m_strategy.choose_parked(m_parked.size());
    const WorkerId w = m_parked[pick];
    m_parked.erase(m_parked.begin() + static_cast<std::ptrdiff_t>(pick));
    Worker& wk = m_workers[w];
    wk.parked = false;
    wk.searching = true;
    ++m_searching;
    Event e = m_instrument.make(payload::WorkerUnpark{.by = cause});
    e.worker = w;
    e.task = 0;
    m_instrument.publish(e);
    schedule_step(w, m_now);
}

void SimExecutor::fire_timer() {
    const auto fired = m_timers.pop();
    if (!fired) return;
    m_instrument.emit(
        payload::TimerFired{.timer = fired->id,
                            .deadline_ns = static_cast<std::uint64_t>(fired->deadline.count())},
        fired->task);
    wake(fired->task, WakeCause::timer, fired->id);
}

void SimExecutor::suspend_current(std::coroutine_handle<> h, Pending* pending) {
    TaskCell& c = current_cell();
    c.resume_point = h;
    c.pending = pending;
    c.holds_worker = c.waits_block();
}

void SimExecutor::begin_work(std::coroutine_handle<> h, Nanos d) {
    TaskCell& c = current_cell();
    c.resume_point = h;
    c.in_work = true;
    c.work = m_strategy.vary(d);
}

void SimExecutor::yield_current(std::coroutine_handle<> h) {
    TaskCell& c = current_cell();
    c.resume_point = h;
    c.yielded = true;
    c.holds_worker = false;  // a yield ends the poll, whatever mode the task is in
}

void SimExecutor::wake(TaskId task, WakeCause cause, std::uint32_t object) {
    if (m_ended || m_tearing_down) return;
    TaskCell* c = cell(task);
    if (!c) return;
    if (c->state == TaskState::scheduled) return;  // already queued: wakes coalesce
    if (c->state == TaskState::running && c->holds_worker && c != m_current) {
        // Blocked in a call: its worker looks again (several wakes, one step).
        if (c->block_woken) return;
        c->block_woken = true;
        m_instrument.emit(
            payload::TaskWake{
                .cause = cause, .source = object, .waker = m_instrument.cursor().task},
            task);
        schedule_step(c->held_worker, m_now);
        return;
    }
    if (c->state == TaskState::running) {
        if (c->notified) return;
        c->notified = true;  // rescheduled when the current poll ends
        m_instrument.emit(
            payload::TaskWake{
                .cause = cause, .source = object, .waker = m_instrument.cursor().task},
            task);
        return;
    }
    c->state = TaskState::scheduled;
    m_instrument.emit(
        payload::TaskWake{.cause = cause, .source = object, .waker = m_instrument.cursor().task},
        task);
    schedule_cell(*c, false);
}

TaskId SimExecutor::spawn(std::string_view name, TaskFlavor flavor, std::coroutine_handle<> root,
                          std::shared_ptr<detail::JoinSlotBase> slot) {
    if (flavor == TaskFlavor::rayon) {
        root.destroy();
        throw std::logic_error("spindle: a Rayon job is made with spawn_job, on a pool");
    }
    return spawn_cell(name, flavor, 0, root, std::move(slot));
}

TaskId SimExecutor::spawn_pinned(std::string_view name, WorkerId worker,
                                 std::coroutine_handle<> root,
                                 std::shared_ptr<detail::JoinSlotBase> slot) {
    if (worker >= m_core_workers) {
        root.destroy();
        throw std::logic_error("spindle: spawn_local on a worker the runtime does not have");
    }
    return spawn_cell(name, TaskFlavor::local, 0, root, std::move(slot), worker);
}

TaskId SimExecutor::next_pinned(WorkerId w) {
    Worker& wk = m_workers[w];
    if (wk.pinned_queue.empty()) return 0;
    // Turn about with the worker's other queues, so neither starves the other.
    wk.pinned_turn = !wk.pinned_turn;
    if (!wk.pinned_turn && m_policy->has_queued()) return 0;
    const TaskId t = wk.pinned_queue.front();
    wk.pinned_queue.pop_front();
    return t;
}

TaskId SimExecutor::spawn_job(std::string_view name, ResourceId pool, std::coroutine_handle<> root,
                              std::shared_ptr<detail::JoinSlotBase> slot) {
    const ResourceInfo* r = resource(pool);
    if (!r || r->kind != ResourceKind::rayon_pool) {
        root.destroy();
        throw std::logic_error("spindle: spawn_job on something that is not a Rayon pool");
    }
    return spawn_cell(name, TaskFlavor::rayon, pool, root, std::move(slot));
}

TaskId SimExecutor::spawn_cell(std::string_view name, TaskFlavor flavor, ResourceId pool,
                               std::coroutine_handle<> root,
                               std::shared_ptr<detail::JoinSlotBase> slot, WorkerId pin) {
    if (m_ended || m_tearing_down) {
        root.destroy();
        throw std::logic_error("spindle: cannot spawn after the run has ended");
    }
    const auto id = static_cast<TaskId>(m_tasks.size());
    auto c = std::make_unique<TaskCell>();
    c->id = id;
    c->flavor = flavor;
    c->pool = pool;
    c->pin = pin;
    c->origin = m_instrument.cursor().worker;
    c->name = m_instrument.intern(name);
    c->root = std::coroutine_handle<detail::RootPromise>::from_address(root.address());
    c->resume_point = root;
    c->slot = std::move(slot);
    c->slot->task = id;
    TaskCell& ref = *c;
    m_tasks.push_back(std::move(c));
    ++m_live;
    m_strategy.on_spawn(id);
    m_instrument.emit(
        payload::TaskSpawn{
            .parent = m_instrument.cursor().task, .flavor = flavor, .name = ref.name},
        id);
    ref.state = TaskState::scheduled;
    schedule_cell(ref, false);
    return id;
}

void SimExecutor::fail_abort(std::string error) {
    if (m_current && m_current->aborting && m_current->abort_error.empty())
        m_current->abort_error = std::move(error);
}

void SimExecutor::abort(TaskId task) {
    TaskCell* c = cell(task);
    if (!c || c->abort_requested) return;
    c->abort_requested = true;
    if (c->state == TaskState::idle)
        wake(task, WakeCause::abort, 0);
    else if (c->holds_worker && c != m_current)
        schedule_step(c->held_worker, m_now);
}

std::uint32_t SimExecutor::start_timer(Nanos deadline, TaskId task) {
    const std::uint32_t id = m_timers.add(deadline, task);
    m_instrument.emit(payload::TimerSet{
        .timer = id, .deadline_ns = static_cast<std::uint64_t>(deadline.count())});
    return id;
}

void SimExecutor::cancel_timer(std::uint32_t timer) {
    if (const auto deadline = m_timers.cancel(timer))
        m_instrument.emit(payload::TimerCancelled{
            .timer = timer, .deadline_ns = static_cast<std::uint64_t>(deadline->count())});
}

ResourceId SimExecutor::register_resource(ResourceKind kind, std::string_view name,
                                          std::uint32_t capacity) {
    m_resources.push_back(ResourceInfo{kind, std::string(name), capacity});
    const auto id = static_cast<ResourceId>(m_resources.size());
    m_instrument.emit(payload::ResourceCreated{
        .resource = id, .type = kind, .capacity = capacity, .name = m_instrument.intern(name)});
    return id;
}

const ResourceInfo* SimExecutor::resource(ResourceId id) const {
    return id >= 1 && id <= m_resources.size() ? &m_resources[id - 1] : nullptr;
}

DeadlockReport SimExecutor::build_deadlock_report() const {
    DeadlockReport report;
    for (const auto& c : m_tasks) {
        if (!c) continue;
        WaitingTask t;
        t.task = c->id;
        t.name = std::string(m_instrument.text(c->name));
        if (c->pending) c->pending->describe_waits(t.waits);
        for (WaitInfo& w : t.waits) {
            if (w.op == WaitOp::join) {
                w.kind = ResourceKind::task;
            } else if (w.op == WaitOp::sleep) {
                w.kind = ResourceKind::timer;
            } else if (const ResourceInfo* r = resource(w.resource)) {
                w.kind = r->kind;
                w.name = r->name;
            }
        }
        report.tasks.push_back(std::move(t));
    }
    report.cycle = find_wait_cycle(report.tasks);
    return report;
}

void SimExecutor::teardown() {
    if (m_tearing_down) return;
    m_tearing_down = true;
    m_instrument.mute();
    for (auto& c : m_tasks) {
        if (!c || !c->root) continue;
        m_current = c.get();
        m_instrument.cursor().task = c->id;
        c->pending = nullptr;
        c->root.destroy();
        c->root = {};
        m_current = nullptr;
    }
    m_tasks.clear();
}

}  // namespace spindle
