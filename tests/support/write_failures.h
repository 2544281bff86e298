#pragma once
// Making file writes fail for real, and checking what a failed write left behind.
//
// FileSizeLimit lowers this process's RLIMIT_FSIZE, so a write past the limit fails
// with EFBIG ("File too large") as a write to a full disk fails with ENOSPC: the
// kernel refuses it, no hook in the code under test. SIGXFSZ, which the kernel also
// sends, is ignored while the limit holds. One at a time, on the test's thread.

#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <string>

namespace test_support {

class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        ::getrlimit(RLIMIT_FSIZE, &m_old);
        m_old_handler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit lowered = m_old;
        lowered.rlim_cur = bytes;
        m_ok = ::setrlimit(RLIMIT_FSIZE, &lowered) == 0;
    }
    ~FileSizeLimit() {
        ::setrlimit(RLIMIT_FSIZE, &m_old);
        std::signal(SIGXFSZ, m_old_handler);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

    bool ok() const { return m_ok; }

private:
    rlimit m_old{};
    void (*m_old_handler)(int) = SIG_DFL;
    bool m_ok = false;
};

/// Files beside `target` that look like its writer's temporaries ("TARGET.*.tmp").
inline int temporaries_beside(const std::filesystem::path& target) {
    const std::string prefix = target.filename().string() + ".";
    int n = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(target.parent_path(), ec)) {
        const std::string name = entry.path().filename().string();
        if (name.size() > prefix.size() + 4 && name.rfind(prefix, 0) == 0 &&
            name.compare(name.size() - 4, 4, ".tmp") == 0)
            ++n;
    }
    return n;
}

}  // namespace test_support
