// Runs one case of the hostile-script corpus (tests/hostile/cases) through
// spindle-run and checks what the case promises: the exit code, a fragment of
// the output (stdout and stderr together), and that it ended within its wall
// time and peak resident memory. A case that overruns is killed at four times
// its time bound (so a regression fails instead of hanging the suite).
// With --export the program is the app, run as `spindle --export OUT.png ARGS CASE`
// (Qt's offscreen platform): the same exit code, message and time bound, a picture
// written, and at most 1 GiB resident (the app also holds the view model and the
// image) or the case's own bound if larger.
//
// Usage: spindle_hostile_case [--export] SPINDLE_RUN|SPINDLE CASE.lua
// A case states its expectations in leading comment lines ("-- key: value":
// args, exit, message, wall-ms, rss-mb), or in CASE.expect beside it.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Expectation {
    std::vector<std::string> args;
    int exit_code = -1;
    std::string message;
    long wall_ms = 0;
    long rss_mb = 0;
};

bool read_expectation(const fs::path& file, Expectation& e) {
    std::ifstream in(file, std::ios::binary);
    std::string line;
    bool any = false;
    while (std::getline(in, line) && line.rfind("--", 0) == 0) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string key = line.substr(2, colon - 2);
        key.erase(0, key.find_first_not_of(' '));
        const std::string value = line.substr(colon + 1 + (line.size() > colon + 1));
        if (key == "args") {
            std::istringstream words(value);
            for (std::string w; words >> w;)
                e.args.push_back(w);
        } else if (key == "exit") {
            e.exit_code = std::stoi(value);
            any = true;
        } else if (key == "message") {
            e.message = value;
        } else if (key == "wall-ms") {
            e.wall_ms = std::stol(value);
        } else if (key == "rss-mb") {
            e.rss_mb = std::stol(value);
        }
    }
    return any && e.wall_ms > 0 && e.rss_mb > 0;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

int main(int argc, char** argv) {
    const bool export_mode = argc == 4 && std::string(argv[1]) == "--export";
    if (argc != 3 && !export_mode) {
        std::cerr << "usage: spindle_hostile_case [--export] SPINDLE_RUN|SPINDLE CASE.lua\n";
        return 2;
    }
    if (export_mode) ++argv;
    const std::string run = argv[1];
    const fs::path script = argv[2];
    fs::path expect_file = script;
    expect_file.replace_extension(".expect");
    Expectation e;
    if (!read_expectation(fs::exists(expect_file) ? expect_file : script, e)) {
        std::cerr << script << ": no expectations (-- exit:, wall-ms:, rss-mb:)\n";
        return 2;
    }
    const fs::path out =
        fs::temp_directory_path() / ("spindle-hostile-" + std::to_string(::getpid()) + ".out");
    const fs::path picture =
        fs::temp_directory_path() / ("spindle-hostile-" + std::to_string(::getpid()) + ".png");
    fs::remove(picture);

    std::vector<std::string> words{run};
    if (export_mode) {
        words.push_back("--export");
        words.push_back(picture.string());
    }
    words.insert(words.end(), e.args.begin(), e.args.end());
    words.push_back(script.string());
    std::vector<char*> cargv;
    for (std::string& w : words)
        cargv.push_back(w.data());
    cargv.push_back(nullptr);

    const auto started = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid < 0) {
        std::perror("fork");
        return 2;
    }
    if (pid == 0) {
        const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        if (export_mode) ::setenv("QT_QPA_PLATFORM", "offscreen", 1);
        ::execv(cargv[0], cargv.data());
        std::_Exit(127);
    }
    int status = 0;
    rusage usage{};
    bool killed = false;
    const auto kill_at = started + std::chrono::milliseconds(4 * e.wall_ms);
    for (;;) {
        const pid_t r = ::wait4(pid, &status, WNOHANG, &usage);
        if (r == pid) break;
        if (!killed && std::chrono::steady_clock::now() > kill_at) {
            ::kill(pid, SIGKILL);
            killed = true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    const auto wall_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - started)
                             .count();
    const long rss_mb = usage.ru_maxrss / 1024;  // kilobytes on Linux
    const std::string output = slurp(out);
    fs::remove(out);

    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    bool ok = true;
    auto fail = [&](const std::string& what) {
        std::cerr << script.filename().string() << ": " << what << "\n";
        ok = false;
    };
    if (killed) fail("still running at 4x its time bound: killed");
    if (code != e.exit_code)
        fail("exit code " + std::to_string(code) + ", expected " + std::to_string(e.exit_code));
    // A completed run's message is what it printed, which --export draws in the picture
    // instead of printing; errors and budget messages go to stderr in both programs.
    const bool check_message = !(export_mode && e.exit_code == 0);
    if (check_message && output.find(e.message) == std::string::npos)
        fail("the output lacks \"" + e.message + "\"");
    if (wall_ms > e.wall_ms)
        fail("took " + std::to_string(wall_ms) + " ms, bound " + std::to_string(e.wall_ms));
        // AddressSanitizer's shadow memory and quarantine add to every allocation: a
        // sanitized spindle-run gets three times the bound (the budgets stay the same).
#ifdef SPINDLE_SANITIZED
    long rss_bound = 3 * e.rss_mb;
#else
    long rss_bound = e.rss_mb;
#endif
    if (export_mode) {
        rss_bound = std::max(rss_bound, 1024L);
        // Every run that starts draws what ran, whatever its outcome (exit 2: nothing ran).
        if (e.exit_code != 2 && !fs::exists(picture)) fail("no picture was written");
        fs::remove(picture);
    }
    if (rss_mb > rss_bound)
        fail("peak RSS " + std::to_string(rss_mb) + " MiB, bound " + std::to_string(rss_bound));
    std::cout << script.filename().string() << (export_mode ? " (spindle --export)" : "")
              << ": exit " << code << ", " << wall_ms << " ms, " << rss_mb << " MiB peak RSS"
              << (ok ? "" : " — FAILED") << "\n";
    if (!ok) std::cout << "--- output ---\n" << output.substr(0, 4000) << "\n";
    return ok ? 0 : 1;
}
