#pragma once
// AtomicFile: writes a file so that it is either complete or not there at all.
//
// Bytes go to a new temporary beside the target, "TARGET.XXXXXX.tmp" with a random
// XXXXXX, created exclusively (O_EXCL): never an existing file, never through a
// link someone planted, and two writers of one target never share it. They pass
// through a buffer that checks every write to the file descriptor and keeps the
// first failure's reason (errno); commit() flushes, closes (checking that too) and
// renames the temporary over the target. A failed write, or a file never committed,
// removes the temporary and leaves an existing target as it was. One AtomicFile is
// used by one thread. The picture exports (render/export.cpp) encode into memory
// and write through it too.

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

namespace spindle::session {

class AtomicFile {
public:
    /// Creates the temporary beside `target` (mode 0666 less the umask, as a new file
    /// gets); check ok() before writing.
    explicit AtomicFile(std::filesystem::path target);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    /// The temporary is open and every write so far succeeded.
    bool ok() const;
    std::ostream& stream() { return m_out; }
    const std::filesystem::path& path() const { return m_target; }
    /// The temporary's name; empty if it could not be created.
    const std::filesystem::path& temporary() const { return m_tmp; }

    /// Closes the temporary and renames it into place. Returns "" on success, else
    /// "cannot write TARGET: <reason>" (the temporary is then removed).
    std::string commit();
    /// Closes and removes the temporary; the target is untouched.
    void discard();

private:
    class FileBuffer;
    std::filesystem::path m_target;
    std::filesystem::path m_tmp;
    std::unique_ptr<FileBuffer> m_buffer;
    std::ostream m_out;
    bool m_done = false;
};

}  // namespace spindle::session
