// spindle-run: run a scenario script on the simulated runtime, or read a recorded trace,
// and report.
//
// Exit status: 0 completed; 1 a task failed or the script did not compile;
// 2 bad command line or unreadable file; 3 deadlock; 4 a budget was exceeded.
#include <cxxopts.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "atomic_write.h"
#include "budget_flags.h"
#include "critical_path.h"
#include "explain.h"
#include "explore_command.h"
#include "live_printer.h"
#include "run_limits.h"
#include "run_session.h"
#include "schedule_flags.h"
#include "spindle/instrument/chrome_trace.h"
#include "spindle/instrument/run_summary.h"
#include "spindle/instrument/summary_json.h"
#include "spindle/instrument/terminal_text.h"
#include "spindle/instrument/text_dump.h"
#include "spindle/instrument/text_table.h"
#include "spindle/instrument/trace_file.h"
#include "spindle_version.h"
#include "time_range.h"

using namespace spindle;

namespace {

using session::kExitUsage;

int usage_error(const std::string& message) {
    std::cerr << "spindle-run: " << message << "\n"
              << "Try 'spindle-run --help' for more information.\n";
    return kExitUsage;
}

/// Why `args` cannot apply to the recorded trace `path`: options that change or limit a
/// run, and --explore. Nothing when they all can.
std::optional<std::string> refused_on_trace(const cxxopts::ParseResult& args,
                                            const std::string& path) {
    const std::string what = " is a recorded trace";
    if (args.count("explore")) return "--explore runs a scenario's schedules; " + path + what;
    std::vector<std::string> run_options = {"workers", "seed", "policy"};
    for (const session::BudgetFlag& f : session::kScheduleFlags)
        run_options.emplace_back(f.name);
    for (const std::string& name : run_options)
        if (args.count(name)) return "--" + name + " changes a scenario's run; " + path + what;
    for (const session::BudgetFlag& f : session::kBudgetFlags)
        if (args.count(std::string(f.name)))
            return "--" + std::string(f.name) + " limits a scenario's run; " + path + what;
    return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
    // The description and usage are printed by --help below, in the GNU layout that
    // help2man turns into the man page (packaging/CMakeLists.txt).
    cxxopts::Options opts("spindle-run", "");
    // clang-format off
    opts.add_options()
        ("w,workers", "worker threads (overrides scenario{workers=})", cxxopts::value<std::string>())
        ("s,seed", "seed of every random choice (overrides scenario{seed=})", cxxopts::value<std::string>())
        ("policy", "work-stealing | global-queue | current-thread", cxxopts::value<std::string>())
        ("trace", "write the native trace file", cxxopts::value<std::string>())
        ("chrome-trace", "write Chrome Trace Event JSON (opens in Perfetto)", cxxopts::value<std::string>())
        ("range", "write only FROM:TO (ms of virtual time, fractions allowed) to --chrome-trace: a piece of a run too long for JSON readers", cxxopts::value<std::string>(), "FROM:TO")
        ("events", "print every event as text on stdout (prints and tables go to stderr)")
        ("summary-json", "write the run summary as JSON ('-' for stdout)", cxxopts::value<std::string>())
        ("explain", "after the run, explain why TASK (a name or #id) waited: its waits' causes, its time's breakdown and its critical path", cxxopts::value<std::string>(), "TASK")
        ("explore", "run N schedules (seeds from --seed or the scenario's on) in parallel and print the outcome classes", cxxopts::value<std::string>(), "N")
        ("jobs", "with --explore: runs at once (default: one per core)", cxxopts::value<std::string>(), "J")
        ("explore-json", "with --explore: write the outcome classes as JSON ('-' for stdout)", cxxopts::value<std::string>(), "FILE")
        ("q,quiet", "print only errors")
        ("h,help", "show this help")
        ("version", "show the version")
        ("scenario", "the scenario file, or a trace", cxxopts::value<std::vector<std::string>>());
    // clang-format on
    for (const session::BudgetFlag& f : session::kScheduleFlags)
        opts.add_options()(std::string(f.name), std::string(f.help), cxxopts::value<std::string>(),
                           std::string(f.value));
    for (const session::BudgetFlag& f : session::kBudgetFlags)
        opts.add_options()(std::string(f.name), std::string(f.help), cxxopts::value<std::string>());
    opts.parse_positional({"scenario"});

    cxxopts::ParseResult args;
    try {
        args = opts.parse(argc, argv);
    } catch (const std::exception& e) {
        return usage_error(e.what());
    }
    if (args.count("help")) {
        std::string options = opts.help();
        options.erase(0, options.find("\n\n") + 2);  // cxxopts' own usage lines
        std::cout << "Usage: spindle-run [options] SCENARIO.lua | TRACE.spt\n"
                     "Run a Spindle scenario script on the deterministic simulated runtime "
                     "and report\nwhat happened; or report a recorded trace the same way "
                     "(its prints, tables,\n--summary-json, --explain, --chrome-trace, "
                     "--events and exit status).\n\n"
                  << options
                  << "\nExit status: 0 completed; 1 a task failed or the script "
                     "did not compile;\n2 bad command line or unreadable file; 3 "
                     "deadlock; 4 a budget was exceeded.\n";
        return 0;
    }
    if (args.count("version")) {
        std::cout << "spindle-run " << build_info::kVersion << "\n";
        return 0;
    }
    if (!args.count("scenario")) return usage_error("no scenario or trace file given");
    const auto& files = args["scenario"].as<std::vector<std::string>>();
    if (files.size() != 1) return usage_error("give exactly one scenario or trace file");

    session::RunRequest request;
    // A scenario, or a recorded trace (by its .spt name or its magic bytes): a trace is
    // reported as its run was, without running anything.
    request.source = session::RunRequest::Source::file;
    request.path = files.front();
    session::SessionOptions options;
    // The breakdowns and explanations are read from the viewer's model; a run longer than
    // it holds goes on without them (the options must not change how the run ends).
    options.build_model = args.count("explain") > 0 || args.count("summary-json") > 0;
    options.model_optional = true;
    auto uint_option = [&](const char* name, std::uint64_t lo,
                           std::uint64_t hi) -> std::optional<std::uint64_t> {
        if (!args.count(name)) return std::nullopt;
        auto v = session::parse_decimal(args[name].as<std::string>());
        if (!v || *v < lo || *v > hi)
            throw std::invalid_argument(std::string("--") + name + " expects an integer from " +
                                        std::to_string(lo) + " to " + std::to_string(hi));
        return v;
    };
    try {
        if (auto v = uint_option("workers", 1, kMaxWorkers))
            request.overrides.workers = static_cast<int>(*v);
        if (auto v = uint_option("seed", 0, session::kMaxSeed)) request.overrides.seed = *v;
        if (args.count("policy")) {
            auto p = parse_policy(args["policy"].as<std::string>());
            if (!p)
                throw std::invalid_argument(
                    "--policy expects work-stealing, global-queue or current-thread");
            request.overrides.policy = *p;
        }
        for (const session::BudgetFlag& f : session::kScheduleFlags) {
            const std::string name(f.name);
            if (!args.count(name)) continue;
            if (auto error =
                    session::set_schedule(request.overrides, name, args[name].as<std::string>()))
                throw std::invalid_argument(*error);
        }
        for (const session::BudgetFlag& f : session::kBudgetFlags) {
            const std::string name(f.name);
            if (!args.count(name)) continue;
            if (auto error =
                    session::set_budget(request.budgets, name, args[name].as<std::string>()))
                throw std::invalid_argument(*error);
        }
        if (args.count("explore")) {
            for (const char* other : {"chrome-trace", "events", "summary-json", "explain", "range"})
                if (args.count(other))
                    throw std::invalid_argument(std::string("--") + other +
                                                " cannot be combined with --explore");
        } else {
            for (const char* only : {"jobs", "explore-json"})
                if (args.count(only))
                    throw std::invalid_argument(std::string("--") + only + " applies to --explore");
        }
        if (args.count("range") && !args.count("chrome-trace"))
            throw std::invalid_argument("--range applies to --chrome-trace");
    } catch (const std::exception& e) {
        return usage_error(e.what());
    }
    std::optional<std::pair<std::int64_t, std::int64_t>> range;
    if (args.count("range")) {
        range = session::parse_ms_range(args["range"].as<std::string>());
        if (!range)
            return usage_error("--range expects FROM:TO in ms with 0 <= FROM < TO (got '" +
                               args["range"].as<std::string>() + "')");
    }

    // An output that is the input file would replace the script (or trace) being read.
    for (const char* output : {"trace", "chrome-trace", "summary-json", "explore-json"}) {
        if (!args.count(output)) continue;
        const std::string path = args[output].as<std::string>();
        std::error_code same_ec;
        if (path != "-" && std::filesystem::equivalent(path, request.path, same_ec))
            return usage_error(std::string("--") + output + " " + path +
                               " would overwrite the file it reads");
    }
    // (A FIFO or device is not opened here: run_session refuses it by its type.)
    std::error_code ec;
    const bool is_trace = std::filesystem::is_regular_file(request.path, ec) &&
                          session::looks_like_trace(request.path);
    if (is_trace)
        if (auto refused = refused_on_trace(args, request.path.string()))
            return usage_error(*refused);

    const bool quiet = args.count("quiet") > 0;
    if (args.count("explore")) {
        session::ExploreRequest explore;
        explore.run = request;
        explore.run.overrides.seed.reset();
        if (request.overrides.seed) {
            explore.base_seed = *request.overrides.seed;
            explore.base_seed_given = true;
        }
        try {
            explore.runs = *uint_option("explore", 1, 10'000'000);
            if (auto j = uint_option("jobs", 1, 1024)) explore.jobs = static_cast<unsigned>(*j);
        } catch (const std::exception& e) {
            return usage_error(e.what());
        }
        cli::ExploreOutputs outputs;
        outputs.quiet = quiet;
        if (args.count("explore-json")) outputs.json_path = args["explore-json"].as<std::string>();
        if (args.count("trace")) outputs.trace_dir = args["trace"].as<std::string>();
        return cli::run_explore(explore, outputs, std::cout, std::cerr);
    }
    const bool json_to_stdout =
        args.count("summary-json") && args["summary-json"].as<std::string>() == "-";
    // stdout carries one product: the prints and tables, or the event dump, or the JSON.
    const bool events_to_stdout = args.count("events") > 0;
    std::ostream& report = json_to_stdout || events_to_stdout ? std::cerr : std::cout;

    cli::LivePrinter printer(report);
    if (!quiet) options.sinks.push_back(&printer);
    std::optional<TextDump> dump;
    if (args.count("events")) {
        dump.emplace(std::cout);
        options.sinks.push_back(&*dump);
    }
    std::unique_ptr<session::AtomicFile> trace_file, chrome_file;
    std::unique_ptr<TraceWriter> trace;
    std::unique_ptr<ChromeTraceWriter> chrome;
    for (auto [name, file] :
         {std::pair{"trace", &trace_file}, std::pair{"chrome-trace", &chrome_file}}) {
        if (!args.count(name)) continue;
        *file = std::make_unique<session::AtomicFile>(args[name].as<std::string>());
        if (!(*file)->ok()) {
            std::cerr << "spindle-run: " << (*file)->commit() << "\n";  // names the reason
            return kExitUsage;
        }
    }
    if (trace_file) {
        trace = std::make_unique<TraceWriter>(trace_file->stream());
        options.sinks.push_back(trace.get());
    }
    if (chrome_file) {
        chrome = std::make_unique<ChromeTraceWriter>(chrome_file->stream());
        if (range) chrome->set_range(range->first, range->second);
        options.sinks.push_back(chrome.get());
    }

    const session::Session run = session::run_session(request, options);
    const session::RunReport& result = run.report;

    if (!result.ran()) {
        std::cerr << result.diagnostics();
        return result.exit_code();
    }
    bool outputs_ok = true;
    // A write that failed says why (commit() reports it); a writer that failed for
    // its own reasons leaves nothing behind.
    auto commit = [&](session::AtomicFile& file, const std::string& writer_error,
                      const char* what) {
        std::string why;
        if (writer_error.empty() || !file.ok()) {
            why = file.commit();
        } else {
            file.discard();
            why = "cannot write " + file.path().string() + ": " + writer_error;
        }
        if (why.empty()) return;
        std::cerr << "spindle-run: the " << what << ": " << why << "\n";
        outputs_ok = false;
    };
    if (trace_file) commit(*trace_file, trace->error(), "trace");
    if (chrome_file) commit(*chrome_file, chrome->error(), "Chrome trace");

    std::cerr << result.diagnostics();
    if (!quiet) report << "\n" << to_text_tables(run.summary());  // cells: controls are '?'
    const auto too_long_for = [&](const char* what) {
        const std::uint64_t holds = result.from_trace()
                                        ? session::model_trace_events(options.max_model_events)
                                        : options.max_model_events;
        return "spindle-run: " + std::string(what) + ": the run has " +
               std::to_string(result.events) + " events, more than the " + std::to_string(holds) +
               " they are read from";
    };
    // An explanation that cannot be given is a usage error (status 2), after the other
    // outputs are written.
    bool explain_failed = false;
    if (args.count("explain") && run.model_dropped) {
        std::cerr << too_long_for("--explain")
                  << (result.from_trace() ? "; record a shorter run to explain a task\n"
                                          : "; stop it sooner (--max-events " +
                                                std::to_string(options.max_model_events) +
                                                " or less) to explain a task\n");
        explain_failed = true;
    } else if (args.count("explain")) {
        const std::string name = args["explain"].as<std::string>();
        const auto task = run.model ? view::find_task(*run.model, name) : std::nullopt;
        if (!task) {
            std::cerr << "spindle-run: --explain: no task named '" << name
                      << "' in this run (give a task's name or #id)\n";
            explain_failed = true;
        } else {
            report << "\n"
                   << terminal_safe(view::to_text(
                          view::explain_task(*run.model, view::WorkerIdle(*run.model), *task)));
        }
    }
    if (args.count("summary-json")) {
        if (run.model_dropped)
            std::cerr << too_long_for("--summary-json: no task breakdowns")
                      << "; everything else is there\n";
        const std::string json =
            run.model ? to_json(run.summary(), result.deadlock ? &*result.deadlock : nullptr,
                                result.name, 2, view::summary_breakdowns(*run.model))
                      : to_json(run.summary(), result.deadlock ? &*result.deadlock : nullptr,
                                result.name);
        if (json_to_stdout) {
            std::cout << json << "\n";
        } else {
            session::AtomicFile out(args["summary-json"].as<std::string>());
            out.stream() << json << "\n";
            if (const std::string why = out.commit(); !why.empty()) {
                std::cerr << "spindle-run: " << why << "\n";
                outputs_ok = false;
            }
        }
    }
    // A full disk or a closed pipe on stdout loses the product: say so in the status.
    std::cout.flush();
    if (!std::cout) {
        std::cerr << "spindle-run: writing to standard output failed\n";
        outputs_ok = false;
    }
    if (explain_failed) return kExitUsage;
    const int code = result.exit_code();
    return code == 0 && !outputs_ok ? kExitUsage : code;
}
