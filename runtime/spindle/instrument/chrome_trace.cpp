// Chrome Trace Event Format conversion (see chrome_trace.h for the mapping).
//
// State: ChromeTraceWriter's buffered events and texts; the conversion itself is a
// pure function of them. nlohmann::json stays inside this file.

#include "spindle/instrument/chrome_trace.h"

#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <unordered_set>

#include "spindle/instrument/event_payloads.h"

namespace spindle {

namespace {

using Json = nlohmann::ordered_json;  // keeps keys in insertion order: stable output

constexpr int kPid = 1;

double to_us(std::int64_t ns) {
    return static_cast<double>(ns) / 1000.0;
}

/// How a poll_start's slice ends, found before emitting anything.
struct PollEnd {
    std::int64_t time_ns = 0;
    std::string result;
};

class Converter {
public:
    Converter(const std::vector<Event>& events,
              const std::unordered_map<TextId, std::string>& texts)
        : m_events(events), m_texts(texts) {}

    void write(std::ostream& out) {
        scan();
        for (std::size_t i = 0; i < m_events.size(); ++i)
            convert(i);
        close_open_tasks();

        out << "{\"traceEvents\":[";
        bool first = true;
        const auto put = [&](const Json& j) {
            out << (first ? "\n" : ",\n") << dump(j);
            first = false;
        };
        for (const Json& j : metadata())
            put(j);
        if (!m_body.empty()) out << (first ? "\n" : ",\n") << m_body;
        out << "\n],\n\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"spindle\"}}\n";
    }

private:
    static std::string dump(const Json& j) {
        return j.dump(-1, ' ', false, Json::error_handler_t::replace);
    }

    std::string_view text(TextId id) const {
        const auto it = m_texts.find(id);
        return it == m_texts.end() ? std::string_view() : std::string_view(it->second);
    }

    static std::uint32_t track(const Event& e) { return e.worker; }

    std::string task_name(TaskId task) const {
        const auto it = m_task_names.find(task);
        return it != m_task_names.end() ? it->second : "task " + std::to_string(task);
    }

    std::string channel_name(std::uint32_t chan) const {
        const auto it = m_channel_names.find(chan);
        return it != m_channel_names.end() ? it->second : "chan " + std::to_string(chan);
    }

    /// First pass: names, worker roles, the last timestamp, and how every poll ends.
    void scan() {
        std::unordered_set<std::string> used_channel_names;
        std::unordered_map<WorkerId, std::size_t> open_poll;  // worker -> poll_start index
        for (std::size_t i = 0; i < m_events.size(); ++i) {
            const Event& e = m_events[i];
            m_last_ns = i == 0 ? e.time_ns : std::max(m_last_ns, e.time_ns);
            if (e.worker != kNoWorker) m_workers.try_emplace(e.worker, WorkerRole::core);
            switch (e.kind) {
                case EventKind::run_start:
                    if (m_config.empty())
                        m_config = std::string(text(e.as<payload::RunStart>().config));
                    break;
                case EventKind::worker_start:
                    m_workers[e.worker] = e.as<payload::WorkerStart>().role;
                    break;
                case EventKind::task_spawn:
                    if (const TextId name = e.as<payload::TaskSpawn>().name; name != 0)
                        m_task_names[e.task] = std::string(text(name));
                    break;
                case EventKind::resource_created: {
                    const auto created = e.as<payload::ResourceCreated>();
                    if (created.name != 0 && !m_channel_names.count(created.resource)) {
                        std::string name(text(created.name));
                        if (!used_channel_names.insert(name).second) {
                            name += " (chan " + std::to_string(created.resource) + ")";
                            used_channel_names.insert(name);
                        }
                        m_channel_names[created.resource] = std::move(name);
                    }
                    break;
                }
                case EventKind::poll_start: {
                    const auto [it, fresh] = open_poll.try_emplace(e.worker, i);
                    if (!fresh) {
                        m_poll_ends[it->second] = {e.time_ns, "interrupted"};
                        it->second = i;
                    }
                    break;
                }
                case EventKind::poll_end: {
                    const auto it = open_poll.find(e.worker);
                    if (it != open_poll.end()) {
                        m_poll_ends[it->second] = {
                            e.time_ns, std::string(to_string(e.as<payload::PollEnd>().result))};
                        open_poll.erase(it);
                    }
                    break;
                }
                default:
                    break;
            }
        }
        for (const auto& [worker, index] : open_poll) {
            m_poll_ends[index] = {m_last_ns, "unfinished"};
        }
    }

