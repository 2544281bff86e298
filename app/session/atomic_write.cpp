#include "atomic_write.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>
#include <random>
#include <streambuf>
#include <system_error>

namespace spindle::session {

namespace {

/// A file descriptor just opened, or the reason it could not be.
struct Opened {
    int fd = -1;
    int error = 0;
};

/// Bits for a temporary's name: the system's randomness, or (where it cannot be read)
/// the clock and the process id. O_EXCL, not the name, is what keeps writes off
/// other files; an unpredictable name only keeps others from taking it first.
std::mt19937_64 name_source() {
    std::uint64_t seed = 0;
    try {
        std::random_device device;
        seed = (std::uint64_t{device()} << 32) ^ device();
    } catch (const std::exception&) {
        seed = static_cast<std::uint64_t>(
                   std::chrono::steady_clock::now().time_since_epoch().count()) ^
               (static_cast<std::uint64_t>(::getpid()) << 40);
    }
    return std::mt19937_64(seed);
}

/// Creates "TARGET.XXXXXX.tmp" with a random XXXXXX, exclusively (O_EXCL fails on
/// any existing name, a link included), and names it in `path`; on failure `path`
/// stays empty. Mode 0666 goes through the umask as for any new file.
Opened create_temporary(const std::filesystem::path& target, std::filesystem::path& path) {
    static constexpr char kLetters[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::mt19937_64 bits = name_source();
    std::uniform_int_distribution<std::size_t> pick(0, sizeof kLetters - 2);
    // A taken name is retried with another; a hundred in a row means something else
    // is wrong (EEXIST is then reported).
    int error = EEXIST;
    for (int attempt = 0; attempt < 100 && error == EEXIST; ++attempt) {
        std::string name = target.string() + ".XXXXXX.tmp";
        for (std::size_t i = name.size() - 10; i < name.size() - 4; ++i)
            name[i] = kLetters[pick(bits)];
        const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            path = name;
            return Opened{fd, 0};
        }
        error = errno;
    }
    return Opened{-1, error};
}

}  // namespace

/// An output buffer over a file descriptor that remembers the first failed write.
class AtomicFile::FileBuffer final : public std::streambuf {
public:
    explicit FileBuffer(Opened file) : m_fd(file.fd), m_errno(file.error) {
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
      m_buffer(std::make_unique<FileBuffer>(create_temporary(m_target, m_tmp))),
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
    const std::string cannot = "cannot write " + m_target.string() + ": ";
    if (!m_buffer->opened()) return cannot + m_buffer->reason();  // the temporary's creation
    m_out.flush();
    if (!m_buffer->close() || !m_out.good()) {
        std::filesystem::remove(m_tmp, ec);
        return cannot + (m_buffer->failed() ? m_buffer->reason() : "a write failed");
    }
    std::filesystem::rename(m_tmp, m_target, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(m_tmp, ignored);
        return cannot + ec.message();
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
