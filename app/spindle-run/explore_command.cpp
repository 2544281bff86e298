#include "explore_command.h"

#include <chrono>
#include <filesystem>
#include <iostream>
#include <mutex>

#include "atomic_write.h"
#include "run_session.h"
#include "spindle/instrument/terminal_text.h"
#include "spindle/instrument/trace_file.h"

namespace spindle::cli {

namespace {

/// A file name for a class: "2-check-failed.spt".
std::string slug(std::size_t index, const std::string& label) {
    std::string s = std::to_string(index + 1) + "-";
    for (char c : label.substr(0, label.find(':'))) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            s += c;
        else if (!s.empty() && s.back() != '-')
            s += '-';
    }
    while (!s.empty() && s.back() == '-')
        s.pop_back();
    return s + ".spt";
}

}  // namespace

int run_explore(const session::ExploreRequest& request, const ExploreOutputs& outputs,
                std::ostream& out, std::ostream& err) {
    namespace fs = std::filesystem;
    if (!outputs.trace_dir.empty()) {
        std::error_code ec;
        fs::create_directories(outputs.trace_dir, ec);
        if (ec || !fs::is_directory(outputs.trace_dir)) {
            err << "spindle-run: --trace with --explore names a directory, and "
                << outputs.trace_dir << " cannot be made one\n";
            return session::kExitUsage;
        }
    }
    std::mutex progress_mutex;
    auto last = std::chrono::steady_clock::now();
    const auto started = last;
    session::ExploreProgress progress;
    if (!outputs.quiet)
        progress = [&](std::uint64_t done, std::uint64_t total, std::size_t classes) {
            std::lock_guard lock(progress_mutex);
            const auto now = std::chrono::steady_clock::now();
            if (done != total && now - last < std::chrono::milliseconds(200)) return;
            last = now;
            err << "\rexplored " << done << "/" << total << " schedules, " << classes
                << (classes == 1 ? " outcome class" : " outcome classes") << std::flush;
        };
    const session::ExploreResult result = session::explore(request, progress);
    if (!outputs.quiet && result.error.empty()) {
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        err << " in " << (s < 10 ? std::to_string(s).substr(0, 4) : std::to_string(int(s)))
            << " s\n";
    }
    if (!result.error.empty()) {
        err << result.error;
        return session::exit_code(result);
    }
    const std::string json = session::to_json(request, result);
    if (outputs.json_path == "-") {
        out << json << "\n";
    } else {
        if (!outputs.quiet) out << terminal_safe(session::to_text(request, result));
        if (!outputs.json_path.empty()) {
            session::AtomicFile file(outputs.json_path);
            file.stream() << json << "\n";
            if (const std::string why = file.commit(); !why.empty()) {
                err << "spindle-run: " << why << "\n";
                return session::kExitUsage;
            }
        }
    }
    // The first run of each class, recorded again (a run is a function of its seed).
    for (std::size_t i = 0; i < result.classes.size() && !outputs.trace_dir.empty(); ++i) {
        const session::OutcomeClass& k = result.classes[i];
        const fs::path path = fs::path(outputs.trace_dir) / slug(i, k.label);
        session::AtomicFile file(path);
        TraceWriter writer(file.stream());
        session::RunRequest run = request.run;
        run.overrides.strategy = result.config.strategy;
        if (result.config.strategy == Strategy::pct)
            run.overrides.pct_steps = result.config.pct_steps;
        run.overrides.seed = k.first_seed;
        session::SessionOptions options;
        options.build_model = false;
        options.sinks = {&writer};
        session::run_session(run, options);
        const std::string why = writer.ok() || !file.ok()
                                    ? file.commit()
                                    : "cannot write " + path.string() + ": " + writer.error();
        if (!why.empty()) {
            err << "spindle-run: the trace: " << why << "\n";
            return session::kExitUsage;
        }
        if (!outputs.quiet)
            err << "trace of seed " << k.first_seed << ": " << path.string() << "\n";
    }
    return session::exit_code(result);
}

}  // namespace spindle::cli
