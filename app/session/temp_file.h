#pragma once
// TempFile: a uniquely named file in the temporary folder, deleted with the object.
//
// Created (empty) by the constructor, so the name is reserved; whoever holds the
// object may write the path. Shared read-only (`shared_ptr<const TempFile>`) once
// written; the last owner removes it.

#include <filesystem>
#include <string>

namespace spindle::session {

class TempFile {
public:
    /// Creates "<dir>/<prefix>XXXXXX<suffix>"; check ok().
    TempFile(const std::filesystem::path& dir, const std::string& prefix,
             const std::string& suffix);
    ~TempFile();
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    bool ok() const { return !m_path.empty(); }
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

}  // namespace spindle::session
