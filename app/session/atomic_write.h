#pragma once
// AtomicFile: writes a file so that it is either complete or not there at all.
//
// Bytes go to "TARGET.tmp" beside the target; commit() flushes, checks that every
// write succeeded and renames the temporary over the target. A failed write, or a
// file never committed, removes the temporary and leaves an existing target as it
// was. One AtomicFile is used by one thread. Qt code that paints into a QIODevice
// uses QSaveFile instead (render/export.cpp), which keeps the same promise.

#include <filesystem>
#include <fstream>
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
    bool ok() const { return m_out.good(); }
    std::ostream& stream() { return m_out; }
    const std::filesystem::path& path() const { return m_target; }
    const std::filesystem::path& temporary() const { return m_tmp; }

    /// Closes the temporary and renames it into place. Returns "" on success, else
    /// why it failed (the temporary is then removed).
    std::string commit();
    /// Closes and removes the temporary; the target is untouched.
    void discard();

private:
    std::filesystem::path m_target;
    std::filesystem::path m_tmp;
    std::ofstream m_out;
    std::string m_open_error;  ///< why the temporary could not be created
    bool m_done = false;
};

}  // namespace spindle::session
