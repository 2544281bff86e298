#include "run_files.h"

#include <fstream>

#include "atomic_write.h"
#include "spindle/instrument/chrome_trace.h"
#include "spindle/instrument/trace_file.h"

namespace spindle::session {

std::string save_trace_copy(const TempFile& trace, const std::filesystem::path& to) {
    std::ifstream in(trace.path(), std::ios::binary);
    if (!in) return "cannot read " + trace.path().string();
    AtomicFile out(to);
    if (!out.ok()) return out.commit();  // says why the temporary could not be created
    char buffer[64 * 1024];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        out.stream().write(buffer, in.gcount());
        if (!out.ok()) break;
    }
    if (in.bad()) {
        out.discard();
        return "cannot read " + trace.path().string();
    }
    return out.commit();
}

std::string save_chrome_trace(const TempFile& trace, const std::filesystem::path& to) {
    // Decoded chunk by chunk into the (streaming) writer: memory does not grow with the
    // run. A trace found bad part-way leaves `to` untouched.
    AtomicFile out(to);
    if (!out.ok()) return out.commit();
    ChromeTraceWriter writer(out.stream());
    const TraceStreamResult read = stream_trace(trace.path(), writer);
    if (read.error) {
        out.discard();
        return read.error->message;
    }
    writer.on_finish();
    if (!out.ok()) return out.commit();  // a write failed: commit says why
    if (!writer.ok()) {
        out.discard();
        return "cannot write " + to.string() + ": " + writer.error();
    }
    return out.commit();
}

}  // namespace spindle::session
