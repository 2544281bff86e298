#pragma once
// Running a built program as a user would, for the command-line tests:
// capture its exit status, stdout and stderr through files in a temp folder.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace test_support {

/// What a command left behind.
struct Output {
    int code = -1;
    std::string out;
    std::string err;
};

/// A folder for this test process's files, named after `prefix`.
inline std::filesystem::path temp_dir(const std::string& prefix) {
    auto d = std::filesystem::temp_directory_path() / (prefix + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
}

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Runs `command` (already shell-quoted) through the shell, capturing both streams in `dir`.
inline Output run_command(const std::string& command, const std::filesystem::path& dir) {
    const std::string cmd =
        command + " >'" + (dir / "out").string() + "' 2>'" + (dir / "err").string() + "'";
    const int status = std::system(cmd.c_str());
    Output o;
    o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    o.out = slurp(dir / "out");
    o.err = slurp(dir / "err");
    return o;
}

}  // namespace test_support
