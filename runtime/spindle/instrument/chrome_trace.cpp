// Chrome Trace Event Format conversion, streamed (see chrome_trace.h for the mapping).
//
// State: per live task its name, open spans and undelivered wakes; per track whether
// it is named and which poll is open; channel names; the JSON not yet written. The
// JSON is written by hand (no document tree): strings are escaped and invalid UTF-8
// replaced by U+FFFD, so any text a script prints yields valid JSON.

#include "spindle/instrument/chrome_trace.h"

#include <algorithm>
#include <charconv>
#include <ostream>

#include "spindle/instrument/event_payloads.h"

namespace spindle {

namespace {

constexpr std::size_t kFlushBytes = 64 * 1024;

void append_uint(std::string& out, std::uint64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

/// Microseconds from nanoseconds, exactly: "12", "2.5", "-0.001".
void append_us(std::string& out, std::int64_t ns) {
    std::uint64_t mag =
        ns < 0 ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
    if (ns < 0) out += '-';
    append_uint(out, mag / 1000);
    std::uint64_t frac = mag % 1000;
    if (frac == 0) return;
    char digits[4] = {static_cast<char>('0' + frac / 100), static_cast<char>('0' + frac / 10 % 10),
                      static_cast<char>('0' + frac % 10), 0};
    std::size_t n = 3;
    while (digits[n - 1] == '0')
        --n;
    out += '.';
    out.append(digits, n);
}

/// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not one.
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const unsigned char c = b(0);
    const auto cont = [&](std::size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(1) || !cont(2)) return 0;
        if (c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
        if (c == 0xED && b(1) >= 0xA0) return 0;  // surrogate
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3)) return 0;
        if (c == 0xF0 && b(1) < 0x90) return 0;   // overlong
        if (c == 0xF4 && b(1) >= 0x90) return 0;  // beyond U+10FFFF
        return 4;
    }
    return 0;
}

/// A JSON string literal of `s`; invalid UTF-8 becomes U+FFFD.
void append_string(std::string& out, std::string_view s) {
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            if (const std::size_t n = utf8_length(s, i)) {
                out.append(s.substr(i, n));
                i += n;
            } else {
                out += "\\ufffd";
                ++i;
            }
            continue;
        }
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            static constexpr char hex[] = "0123456789abcdef";
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
        ++i;
    }
    out += '"';
}

}  // namespace

struct ChromeTraceWriter::Flow {
    std::uint64_t id = 0;
    std::int64_t woken_at = 0;    ///< ns of the wake (the flow's start)
    WorkerId from = kNoWorker;    ///< the track of its start
    std::uint64_t from_poll = 0;  ///< the poll (Track::polls) its start is held back in; 0: none
    bool shown = true;            ///< its start was written (false: before a range's start)
    std::int64_t ends_at = -1;  ///< inside the open poll (a blocking call's wake); -1: at its start
};

struct ChromeTraceWriter::TaskState {
    std::string name;               ///< display name ("task N" when unnamed)
    bool alive = false;             ///< its lifetime span is open
    std::string state;              ///< the open nested state span ("" = none)
    std::vector<Flow> flows;        ///< wakes to deliver at its next poll
    std::uint32_t waits = 0;        ///< waits armed in the current poll
    WaitOp wait_op = WaitOp::recv;  ///< the last one armed
    ResourceId wait_resource = 0;
    WorkerId blocked_on = kNoWorker;  ///< in a blocking call, holding this worker's open poll
};

struct ChromeTraceWriter::Track {
    bool named = false;
    bool in_poll = false;
    TaskId poll_task = 0;
    std::int64_t poll_start = 0;
    /// Records made during the open poll: written after its slice, which can only be
    /// written once it ends (so viewers that keep file order see the slice first).
    std::string during_poll;
    std::vector<Flow> flows_in;  ///< wakes ending at the open poll
    std::uint64_t polls = 0;     ///< polls opened so far (the open one's number)
    /// Flow ends whose start is held back in this track's open poll: written after it,
    /// so a reader that pairs flow events in file order meets the start first.
    std::string after_poll;
};

