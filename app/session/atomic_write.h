#pragma once
// AtomicFile: writes a file so that it is either complete or not there at all.
//
// Bytes go to "TARGET.tmp" beside the target through a buffer that checks every
// write to the file descriptor and keeps the first failure's reason (errno);
// commit() flushes, closes (checking that too) and renames the temporary over the
// target. A failed
// write, or a file never committed, removes the temporary and leaves an existing
// target as it was. One AtomicFile is used by one thread. The picture exports
// (render/export.cpp) encode into memory and write through it too.

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

namespace spindle::session {

class AtomicFile {
public:
    /// Opens the temporary beside `target`; check ok() before writing.
    explicit AtomicFile(std::filesystem::path target);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    /// The temporary is open and every write so far succeeded.
    bool ok() const;
    std::ostream& stream() { return m_out; }
    const std::filesystem::path& path() const { return m_target; }
    const std::filesystem::path& temporary() const { return m_tmp; }

    /// Closes the temporary and renames it into place. Returns "" on success, else
    /// why it failed (the temporary is then removed).
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
