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
    FanOut(EventSink& model, const std::vector<EventSink*>& sinks)
        : m_model(model), m_sinks(sinks) {}
    void on_event(const Event& e, std::string_view text) override {
        m_model.on_event(e, text);
        for (EventSink* s : m_sinks)
            s->on_event(e, text);
    }

private:
    EventSink& m_model;
    const std::vector<EventSink*>& m_sinks;
};

/// What a trace says about its run, from the model or (a trace longer than the model
/// holds) from the summary's fold; the same facts either way.
struct TraceFacts {
    int workers = 0;
    Policy policy = Policy::work_stealing;
    std::uint64_t seed = 0;
    std::uint64_t events = 0;
    std::int64_t end = 0;
    std::optional<RunOutcome> outcome;  ///< none: the trace ends before run_end
    std::string stop_reason;
    std::string config;
    std::vector<std::string> failures;  ///< each failed task's error: "file:line: msg\ntraceback"
    std::vector<std::string> checks;
};

TraceFacts facts_of(const view::RunModel& model) {
    const view::RunInfo& info = model.run();
    TraceFacts f{.workers = static_cast<int>(info.workers),
                 .policy = info.policy,
                 .seed = info.seed,
                 .events = info.events,
                 .end = info.end,
                 .outcome = info.outcome,
                 .stop_reason = info.stop_reason,
                 .config = info.config,
                 .failures = {},
                 .checks = {}};
    for (const view::TaskInfo& t : model.tasks())
        if (t.outcome == TaskOutcome::failed)
            f.failures.push_back(t.error.empty() ? "task '" + t.name + "' failed" : t.error);
    for (const view::LogLine& l : model.logs())
        if (l.check_failed) f.checks.push_back(l.text);
    return f;
}

TraceFacts facts_of(const RunSummary& summary) {
    const RunSummary::Run& run = summary.run();
    TraceFacts f{.workers = run.workers,
                 .policy = run.policy,
                 .seed = run.seed,
                 .events = run.events,
                 .end = run.duration_ns,
                 .outcome = summary.finished() ? std::optional(run.outcome) : std::nullopt,
                 .stop_reason = run.stop_reason,
                 .config = run.config,
                 .failures = {},
                 .checks = summary.checks()};
    for (const RunSummary::Task& t : summary.tasks())
        if (t.state == RunSummary::Task::State::failed)
            f.failures.push_back(t.error.empty() ? "task '" + t.name + "' failed" : t.error);
    return f;
}

/// Decodes the trace chunk by chunk (on a helper thread) straight into the model and
/// the sinks (on this one). A file that
/// turns out bad (even at its last bytes: the footer's checksum) leaves `model_ptr` a
/// fresh, empty model: what was folded before the error is never shown as a run.
/// With options.model_optional, `summary` (one of the sinks) is the fold a trace longer
/// than the model holds is reported from; the model is then dropped (`model_dropped`).
void read_trace_into(const RunRequest& request, const std::vector<EventSink*>& sinks,
                     const SessionOptions& options, std::shared_ptr<view::RunModel>& model_ptr,
                     const RunSummary* summary, bool& model_dropped, RunReport& report) {
    report.name = request.path.stem().string();
    auto load_error = [&](std::string message) {
        report.status = RunStatus::load_error;
        report.errors.push_back(std::move(message));
    };
    if (request.overrides_schedule())
        return load_error("--seed, --workers and --policy change a scenario's run; " +
                          request.path.string() + " is a recorded trace");
    view::RunModel& model = *model_ptr;
    const bool optional = summary != nullptr;
    const std::uint64_t model_cap = model_trace_events(options.max_model_events);
    UpTo model_part(model, optional ? model_cap : ~std::uint64_t{0});
    FanOut fan(model_part, sinks);
    TraceStreamOptions read;
    read.checks = TraceChecks::run;
    // Without a model to fill, as many events as spindle-run lets a run have.
    read.max_events = optional ? std::max(model_cap, lua::Budgets{}.events) : model_cap;
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
    model_part.on_finish();
    for (EventSink* s : sinks)
        s->on_finish();
    const bool whole_model = !model_part.overflowed();
    const TraceFacts f = whole_model ? facts_of(model) : facts_of(*summary);
    report.config.workers = f.workers;
    report.config.policy = f.policy;
    report.config.seed = f.seed;
    report.events = f.events;
    report.duration_ns = f.end;
    if (stopped) {
        report.status = RunStatus::cancelled;
        report.stop_reason = "cancelled";
    } else {
        report.status = f.outcome ? session::status_of(*f.outcome) : RunStatus::budget_exceeded;
        if (!f.outcome) {
            report.stop_reason = "the trace ends before the run did";
        } else if (report.status == RunStatus::budget_exceeded) {
            // run_end names what stopped the run; a cancelled run reads as it was reported.
            // Traces written before the reason was recorded carry none.
            report.stop_reason = f.stop_reason.empty()
                                     ? "the recorded run stopped at a budget (the trace does "
                                       "not say which)"
                                     : f.stop_reason;
            if (f.stop_reason == "cancelled") report.status = RunStatus::cancelled;
        }
        // The run's own name, as the live run reported it (the file may be called anything).
        if (const std::string_view c = f.config; c.rfind("scenario=", 0) == 0) {
            const std::size_t end = c.find(" workers=");
            if (end != std::string_view::npos && end > 9)
                report.name = std::string(c.substr(9, end - 9));
        }
        // As a live run reports them: "file:line: message", the traceback apart.
        for (const std::string& error : f.failures) {
            const std::string_view first = first_line(error);
            report.errors.emplace_back(first);
            report.tracebacks.push_back(first.size() < error.size() ? error.substr(first.size() + 1)
                                                                    : std::string());
        }
        report.checks = f.checks;
        // A trace holds no deadlock report: rebuild it from the events (who waits on what
        // at the end, who holds each lock, and from that the wait-for cycle).
        if (report.status == RunStatus::deadlock) {
            if (whole_model)
                report.deadlock = view::deadlock_report(model);
            else
                report.notes.push_back(
                    "the wait-for report is rebuilt from the viewer's model, "
                    "which holds " +
                    std::to_string(model_cap) + " events; this trace has more");
        }
    }
    if (!whole_model) {
        model_ptr.reset();
        model_dropped = true;
    }
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
    const bool is_trace = source == RunRequest::Source::trace_file;
    const bool optional_model = options.model_optional && (options.build_model || is_trace);
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
            read_trace_into(s.report.request, sinks, options, s.model,
                            optional_model ? s.own_summary.get() : nullptr, s.model_dropped,
                            s.report);
        } else {
            auto& events = s.report.request.budgets.events;
            if (optional_model && events > options.max_model_events) {
                // The run may outgrow the model; within the cap (--max-events) it keeps it,
                // with the events that follow the stop, as the viewer's runs do.
                sinks.push_back(&model_part.emplace(*s.model, options.max_model_events));
            } else if (s.model) {
                sinks.push_back(s.model.get());
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