ChromeTraceWriter::ChromeTraceWriter(const std::filesystem::path& path)
    : m_file(std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc)) {
    if (m_file->is_open())
        m_out = m_file.get();
    else
        m_error = "cannot open " + path.string() + " for writing";
}

ChromeTraceWriter::ChromeTraceWriter(std::ostream& out) : m_out(&out) {}

ChromeTraceWriter::~ChromeTraceWriter() = default;

std::size_t ChromeTraceWriter::memory_bytes() const {
    std::size_t bytes = m_buf.capacity();
    for (const auto& [id, t] : m_tasks)
        bytes += sizeof(t) + 32 + t.name.capacity() + t.state.capacity() +
                 t.flows.capacity() * sizeof(Flow);
    for (const auto& [w, t] : m_tracks)
        bytes += sizeof(Track) + 32 + t.during_poll.capacity() + t.after_poll.capacity() +
                 t.flows_in.capacity() * sizeof(Flow);
    for (const auto& [id, name] : m_channels)
        bytes += 2 * (name.capacity() + 48);
    return bytes;
}

// ---- JSON records -------------------------------------------------------------

void ChromeTraceWriter::process_name() {
    m_started = true;
    m_buf += "{\"traceEvents\":[\n{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"tid\":0";
    m_buf += ",\"args\":{\"name\":";
    append_string(m_buf, m_config.empty() ? std::string("spindle") : "spindle " + m_config);
    m_buf += '}';
    close_record();
}

void ChromeTraceWriter::open_record(std::string_view ph, std::string_view name, std::int64_t ns,
                                    WorkerId tid) {
    m_record_start = m_buf.size();
    m_skip_record = m_muted && ph != "M";
    m_buf += ",\n{\"ph\":\"";
    m_buf += ph;
    m_buf += "\",\"name\":";
    append_string(m_buf, name);
    m_buf += ",\"ts\":";
    append_us(m_buf, ns);
    m_buf += ",\"pid\":1,\"tid\":";
    append_uint(m_buf, tid);
}

void ChromeTraceWriter::field(std::string_view key, std::string_view value) {
    m_buf += ",\"";
    m_buf += key;
    m_buf += "\":";
    append_string(m_buf, value);
}

void ChromeTraceWriter::field(std::string_view key, std::uint64_t value) {
    m_buf += ",\"";
    m_buf += key;
    m_buf += "\":";
    append_uint(m_buf, value);
}

void ChromeTraceWriter::close_record() {
    m_buf += '}';
    if (m_skip_record) m_buf.resize(m_record_start);
    m_skip_record = false;
}

void ChromeTraceWriter::flush(bool force) {
    if (!force && m_buf.size() < kFlushBytes) return;
    if (m_out && m_error.empty()) {
        m_out->write(m_buf.data(), static_cast<std::streamsize>(m_buf.size()));
        if (!*m_out) m_error = "write failed";
    }
    m_buf.clear();
}

// ---- Tracks, tasks, channels ----------------------------------------------------

ChromeTraceWriter::Track& ChromeTraceWriter::track(WorkerId w) {
    Track& t = m_tracks[w];
    if (!t.named) {
        t.named = true;
        const std::string name =
            w == kNoWorker ? std::string("runtime") : "worker " + std::to_string(w);
        open_record("M", "thread_name", 0, w);
        m_buf += ",\"args\":{\"name\":";
        append_string(m_buf, name);
        m_buf += '}';
        close_record();
        open_record("M", "thread_sort_index", 0, w);
        m_buf += ",\"args\":{\"sort_index\":";
        m_buf += w == kNoWorker ? std::string("-1") : std::to_string(w);
        m_buf += '}';
        close_record();
    }
    return t;
}

ChromeTraceWriter::TaskState& ChromeTraceWriter::task(TaskId id) {
    auto [it, fresh] = m_tasks.try_emplace(id);
    if (fresh) it->second.name = "task " + std::to_string(id);
    return it->second;
}

std::string_view ChromeTraceWriter::task_name(TaskId id) {
    return task(id).name;
}

