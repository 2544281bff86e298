#include "atomic_write.h"

#include <cerrno>
#include <cstring>
#include <system_error>

namespace spindle::session {

AtomicFile::AtomicFile(std::filesystem::path target)
    : m_target(std::move(target)), m_tmp(m_target.string() + ".tmp") {
    m_out.open(m_tmp, std::ios::binary | std::ios::trunc);
    if (!m_out.is_open()) m_open_error = std::strerror(errno);
}

AtomicFile::~AtomicFile() {
    if (!m_done) discard();
}

std::string AtomicFile::commit() {
    if (m_done) return "already written";
    m_done = true;
    const bool opened = m_out.is_open();
    m_out.flush();
    const bool written = m_out.good();
    m_out.close();
    std::error_code ec;
    if (!opened) {
        std::filesystem::remove(m_tmp, ec);
        return "cannot create " + m_tmp.string() + ": " + m_open_error;
    }
    if (!written || m_out.fail()) {
        std::filesystem::remove(m_tmp, ec);
        return "writing " + m_tmp.string() + " failed";
    }
    std::filesystem::rename(m_tmp, m_target, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(m_tmp, ignored);
        return "cannot replace " + m_target.string() + ": " + ec.message();
    }
    return {};
}

void AtomicFile::discard() {
    m_done = true;
    if (m_out.is_open()) m_out.close();
    std::error_code ec;
    std::filesystem::remove(m_tmp, ec);
}

}  // namespace spindle::session