    Json base(const char* ph, std::string_view name, const Event& e) {
        m_used_tracks.insert(track(e));
        Json j;
        j["ph"] = ph;
        j["name"] = name;
        j["ts"] = to_us(e.time_ns);
        j["pid"] = kPid;
        j["tid"] = track(e);
        return j;
    }

    void emit(const Json& j) {
        if (!m_body.empty()) m_body += ",\n";
        m_body += dump(j);
    }

    void convert(std::size_t index) {
        const Event& e = m_events[index];
        switch (e.kind) {
            case EventKind::run_start: {
                const auto start = e.as<payload::RunStart>();
                Json j = base("i", "run_start", e);
                j["s"] = "g";
                j["args"] = {{"policy", to_string(start.policy)},
                             {"workers", start.workers},
                             {"seed", start.seed},
                             {"config", text(start.config)}};
                emit(j);
                break;
            }
            case EventKind::run_end: {
                const auto end = e.as<payload::RunEnd>();
                Json j = base("i", "run_end", e);
                j["s"] = "g";
                j["args"] = {{"outcome", to_string(end.outcome)}, {"alive", end.alive}};
                emit(j);
                break;
            }
            case EventKind::task_spawn: {
                if (!m_open_tasks.insert(e.task).second) break;
                const auto spawn = e.as<payload::TaskSpawn>();
                Json j = base("b", task_name(e.task), e);
                j["cat"] = "task";
                j["id"] = e.task;
                j["args"] = {{"task", e.task},
                             {"parent", spawn.parent},
                             {"flavor", to_string(spawn.flavor)}};
                emit(j);
                break;
            }
            case EventKind::task_end: {
                if (m_open_tasks.erase(e.task) == 0) break;
                const auto end = e.as<payload::TaskEnd>();
                Json j = base("e", task_name(e.task), e);
                j["cat"] = "task";
                j["id"] = e.task;
                j["args"] = {{"outcome", to_string(end.outcome)}};
                if (end.error != 0) j["args"]["error"] = text(end.error);
                emit(j);
                break;
            }
            case EventKind::poll_start: {
                const PollEnd& end = m_poll_ends[index];
                Json j = base("X", task_name(e.task), e);
                j["cat"] = "poll";
                j["dur"] = to_us(std::max<std::int64_t>(0, end.time_ns - e.time_ns));
                j["args"] = {{"task", e.task}, {"result", end.result}};
                emit(j);
                m_in_poll.insert(e.worker);
                // Wakes that led to this poll end here, bound to the slice just opened.
                const auto pending = m_pending_flows.find(e.task);
                if (pending != m_pending_flows.end()) {
                    for (const std::uint64_t id : pending->second) {
                        Json f = base("f", "wake", e);
                        f["cat"] = "wake";
                        f["id"] = id;
                        f["bp"] = "e";
                        emit(f);
                    }
                    m_pending_flows.erase(pending);
                }
                break;
            }
            case EventKind::poll_end:
                m_in_poll.erase(e.worker);
                break;
            case EventKind::task_wake: {
                const auto wake = e.as<payload::TaskWake>();
                if (!m_in_poll.count(e.worker)) {
                    // No poll to start the arrow from (a timer, or a wake from outside any
                    // task): give it a zero-length marker slice.
                    const std::string name = wake.cause == WakeCause::timer
                                                 ? "timer " + std::to_string(wake.source) + " fired"
                                                 : "wake";
                    Json m = base("X", name, e);
                    m["cat"] = "wake";
                    m["dur"] = 0;
                    m["args"] = {{"woken", e.task}, {"cause", to_string(wake.cause)}};
                    emit(m);
                }
                const std::uint64_t id = ++m_flow_count;
                Json s = base("s", "wake", e);
                s["cat"] = "wake";
                s["id"] = id;
                s["args"] = {
                    {"woken", e.task}, {"waker", wake.waker}, {"cause", to_string(wake.cause)}};
                emit(s);
                m_pending_flows[e.task].push_back(id);
                break;
            }
            case EventKind::chan_send:
                length_counter(e, e.as<payload::ChanSend>());
                break;
            case EventKind::chan_recv:
                length_counter(e, e.as<payload::ChanRecv>());
                break;
            case EventKind::log: {
                const std::string_view message = text(e.as<payload::Log>().message);
                Json j = base("i", message.empty() ? std::string_view("log") : message, e);
                j["cat"] = "log";
                j["s"] = "t";
                j["args"] = {{"task", e.task}, {"message", message}};
                emit(j);
                break;
            }
            default:
                break;
        }
    }