std::string ChromeTraceWriter::wait_text(WaitOp op, ResourceId resource) {
    std::string what(to_string(op));
    if (op == WaitOp::join) {
        what += ' ';
        what += task_name(resource);
    } else if (op != WaitOp::sleep) {
        what += ' ';
        what += channel_name(resource);
    }
    return what;
}

std::string_view ChromeTraceWriter::channel_name(ResourceId id) {
    auto [it, fresh] = m_channels.try_emplace(id);
    if (fresh) it->second = "chan " + std::to_string(id);
    return it->second;
}

void ChromeTraceWriter::set_state(TaskId id, std::int64_t ns, std::string_view state,
                                  std::string_view detail) {
    TaskState& t = task(id);
    if (!t.alive) return;  // only inside its lifetime span
    track(kNoWorker);      // async spans sit on the runtime track's thread id
    if (!t.state.empty()) {
        open_record("e", t.state, ns, kNoWorker);
        field("cat", "task");
        field("id", id);
        close_record();
    }
    t.state.assign(state);
    if (!detail.empty()) {
        t.state += ": ";
        t.state += detail;
    }
    if (t.state.empty()) return;
    open_record("b", t.state, ns, kNoWorker);
    field("cat", "task");
    field("id", id);
    close_record();
}

void ChromeTraceWriter::write_flow_end(const Flow& f, std::int64_t at, WorkerId w) {
    const std::size_t mark = m_buf.size();
    open_record("f", "wake", at, w);
    field("cat", "sched");
    field("id", f.id);
    field("bp", "e");
    close_record();
    // A start still held back in another track's open poll: the end goes after it.
    if (f.from_poll != 0 && f.from != w) {
        Track& from = m_tracks[f.from];
        if (from.in_poll && from.polls == f.from_poll) {
            from.after_poll.append(m_buf, mark);
            m_buf.resize(mark);
        }
    }
}

void ChromeTraceWriter::close_poll(WorkerId w, std::int64_t ns, std::string_view result) {
    Track& t = track(w);
    if (!t.in_poll) return;
    t.in_poll = false;
    open_record("X", task_name(t.poll_task), t.poll_start, w);
    field("cat", "sched");
    m_buf += ",\"dur\":";
    append_us(m_buf, std::max<std::int64_t>(0, ns - t.poll_start));
    m_buf += ",\"args\":{\"task\":";
    append_uint(m_buf, t.poll_task);
    field("result", result);
    m_buf += '}';
    close_record();
    // Wakes that led to this poll end at its start, bound to the slice just written —
    // or, for a wake at the very instant the poll starts, to a "woken" instant 1 ns
    // into it: the DevTools engine keys a flow's events by time, so two ends at one
    // time would collapse into one and the flow would be dropped.
    bool woken_marker = false;
    for (const Flow& f : t.flows_in) {
        if (!f.shown) continue;  // its start fell before the range
        if (f.ends_at >= 0) {
            // A blocking call's wake: it ends inside this poll, where the thread went on
            // (1 ns after the wake when both fall at one time, as above), at an instant
            // of its own: the DevTools engine ties a flow's end to an event at its time.
            const std::int64_t at = f.ends_at + (f.ends_at == f.woken_at ? 1 : 0);
            open_record("I", "unblocked", at, w);
            field("cat", "sched");
            field("s", "t");
            close_record();
            write_flow_end(f, at, w);
            continue;
        }
        const bool same_time = f.woken_at == t.poll_start;
        if (same_time && !woken_marker) {
            woken_marker = true;
            open_record("I", "woken", t.poll_start + 1, w);
            field("cat", "sched");
            field("s", "t");
            close_record();
        }
        write_flow_end(f, t.poll_start + (same_time ? 1 : 0), w);
    }
    t.flows_in.clear();
    m_buf += t.during_poll;
    t.during_poll.clear();
    m_buf += t.after_poll;
    t.after_poll.clear();
}

// ---- Conversion ------------------------------------------------------------------

void ChromeTraceWriter::set_range(std::int64_t from_ns, std::int64_t to_ns) {
    m_ranged = true;
    m_from = from_ns;
    m_to = to_ns;
    m_muted = true;
}

