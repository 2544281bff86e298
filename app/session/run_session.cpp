#include "run_session.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <optional>

#include "deadlock_view.h"
#include "run_limits.h"
#include "spindle/instrument/event_payloads.h"
#include "spindle/instrument/trace_file.h"
#include "spindle/instrument/trace_read_ahead.h"

namespace spindle::session {

bool looks_like_trace(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (ext == ".spt") return true;
    std::ifstream in(path, std::ios::binary);
    char head[8] = {};
    in.read(head, sizeof head);
    if (in.gcount() == 0) return false;
    // The reader knows the magic: on a prefix of a trace it stops later than that.
    const TraceReadResult read =
        read_trace_bytes(std::string_view(head, static_cast<std::size_t>(in.gcount())));
    return read || read.error->code != TraceError::Code::bad_magic;
}

namespace {

/// Counts what a person would notice a script doing: tasks besides the first, prints.
class Activity final : public EventSink {
public:
    void on_event(const Event& e, std::string_view) override {
        if (e.kind == EventKind::task_spawn) ++m_spawned;
        if (e.kind == EventKind::log) ++m_printed;
    }
    /// Only the script's own main task ran, and it printed nothing.
    bool nothing_happened() const { return m_spawned <= 1 && m_printed == 0; }

private:
    std::uint64_t m_spawned = 0;
    std::uint64_t m_printed = 0;
};

RunStatus status_of(lua::ScenarioResult::Status status) {
    switch (status) {
        case lua::ScenarioResult::Status::ran:
            return RunStatus::completed;
        case lua::ScenarioResult::Status::unreadable:
            return RunStatus::load_error;
        case lua::ScenarioResult::Status::compile_error:
            return RunStatus::compile_error;
        case lua::ScenarioResult::Status::bad_settings:
            return RunStatus::bad_settings;
    }
    return RunStatus::load_error;
}

void run_scenario(const RunRequest& request, const std::vector<EventSink*>& sinks,
                  const SessionOptions& session, RunReport& report) {
    lua::ScenarioOptions options;
    options.path = request.path;
    options.overrides = request.overrides;
    options.budgets = request.budgets;
    options.sinks = sinks;
    options.cancel = session.cancel;
    options.watchdog = session.watchdog;
    const lua::ScenarioResult result =
        session.prepared ? lua::run_prepared(*session.prepared, options)
        : request.source == RunRequest::Source::scenario_source
            ? lua::run_scenario_source(request.text, request.path.string(), options)
            : lua::run_scenario(options);
    report.status =
        result.status == lua::ScenarioResult::Status::ran
            ? (result.cancelled ? RunStatus::cancelled : session::status_of(result.outcome))
            : status_of(result.status);
    report.name = result.name;
    report.description = result.description;
    report.config = result.config;
    report.errors = result.errors;
    report.tracebacks = result.tracebacks;
    report.checks = result.checks;
    report.stop_reason = result.budget_reason;
    report.deadlock = result.deadlock;
    report.events = result.events;
    report.duration_ns = result.duration.count();
}

/// Feeds `inner` the first `limit` events (and the end) and counts what it leaves out.
class UpTo final : public EventSink {
public:
    UpTo(EventSink& inner, std::uint64_t limit) : m_inner(inner), m_limit(limit) {}
    void on_event(const Event& e, std::string_view text) override {
        if (m_seen++ < m_limit) m_inner.on_event(e, text);
    }
    void on_finish() override {
        if (!overflowed()) m_inner.on_finish();
    }
    bool overflowed() const { return m_seen > m_limit; }

private:
    EventSink& m_inner;
    std::uint64_t m_limit;
    std::uint64_t m_seen = 0;
};

/// Hands every decoded event to the model and then to each sink, as a live run does.
class FanOut final : public EventSink {
public:
    FanOut(view::RunModel& model, const std::vector<EventSink*>& sinks)
        : m_model(model), m_sinks(sinks) {}
    void on_event(const Event& e, std::string_view text) override {
        m_model.on_event(e, text);
        for (EventSink* s : m_sinks)
            s->on_event(e, text);
    }

private:
    view::RunModel& m_model;
    const std::vector<EventSink*>& m_sinks;
};

/// Decodes the trace chunk by chunk (on a helper thread) straight into the model and
/// the sinks (on this one). A file that
/// turns out bad (even at its last bytes: the footer's checksum) leaves `model_ptr` a
/// fresh, empty model: what was folded before the error is never shown as a run.
void read_trace_into(const RunRequest& request, const std::vector<EventSink*>& sinks,
                     const SessionOptions& options, std::shared_ptr<view::RunModel>& model_ptr,
                     RunReport& report) {
    report.name = request.path.stem().string();
    auto load_error = [&](std::string message) {
        report.status = RunStatus::load_error;
        report.errors.push_back(std::move(message));
    };
    if (request.overrides_schedule())
        return load_error("--seed, --workers and --policy change a scenario's run; " +
                          request.path.string() + " is a recorded trace");
    view::RunModel& model = *model_ptr;
    FanOut fan(model, sinks);
    TraceStreamOptions read;
    read.checks = TraceChecks::run;
    read.max_events = options.max_model_events;
    read.cancel = options.cancel;
    if (options.read_progress)
        read.progress = [&options](const TraceReadProgress& p) {
            options.read_progress(p.bytes, p.total);
        };
    const TraceStreamResult result = options.read_ahead
                                         ? stream_trace_read_ahead(request.path, fan, read)
                                         : stream_trace(request.path, fan, read);
    if (result.error) {
        model_ptr = std::make_shared<view::RunModel>();
        const TraceError& e = *result.error;
        return load_error(request.path.string() + ": cannot read the trace (" +
                          std::string(to_string(e.code)) + " at byte " + std::to_string(e.offset) +
                          "): " + e.message);
    }
    const bool stopped = result.cancelled;
    model.on_finish();
    for (EventSink* s : sinks)
        s->on_finish();
    const view::RunInfo& info = model.run();
    report.config.workers = static_cast<int>(info.workers);
    report.config.policy = info.policy;
    report.config.seed = info.seed;
    report.events = info.events;
    report.duration_ns = info.end;
    if (stopped) {
        report.status = RunStatus::cancelled;
        report.stop_reason = "cancelled";
        return;
    }
    report.status = info.outcome ? session::status_of(*info.outcome) : RunStatus::budget_exceeded;
    if (!info.outcome) {
        report.stop_reason = "the trace ends before the run did";
    } else if (report.status == RunStatus::budget_exceeded) {
        // run_end names what stopped the run; a cancelled run reads as it was reported.
        // Traces written before the reason was recorded carry none.
        report.stop_reason = info.stop_reason.empty()
                                 ? "the recorded run stopped at a budget (the trace does not "
                                   "say which)"
                                 : info.stop_reason;
        if (info.stop_reason == "cancelled") report.status = RunStatus::cancelled;
    }
    // The run's own name, as the live run reported it (the file may be called anything).
    if (const std::string_view c = info.config; c.rfind("scenario=", 0) == 0) {
        const std::size_t end = c.find(" workers=");
        if (end != std::string_view::npos && end > 9)
            report.name = std::string(c.substr(9, end - 9));
    }
    // As a live run reports them: "file:line: message", the traceback apart.
    for (const view::TaskInfo& t : model.tasks()) {
        if (t.outcome != TaskOutcome::failed) continue;
        const std::string_view first = first_line(t.error);
        report.errors.push_back(t.error.empty() ? "task '" + t.name + "' failed"
                                                : std::string(first));
        report.tracebacks.push_back(first.size() < t.error.size() ? t.error.substr(first.size() + 1)
                                                                  : std::string());
    }
    // A trace holds no deadlock report: rebuild it from the events (who waits on what
    // at the end, who holds each lock, and from that the wait-for cycle).
    if (report.status == RunStatus::deadlock) report.deadlock = view::deadlock_report(model);
    for (const view::LogLine& l : model.logs())
        if (l.check_failed) report.checks.push_back(l.text);
}

/// Why the file a request names must not be read: a FIFO (opening it blocks until a
/// writer comes), a device (it may never end), or a file beyond its kind's size
/// limit. Nothing for a missing file: the reader reports that as it always has.
std::optional<std::string> refuse_input(const std::filesystem::path& path,
                                        RunRequest::Source source) {
    // Only a regular file is opened (looks_like_trace reads its head); a trace is known
    // by its name or its magic bytes, as run_session decides below.
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (!fs::exists(st) || fs::is_directory(st)) return std::nullopt;
    if (!fs::is_regular_file(st))
        return path.string() +
               ": not a regular file (a pipe, socket or device); save it to a file first";
    const std::uintmax_t size = fs::file_size(path, ec);
    const bool trace = source == RunRequest::Source::trace_file ||
                       (source == RunRequest::Source::file && looks_like_trace(path));
    const std::uint64_t limit = trace ? kMaxTraceFileBytes : kMaxScriptBytes;
    if (!ec && size > limit)
        return path.string() + ": " + std::to_string(size >> 20) + " MiB is larger than the " +
               std::to_string(limit >> 20) + " MiB a " + (trace ? "trace" : "scenario script") +
               " may have";
    return std::nullopt;
}

}  // namespace

Session run_session(const RunRequest& request, const SessionOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    Session s;
    s.report.request = request;
    RunRequest::Source source = request.source;
    if (source != RunRequest::Source::scenario_source) {
        // Checked before anything else opens the file.
        if (auto refused = refuse_input(request.path, source)) {
            s.report.status = RunStatus::load_error;
            s.report.name = request.path.stem().string();
            s.report.errors.push_back(std::move(*refused));
            s.model = std::make_shared<view::RunModel>();
            return s;
        }
    }
    if (source == RunRequest::Source::file)
        source = looks_like_trace(request.path) ? RunRequest::Source::trace_file
                                                : RunRequest::Source::scenario_file;
    s.report.request.source = source;

    // One fold of the statistics: the model's when there is a model, else our own.
    Activity activity;
    std::vector<EventSink*> sinks{&activity};
    const bool optional_model =
        options.model_optional && options.build_model && source != RunRequest::Source::trace_file;
    if (source == RunRequest::Source::trace_file || options.build_model)
        s.model = std::make_shared<view::RunModel>();
    if (!s.model || optional_model) {
        auto summary = std::make_shared<RunSummary>();
        sinks.push_back(summary.get());
        s.own_summary = std::move(summary);
    }
    std::optional<UpTo> model_part;
    try {
        if (source == RunRequest::Source::trace_file) {
            sinks.insert(sinks.end(), options.sinks.begin(), options.sinks.end());
            read_trace_into(s.report.request, sinks, options, s.model, s.report);
        } else {
            if (optional_model) {
                sinks.push_back(&model_part.emplace(*s.model, options.max_model_events));
            } else if (s.model) {
                sinks.push_back(s.model.get());
                auto& events = s.report.request.budgets.events;
                events = std::min<std::uint64_t>(events, options.max_model_events);
            }
            sinks.insert(sinks.end(), options.sinks.begin(), options.sinks.end());
            run_scenario(s.report.request, sinks, options, s.report);
        }
    } catch (const std::exception& e) {
        // Whatever was folded before the failure is not trusted.
        const RunRequest kept = s.report.request;
        s.report = RunReport();
        s.report.request = kept;
        s.report.status = RunStatus::load_error;
        s.report.name = request.path.stem().string();
        s.report.errors.push_back(request.path.string() + ": " + e.what());
        if (s.model) s.model = std::make_shared<view::RunModel>();
        if (s.own_summary) s.own_summary = std::make_shared<RunSummary>();
    }
    if (model_part && model_part->overflowed()) {
        s.model.reset();
        s.model_dropped = true;
    }
    if (s.report.status == RunStatus::completed && activity.nothing_happened())
        s.report.notes.push_back("the run spawned no task and printed nothing");
    s.report.wall = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    return s;
}

}  // namespace spindle::session
