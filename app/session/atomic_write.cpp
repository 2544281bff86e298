#include "atomic_write.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <streambuf>
#include <system_error>

namespace spindle::session {

/// An output buffer over a file descriptor that remembers the first failed write.
class AtomicFile::FileBuffer final : public std::streambuf {
public:
    explicit FileBuffer(const std::filesystem::path& path)
        : m_fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) {
        if (m_fd < 0) m_errno = errno;
        setp(m_data, m_data + sizeof m_data);
    }
    ~FileBuffer() override { close(); }

    bool opened() const { return m_fd >= 0 || m_closed_ok; }
    bool failed() const { return m_errno != 0; }
    std::string reason() const { return std::strerror(m_errno); }

    /// Writes what is buffered and closes; false if any write or the close failed.
    bool close() {
        if (m_fd < 0) return !failed();
        sync();
        if (::close(m_fd) != 0 && !failed()) m_errno = errno;
        m_fd = -1;
        m_closed_ok = !failed();
        return !failed();
    }

protected:
    int_type overflow(int_type ch) override {
        if (!drain()) return traits_type::eof();
        if (!traits_type::eq_int_type(ch, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(ch);
            pbump(1);
        }
        return traits_type::not_eof(ch);
    }
    int sync() override { return drain() ? 0 : -1; }

private:
    bool drain() {
        if (failed() || m_fd < 0) return false;
        const char* p = pbase();
        while (p < pptr()) {
            const ssize_t n = ::write(m_fd, p, static_cast<std::size_t>(pptr() - p));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                m_errno = n < 0 ? errno : EIO;
                return false;
            }
            p += n;
        }
        setp(m_data, m_data + sizeof m_data);
        return true;
    }

    int m_fd = -1;
    int m_errno = 0;  ///< the first failure (0: none)
    bool m_closed_ok = false;
    char m_data[64 * 1024];
};

AtomicFile::AtomicFile(std::filesystem::path target)
    : m_target(std::move(target)),
      m_tmp(m_target.string() + ".tmp"),
      m_buffer(std::make_unique<FileBuffer>(m_tmp)),
      m_out(m_buffer.get()) {
    if (m_buffer->failed()) m_out.setstate(std::ios::badbit);
}

AtomicFile::~AtomicFile() {
    if (!m_done) discard();
}

bool AtomicFile::ok() const {
    return m_out.good() && !m_buffer->failed();
}

std::string AtomicFile::commit() {
    if (m_done) return "already written";
    m_done = true;
    std::error_code ec;
    if (!m_buffer->opened()) {
        std::filesystem::remove(m_tmp, ec);
        return "cannot create " + m_tmp.string() + ": " + m_buffer->reason();
    }
    m_out.flush();
    if (!m_buffer->close() || !m_out.good()) {
        std::filesystem::remove(m_tmp, ec);
        return "writing " + m_tmp.string() + " failed" +
               (m_buffer->failed() ? ": " + m_buffer->reason() : std::string());
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
    const bool created = m_buffer->opened();
    m_buffer->close();
    std::error_code ec;
    if (created) std::filesystem::remove(m_tmp, ec);
}

}  // namespace spindle::session