    /// A counter sample of a channel's buffer length (chan_send / chan_recv).
    template <class Message>
    void length_counter(const Event& e, const Message& message) {
        Json c = base("C", channel_name(message.chan), e);
        c["args"] = {{"len", message.len}};
        emit(c);
    }

    void close_open_tasks() {
        for (const TaskId task : m_open_tasks) {
            Json j;
            j["ph"] = "e";
            j["name"] = task_name(task);
            j["cat"] = "task";
            j["id"] = task;
            j["ts"] = to_us(m_last_ns);
            j["pid"] = kPid;
            j["tid"] = kNoWorker;
            j["args"] = {{"outcome", "unfinished"}};
            m_used_tracks.insert(kNoWorker);
            emit(j);
        }
    }

    std::vector<Json> metadata() const {
        std::vector<Json> out;
        const std::string process =
            m_config.empty() ? std::string("spindle") : "spindle " + m_config;
        out.push_back({{"ph", "M"},
                       {"name", "process_name"},
                       {"pid", kPid},
                       {"tid", 0},
                       {"args", {{"name", process}}}});
        std::map<std::uint32_t, std::pair<std::string, int>> tracks;  // tid -> name, sort
        for (const auto& [worker, role] : m_workers) {
            const char* prefix = role == WorkerRole::blocking ? "blocking " : "worker ";
            tracks[worker] = {prefix + std::to_string(worker), static_cast<int>(worker)};
        }
        if (m_used_tracks.count(kNoWorker)) tracks[kNoWorker] = {"runtime", -1};
        for (const auto& [tid, named] : tracks) {
            out.push_back({{"ph", "M"},
                           {"name", "thread_name"},
                           {"pid", kPid},
                           {"tid", tid},
                           {"args", {{"name", named.first}}}});
            out.push_back({{"ph", "M"},
                           {"name", "thread_sort_index"},
                           {"pid", kPid},
                           {"tid", tid},
                           {"args", {{"sort_index", named.second}}}});
        }
        return out;
    }

    const std::vector<Event>& m_events;
    const std::unordered_map<TextId, std::string>& m_texts;

    std::int64_t m_last_ns = 0;
    std::string m_config;
    std::map<WorkerId, WorkerRole> m_workers;
    std::unordered_map<TaskId, std::string> m_task_names;
    std::unordered_map<std::uint32_t, std::string> m_channel_names;
    std::unordered_map<std::size_t, PollEnd> m_poll_ends;  // poll_start index -> end

    std::set<TaskId> m_open_tasks;  // ordered: deterministic closing order
    std::unordered_set<WorkerId> m_in_poll;
    std::unordered_map<TaskId, std::vector<std::uint64_t>> m_pending_flows;
    std::uint64_t m_flow_count = 0;
    std::set<std::uint32_t> m_used_tracks;
    std::string m_body;  ///< serialized non-metadata events, comma separated
};

}  // namespace

ChromeTraceWriter::ChromeTraceWriter(const std::filesystem::path& path)
    : m_file(std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc)) {
    if (m_file->is_open())
        m_out = m_file.get();
    else
        m_error = "cannot open " + path.string() + " for writing";
}

ChromeTraceWriter::ChromeTraceWriter(std::ostream& out) : m_out(&out) {}

ChromeTraceWriter::~ChromeTraceWriter() = default;

void ChromeTraceWriter::on_event(const Event& event, std::string_view text) {
    if (m_finished) return;
    if (event.text != 0) {
        auto [it, inserted] = m_texts.try_emplace(event.text, text);
        if (!inserted && it->second.empty() && !text.empty()) it->second = std::string(text);
    }
    m_events.push_back(event);
}

void ChromeTraceWriter::on_finish() {
    if (m_finished) return;
    m_finished = true;
    if (m_out == nullptr) return;
    Converter(m_events, m_texts).write(*m_out);
    m_out->flush();
    if (!*m_out) m_error = "write failed";
    if (m_file) {
        m_file->close();
        if (m_file->fail() && m_error.empty()) m_error = "closing the file failed";
    }
    m_events.clear();
    m_events.shrink_to_fit();
}

}  // namespace spindle
