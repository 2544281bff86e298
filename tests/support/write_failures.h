#pragma once
// Making file writes fail for real, and checking what a failed write left behind.
//
// FileSizeLimit lowers this process's RLIMIT_FSIZE, so a write past the limit fails
// with EFBIG ("File too large") as a write to a full disk fails with ENOSPC: the
// kernel refuses it, no hook in the code under test. SIGXFSZ, which the kernel also
// sends, is ignored while the limit holds. The limit is the whole process's: hold it
// around the write under test only (no CHECK inside: a report written to a file would
// fail too). Nested guards restore in turn; on the test's thread.

#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

namespace test_support {

class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        if (::getrlimit(RLIMIT_FSIZE, &m_old) != 0) return;  // then nothing changes
        m_old_handler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit lowered = m_old;
        lowered.rlim_cur = bytes;
        m_ok = ::setrlimit(RLIMIT_FSIZE, &lowered) == 0;
    }
    ~FileSizeLimit() {
        if (m_ok) ::setrlimit(RLIMIT_FSIZE, &m_old);
        if (m_old_handler != SIG_ERR) std::signal(SIGXFSZ, m_old_handler);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

    bool ok() const { return m_ok; }

private:
    rlimit m_old{};
    void (*m_old_handler)(int) = SIG_ERR;  ///< SIG_ERR: not replaced
    bool m_ok = false;
};

/// Files beside `target` that look like its writer's temporaries ("TARGET.*.tmp").
inline std::vector<std::filesystem::path> temporaries_of(const std::filesystem::path& target) {
    const std::string prefix = target.filename().string() + ".";
    std::vector<std::filesystem::path> found;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(target.parent_path(), ec)) {
        const std::string name = entry.path().filename().string();
        if (name.size() > prefix.size() + 4 && name.rfind(prefix, 0) == 0 &&
            name.compare(name.size() - 4, 4, ".tmp") == 0)
            found.push_back(entry.path());
    }
    return found;
}

inline int temporaries_beside(const std::filesystem::path& target) {
    return static_cast<int>(temporaries_of(target).size());
}

inline void remove_temporaries_beside(const std::filesystem::path& target) {
    std::error_code ec;
    for (const auto& path : temporaries_of(target))
        std::filesystem::remove(path, ec);
}

}  // namespace test_support
