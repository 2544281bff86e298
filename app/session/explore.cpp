#include "explore.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "deadlock_view.h"
#include "run_session.h"
#include "spindle/instrument/event_payloads.h"
#include "spindle/instrument/terminal_text.h"

namespace spindle::session {

namespace {

/// Counts the polls of a run: PCT's estimate of a run's length in scheduling choices.
class PollCounter final : public EventSink {
public:
    void on_event(const Event& e, std::string_view) override {
        if (e.kind == EventKind::poll_start) ++polls;
    }
    std::uint64_t polls = 0;
};

std::string first_line(const std::string& s) {
    return s.substr(0, s.find('\n'));
}

/// The class a finished run falls in: its label, location and message as it was.
struct Classified {
    std::string label, location, example;
};

Classified classify(const RunReport& r) {
    Classified c;
    std::string word(session::word(r.status));
    switch (r.status) {
        case RunStatus::completed:
            c.label = word;
            return c;
        case RunStatus::check_failed:
            if (!r.checks.empty())
                std::tie(c.location, c.example) = split_location(r.checks.front());
            break;
        case RunStatus::failed:
            if (!r.errors.empty())
                std::tie(c.location, c.example) = split_location(first_line(r.errors.front()));
            break;
        case RunStatus::deadlock:
            // The headline already reads "deadlock: a ⇄ b over m1, m2".
            if (r.deadlock) {
                c.example = view::deadlock_headline(*r.deadlock);
                c.label = normalise_message(c.example);
                return c;
            }
            break;
        default:
            c.example = r.stop_reason;
            break;
    }
    c.label = c.example.empty() ? word : word + ": " + normalise_message(c.example);
    return c;
}

std::string quoted(const std::string& s) {
    if (!s.empty() &&
        s.find_first_not_of(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./+=:,") ==
            std::string::npos)
        return s;
    std::string out = "'";
    for (char ch : s) {
        if (ch == '\'')
            out += "'\\''";
        else
            out += ch;
    }
    return out + "'";
}

}  // namespace

// The message helpers below scan by hand rather than with std::regex: explore calls
// them from every job's thread, and libstdc++'s regex reads a ctype cache that other
// threads fill (ThreadSanitizer reports the race); they are faster too.

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_hex(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
/// A regex \w character in the "C" locale (bytes of UTF-8 sequences are not).
bool is_word(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// The length of a duration at `i` ("3.25 ms", "12us", "5 s"), standing alone as a
/// word, and its unit; 0 when there is none.
std::size_t duration_at(std::string_view s, std::size_t i, std::string_view& unit) {
    if (i > 0 && is_word(s[i - 1])) return 0;
    std::size_t j = i;
    while (j < s.size() && is_digit(s[j]))
        ++j;
    if (j == i) return 0;
    if (j + 1 < s.size() && s[j] == '.' && is_digit(s[j + 1])) {
        j += 1;
        while (j < s.size() && is_digit(s[j]))
            ++j;
    }
    for (const bool spaced : {true, false}) {
        if (spaced && !(j < s.size() && is_space(s[j]))) continue;
        const std::size_t k = j + (spaced ? 1 : 0);
        for (const std::string_view u : {"ns", "\u00b5s", "us", "ms", "s"}) {
            if (s.substr(k, u.size()) != u) continue;
            const std::size_t end = k + u.size();
            if (end < s.size() && is_word(s[end])) continue;
            unit = u;
            return end - i;
        }
    }
    return 0;
}

}  // namespace

std::pair<std::string, std::string> split_location(const std::string& text) {
    // "file:line: ": a file that starts with neither a space nor a colon, a line number.
    if (text.empty() || is_space(text[0]) || text[0] == ':') return {std::string(), text};
    const std::size_t colon = text.find(':');
    if (colon == std::string::npos) return {std::string(), text};
    std::size_t end = colon + 1;
    while (end < text.size() && is_digit(text[end]))
        ++end;
    if (end == colon + 1 || text.compare(end, 2, ": ") != 0) return {std::string(), text};
    return {text.substr(0, end), text.substr(end + 2)};
}

std::string normalise_message(std::string_view message) {
    std::string out;
    out.reserve(message.size());
    std::size_t i = 0;
    while (i < message.size()) {
        if (message.compare(i, 2, "0x") == 0 && i + 2 < message.size() && is_hex(message[i + 2])) {
            i += 2;
            while (i < message.size() && is_hex(message[i]))
                ++i;
            out += "0x\u2026";
            continue;
        }
        std::string_view unit;
        if (const std::size_t n = duration_at(message, i, unit)) {
            out += "N ";
            out += unit;
            i += n;
            continue;
        }
        out += message[i++];
    }
    return out;
}

ExploreResult explore(const ExploreRequest& request, const ExploreProgress& progress,
                      const std::atomic<bool>* cancel) {
    ExploreResult result;
    // A first run with the fixed schedule: it checks that the scenario runs at all,
    // gives the base seed when none was given, and PCT's estimate of the run's length.
    RunRequest probe = request.run;
    probe.overrides.strategy = Strategy::fixed;
    probe.overrides.jitter_pct.reset();
    probe.overrides.seed.reset();
    if (request.base_seed_given) probe.overrides.seed = request.base_seed;
    PollCounter counter;
    SessionOptions probe_options;
    probe_options.build_model = false;
    probe_options.sinks = {&counter};
    probe_options.cancel = cancel;
    const Session first = run_session(probe, probe_options);
    if (!first.report.ran()) {
        result.error = first.report.diagnostics();
        result.error_exit_code = first.report.exit_code();
        return result;
    }
    result.base_seed = request.base_seed_given ? request.base_seed : first.report.config.seed;

    RunRequest base = request.run;
    base.source = first.report.request.source;  // a file's kind is known now
    // The script is compiled and its settings read once, here, for all runs: a run
    // then only loads the bytecode into its fresh state. A run alone does the same
    // two steps, so it gives the same events (see lua/scenario.h).
    std::optional<lua::PreparedScenario> prepared;
    if (base.source == RunRequest::Source::scenario_source) {
        prepared = lua::prepare_scenario(base.text, base.path.string(), base.budgets);
    } else if (base.source == RunRequest::Source::scenario_file) {
        std::ifstream in(base.path, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (in && !in.bad())
            prepared = lua::prepare_scenario(text.str(), base.path.string(), base.budgets);
    }
    const Strategy strategy = base.overrides.strategy.value_or(first.report.config.strategy);
    base.overrides.strategy = strategy;
    if (strategy == Strategy::pct && !base.overrides.pct_steps)
        base.overrides.pct_steps = std::max<std::uint64_t>(counter.polls, 1);

    std::mutex mutex;
    std::map<std::string, OutcomeClass> classes;
    std::atomic<std::uint64_t> next{0}, done{0};
    std::atomic<bool> config_set{false};
    auto worker = [&] {
        // One watchdog thread for all the runs of this job, armed by each in turn.
        const std::shared_ptr<lua::Watchdog> watchdog = lua::make_watchdog();
        for (;;) {
            if (cancel && cancel->load(std::memory_order_relaxed)) return;
            const std::uint64_t i = next.fetch_add(1);
            if (i >= request.runs) return;
            RunRequest run = base;
            const std::uint64_t seed = result.base_seed + i;
            run.overrides.seed = seed;
            SessionOptions options;
            options.build_model = false;
            options.cancel = cancel;
            options.watchdog = watchdog.get();
            if (prepared) options.prepared = &*prepared;
            const Session s = run_session(run, options);
            if (s.report.cancelled()) return;
            const Classified c = classify(s.report);
            {
                std::lock_guard lock(mutex);
                if (i == 0 || !config_set.exchange(true)) result.config = s.report.config;
                auto [it, fresh] = classes.try_emplace(c.label);
                OutcomeClass& k = it->second;
                if (fresh) {
                    k.label = c.label;
                    k.status = s.report.status;
                    k.first_seed = seed;
                    k.shortest_seed = seed;
                    k.shortest_events = s.report.events;
                }
                ++k.count;
                if (seed <= k.first_seed) {
                    k.first_seed = seed;
                    k.location = c.location;
                    k.example = c.example;
                }
                if (s.report.events < k.shortest_events ||
                    (s.report.events == k.shortest_events && seed < k.shortest_seed)) {
                    k.shortest_events = s.report.events;
                    k.shortest_seed = seed;
                }
            }
            const std::uint64_t n = done.fetch_add(1) + 1;
            if (progress) {
                std::size_t count;
                {
                    std::lock_guard lock(mutex);
                    count = classes.size();
                }
                progress(n, request.runs, count);
            }
        }
    };
    unsigned jobs = request.jobs ? request.jobs : std::max(1u, std::thread::hardware_concurrency());
    jobs = static_cast<unsigned>(
        std::min<std::uint64_t>(jobs, std::max<std::uint64_t>(1, request.runs)));
    std::vector<std::thread> threads;
    for (unsigned j = 1; j < jobs; ++j)
        threads.emplace_back(worker);
    worker();
    for (std::thread& t : threads)
        t.join();

    result.runs = done.load();
    result.cancelled = result.runs < request.runs;
    result.config.seed = result.base_seed;
    result.config.strategy = strategy;
    if (base.overrides.pct_steps) result.config.pct_steps = *base.overrides.pct_steps;
    for (auto& [label, k] : classes)
        result.classes.push_back(std::move(k));
    std::sort(result.classes.begin(), result.classes.end(),
              [](const OutcomeClass& a, const OutcomeClass& b) {
                  return a.count != b.count ? a.count > b.count : a.first_seed < b.first_seed;
              });
    return result;
}

std::string replay_command(const ExploreRequest& request, const ExploreResult& result,
                           std::uint64_t seed) {
    const lua::ScenarioSettings& o = request.run.overrides;
    const RuntimeConfig& c = result.config;
    std::string cmd = "spindle-run";
    if (o.workers) cmd += " --workers " + std::to_string(*o.workers);
    if (o.policy) cmd += " --policy " + std::string(to_string(*o.policy));
    cmd += " --strategy " + std::string(to_string(c.strategy));
    if (c.strategy == Strategy::pct)
        cmd += " --depth " + std::to_string(c.pct_depth) + " --pct-steps " +
               std::to_string(c.pct_steps);
    if (c.jitter_pct) cmd += " --jitter " + std::to_string(c.jitter_pct);
    cmd += " --seed " + std::to_string(seed) + " " + quoted(request.run.path.string());
    return cmd;
}

int exit_code(const ExploreResult& result) {
    if (!result.error.empty()) return result.error_exit_code;
    for (const OutcomeClass& k : result.classes)  // most frequent first
        if (k.status != RunStatus::completed) return session::exit_code(k.status);
    return kExitOk;
}

std::string to_json(const ExploreRequest& request, const ExploreResult& result) {
    using Json = nlohmann::ordered_json;
    Json j;
    j["scenario"] = request.run.path.string();
    j["strategy"] = std::string(to_string(result.config.strategy));
    if (result.config.strategy == Strategy::pct) {
        j["depth"] = result.config.pct_depth;
        j["pct_steps"] = result.config.pct_steps;
    }
    j["jitter_pct"] = result.config.jitter_pct;
    j["workers"] = result.config.workers;
    j["policy"] = std::string(to_string(result.config.policy));
    j["base_seed"] = result.base_seed;
    j["runs"] = result.runs;
    j["cancelled"] = result.cancelled;
    Json classes = Json::array();
    for (const OutcomeClass& k : result.classes) {
        Json o;
        o["outcome"] = k.label;
        o["status"] = std::string(word(k.status));
        o["exit_code"] = session::exit_code(k.status);
        o["count"] = k.count;
        o["share"] =
            result.runs ? static_cast<double>(k.count) / static_cast<double>(result.runs) : 0.0;
        o["first_seed"] = k.first_seed;
        o["shortest_seed"] = k.shortest_seed;
        o["shortest_events"] = k.shortest_events;
        if (!k.location.empty()) o["location"] = k.location;
        if (!k.example.empty()) o["message"] = k.example;
        o["replay"] = replay_command(request, result, k.shortest_seed);
        classes.push_back(std::move(o));
    }
    j["classes"] = std::move(classes);
    j["exit_code"] = exit_code(result);
    std::string out = j.dump(2, ' ', false, Json::error_handler_t::replace);
    escape_json_controls(out);  // failure messages quote the script
    return out;
}

std::string to_text(const ExploreRequest& request, const ExploreResult& result) {
    std::string out;
    char line[160];
    std::snprintf(
        line, sizeof line, "%llu schedules (strategy %s, seeds %llu..%llu)%s\n\n",
        static_cast<unsigned long long>(result.runs),
        std::string(to_string(result.config.strategy)).c_str(),
        static_cast<unsigned long long>(result.base_seed),
        static_cast<unsigned long long>(result.base_seed + (result.runs ? result.runs - 1 : 0)),
        result.cancelled ? ", cancelled" : "");
    out += line;
    out += "  count   share  first seed  shortest  outcome\n";
    for (const OutcomeClass& k : result.classes) {
        std::snprintf(line, sizeof line, "%7llu  %5.1f%%  %10llu  %8llu  ",
                      static_cast<unsigned long long>(k.count),
                      result.runs
                          ? 100.0 * static_cast<double>(k.count) / static_cast<double>(result.runs)
                          : 0.0,
                      static_cast<unsigned long long>(k.first_seed),
                      static_cast<unsigned long long>(k.shortest_seed));
        out += line + k.label;
        if (!k.location.empty()) out += "  (" + k.location + ")";
        out += "\n";
    }
    bool header = false;
    for (const OutcomeClass& k : result.classes) {
        if (k.status == RunStatus::completed) continue;
        if (!header) out += "\nreplay the shortest run of each failing class:\n";
        header = true;
        out += "  " + replay_command(request, result, k.shortest_seed) + "\n";
    }
    return out;
}

}  // namespace spindle::session