void ChromeTraceWriter::on_event(const Event& e, std::string_view text) {
    if (m_finished || m_past_range) return;
    if (!m_started) {
        if (e.kind == EventKind::run_start) m_config = std::string(text);
        m_last_ns = e.time_ns;
        process_name();
    }
    if (m_ranged && e.time_ns > m_to) {
        if (m_muted) enter_range();  // nothing happened inside it: still open what is open
        close_all(m_to, "cut");
        m_past_range = true;
        m_muted = true;
        flush(false);
        return;
    }
    if (m_ranged && m_muted && e.time_ns >= m_from) enter_range();
    const std::size_t mark = m_buf.size();
    const bool inside = e.kind != EventKind::poll_start && e.kind != EventKind::poll_end &&
                        e.worker != kNoWorker && m_tracks.count(e.worker) &&
                        m_tracks[e.worker].in_poll;
    convert(e, text);
    if (inside) {
        // Written after the poll's slice (see Track::during_poll).
        m_tracks[e.worker].during_poll.append(m_buf, mark);
        m_buf.resize(mark);
    }
    flush(false);
}

void ChromeTraceWriter::convert(const Event& e, std::string_view text) {
    const std::int64_t ns = e.time_ns;
    m_last_ns = std::max(m_last_ns, ns);
    switch (e.kind) {
        case EventKind::run_start: {
            const auto start = e.as<payload::RunStart>();
            track(e.worker);
            open_record("I", "run_start", ns, e.worker);
            field("s", "g");
            m_buf += ",\"args\":{\"policy\":";
            append_string(m_buf, to_string(start.policy));
            field("workers", start.workers);
            field("seed", start.seed);
            field("config", text);
            m_buf += '}';
            close_record();
            break;
        }
        case EventKind::run_end: {
            const auto end = e.as<payload::RunEnd>();
            track(e.worker);
            open_record("I", "run_end", ns, e.worker);
            field("s", "g");
            m_buf += ",\"args\":{\"outcome\":";
            append_string(m_buf, to_string(end.outcome));
            field("alive", end.alive);
            if (!text.empty()) field("reason", text);
            m_buf += '}';
            close_record();
            break;
        }
        case EventKind::worker_start: {
            const auto role = e.as<payload::WorkerStart>().role;
            Track& t = m_tracks[e.worker];
            if (t.named) break;
            t.named = true;
            open_record("M", "thread_name", 0, e.worker);
            m_buf += ",\"args\":{\"name\":";
            append_string(m_buf, (role == WorkerRole::blocking ? "blocking "
                                  : role == WorkerRole::thread ? "thread "
                                  : role == WorkerRole::rayon  ? "rayon "
                                                               : "worker ") +
                                     std::to_string(e.worker));
            m_buf += '}';
            close_record();
            open_record("M", "thread_sort_index", 0, e.worker);
            m_buf += ",\"args\":{\"sort_index\":";
            append_uint(m_buf, e.worker);
            m_buf += '}';
            close_record();
            break;
        }
        case EventKind::task_spawn: {
            TaskState& t = task(e.task);
            if (t.alive) break;
            const auto spawn = e.as<payload::TaskSpawn>();
            if (spawn.name != 0 && !text.empty()) t.name.assign(text);
            t.alive = true;
            track(e.worker);
            open_record("b", t.name, ns, e.worker);
            field("cat", "task");
            field("id", e.task);
            m_buf += ",\"args\":{\"task\":";
            append_uint(m_buf, e.task);
            field("parent", spawn.parent);
            field("flavor", to_string(spawn.flavor));
            m_buf += '}';
            close_record();
            break;
        }
        case EventKind::task_end: {
            const auto it = m_tasks.find(e.task);
            if (it == m_tasks.end() || !it->second.alive) break;
            set_state(e.task, ns, "", "");
            const auto end = e.as<payload::TaskEnd>();
            track(e.worker);
            open_record("e", it->second.name, ns, e.worker);
            field("cat", "task");
            field("id", e.task);
            m_buf += ",\"args\":{\"outcome\":";
            append_string(m_buf, to_string(end.outcome));
            if (end.error != 0) field("error", text);
            m_buf += '}';
            close_record();
            m_tasks.erase(it);  // memory follows the live tasks, not the run's length
            break;
        }
        case EventKind::task_scheduled:
            set_state(e.task, ns, "queued", "");
            break;
        case EventKind::poll_start: {
            Track& t = track(e.worker);
            if (t.in_poll) close_poll(e.worker, ns, "interrupted");
            t.in_poll = true;
            ++t.polls;
            t.poll_task = e.task;
            t.poll_start = ns;
            TaskState& task_state = task(e.task);
            t.flows_in.swap(task_state.flows);
            task_state.flows.clear();
            task_state.waits = 0;
            set_state(e.task, ns, "running", "");
            break;
        }
        case EventKind::poll_end: {
            const auto result = e.as<payload::PollEnd>().result;
            close_poll(e.worker, ns, to_string(result));
            if (result == PollResult::ready) break;  // task_end follows
            TaskState& t = task(e.task);
            if (t.waits == 0) {
                set_state(e.task, ns, result == PollResult::pending ? "idle" : "", "");
            } else if (t.waits > 1) {
                set_state(e.task, ns, "waiting", "select");
            } else {
                set_state(e.task, ns, "waiting", wait_text(t.wait_op, t.wait_resource));
            }
            break;
        }
        case EventKind::wait_start: {
            const auto wait = e.as<payload::WaitStart>();
            TaskState& t = task(e.task);
            ++t.waits;
            t.wait_op = wait.op;
            t.wait_resource = wait.resource;
            if (wait.holds_worker && t.blocked_on == kNoWorker && e.worker != kNoWorker) {
                t.blocked_on = e.worker;
                set_state(e.task, ns, "blocked", wait_text(wait.op, wait.resource));
            }
            break;
        }
        case EventKind::wait_end: {
            TaskState& t = task(e.task);
            if (t.blocked_on == kNoWorker) break;
            // The blocking call ends inside the open poll: the wakes that ended it end here.
            Track& tr = track(t.blocked_on);
            for (Flow& f : t.flows) {
                f.ends_at = ns;
                tr.flows_in.push_back(f);
            }
            t.flows.clear();
            t.blocked_on = kNoWorker;
            set_state(e.task, ns, "running", "");
            break;
        }
        case EventKind::task_wake: {
            const auto wake = e.as<payload::TaskWake>();
            track(e.worker);
            // The flow's start is bound to this instant (and, in Perfetto, to the
            // waking poll that encloses it).
            const std::string name = wake.cause == WakeCause::timer
                                         ? "timer " + std::to_string(wake.source) + " fired"
                                         : "wake " + std::string(task_name(e.task));
            open_record("I", name, ns, e.worker);
            field("cat", "sched");
            field("s", "t");
            m_buf += ",\"args\":{\"woken\":";
            append_uint(m_buf, e.task);
            field("waker", wake.waker);
            field("cause", to_string(wake.cause));
            m_buf += '}';
            close_record();
            const std::uint64_t id = ++m_flows;
            open_record("s", "wake", ns, e.worker);
            field("cat", "sched");
            field("id", id);
            close_record();
            const Track& from = m_tracks[e.worker];
            task(e.task).flows.push_back(
                {id, ns, e.worker, from.in_poll ? from.polls : 0, !m_muted});
            break;
        }
        case EventKind::resource_created: {
            const auto created = e.as<payload::ResourceCreated>();
            if (created.name == 0 || text.empty() || m_channels.count(created.resource)) break;
            std::string name(text);
            const auto [owner, fresh] = m_channel_owner.try_emplace(name, created.resource);
            if (!fresh) name += " (chan " + std::to_string(created.resource) + ")";
            m_channels.emplace(created.resource, std::move(name));
            break;
        }
        case EventKind::chan_send:
        case EventKind::chan_recv: {
            const auto message = e.kind == EventKind::chan_send ? e.as<payload::ChanSend>().chan
                                                                : e.as<payload::ChanRecv>().chan;
            const std::uint32_t len = e.kind == EventKind::chan_send
                                          ? e.as<payload::ChanSend>().len
                                          : e.as<payload::ChanRecv>().len;
            if (m_ranged) m_channel_len[message] = len;
            track(e.worker);
            const std::string name(channel_name(message));
            open_record("C", name, ns, e.worker);
            m_buf += ",\"args\":{\"len\":";
            append_uint(m_buf, len);
            m_buf += '}';
            close_record();
            break;
        }
        case EventKind::log: {
            const std::string_view message = text;
            track(e.worker);
            open_record("I", message.empty() ? std::string_view("log") : message, ns, e.worker);
            field("cat", "log");
            field("s", "t");
            m_buf += ",\"args\":{\"task\":";
            append_uint(m_buf, e.task);
            field("message", message);
            m_buf += '}';
            close_record();
            break;
        }
        default:
            break;
    }
}

