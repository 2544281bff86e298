#include "temp_file.h"

#include <unistd.h>

#include <cstdlib>
#include <system_error>
#include <vector>

namespace spindle::session {

TempFile::TempFile(const std::filesystem::path& dir, const std::string& prefix,
                   const std::string& suffix) {
    std::string name = (dir / (prefix + "XXXXXX" + suffix)).string();
    std::vector<char> buffer(name.begin(), name.end());
    buffer.push_back('\0');
    const int fd = ::mkstemps(buffer.data(), static_cast<int>(suffix.size()));
    if (fd < 0) return;
    ::close(fd);
    m_path = buffer.data();
}

TempFile::~TempFile() {
    std::error_code ec;
    if (!m_path.empty()) std::filesystem::remove(m_path, ec);
}

}  // namespace spindle::session