void ChromeTraceWriter::enter_range() {
    m_muted = false;
    // Live tasks' spans and states, opened at the range's start (on the runtime track).
    std::vector<TaskId> alive;
    for (const auto& [id, t] : m_tasks)
        if (t.alive) alive.push_back(id);
    std::sort(alive.begin(), alive.end());
    if (!alive.empty()) track(kNoWorker);
    for (const TaskId id : alive) {
        const TaskState& t = m_tasks[id];
        open_record("b", t.name, m_from, kNoWorker);
        field("cat", "task");
        field("id", id);
        m_buf += ",\"args\":{\"task\":";
        append_uint(m_buf, id);
        field("opened", "range start");
        m_buf += '}';
        close_record();
        if (t.state.empty()) continue;
        open_record("b", t.state, m_from, kNoWorker);
        field("cat", "task");
        field("id", id);
        close_record();
    }
    // Polls open now start at the range's start.
    for (auto& [w, t] : m_tracks)
        if (t.in_poll) t.poll_start = std::max(t.poll_start, m_from);
    // Channels' lengths at the range's start.
    std::vector<ResourceId> channels;
    for (const auto& [id, len] : m_channel_len)
        channels.push_back(id);
    std::sort(channels.begin(), channels.end());
    for (const ResourceId id : channels) {
        track(kNoWorker);
        const std::string name(channel_name(id));
        open_record("C", name, m_from, kNoWorker);
        m_buf += ",\"args\":{\"len\":";
        append_uint(m_buf, m_channel_len[id]);
        m_buf += '}';
        close_record();
    }
}

void ChromeTraceWriter::close_all(std::int64_t ns, std::string_view word) {
    std::vector<WorkerId> polls;
    for (const auto& [w, t] : m_tracks)
        if (t.in_poll) polls.push_back(w);
    std::sort(polls.begin(), polls.end());
    for (const WorkerId w : polls)
        close_poll(w, ns, word);
    std::vector<TaskId> alive;
    for (const auto& [id, t] : m_tasks)
        if (t.alive) alive.push_back(id);
    std::sort(alive.begin(), alive.end());
    for (const TaskId id : alive) {
        set_state(id, ns, "", "");
        track(kNoWorker);
        open_record("e", m_tasks[id].name, ns, kNoWorker);
        field("cat", "task");
        field("id", id);
        m_buf += ",\"args\":{\"outcome\":";
        append_string(m_buf, word);
        m_buf += '}';
        close_record();
    }
}

void ChromeTraceWriter::on_finish() {
    if (m_finished) return;
    m_finished = true;
    if (!m_started) process_name();
    // What is still open closes at the last timestamp, in id order (stable output);
    // a range the run ended before closes at the run's end too.
    if (!m_past_range && !(m_ranged && m_muted)) close_all(m_last_ns, "unfinished");
    m_buf += "\n],\n\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"spindle\"}}\n";
    flush(true);
    if (m_out == nullptr) return;
    m_out->flush();
    if (!*m_out && m_error.empty()) m_error = "write failed";
    if (m_file) {
        m_file->close();
        if (m_file->fail() && m_error.empty()) m_error = "closing the file failed";
    }
    m_tasks.clear();
}

}  // namespace spindle
