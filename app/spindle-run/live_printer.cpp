#include "live_printer.h"

#include <cstdio>
#include <ostream>

#include "spindle/instrument/event_payloads.h"
#include "spindle/instrument/terminal_text.h"

namespace spindle::cli {

std::string LivePrinter::stamp(std::int64_t ns) {
    const bool negative = ns < 0;
    const std::uint64_t us = (negative ? 0 - static_cast<std::uint64_t>(ns) : ns) / 1000;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s%llu.%03llu", negative ? "-" : "",
                  static_cast<unsigned long long>(us / 1000),
                  static_cast<unsigned long long>(us % 1000));
    char out[64];
    std::snprintf(out, sizeof out, "[%9s ms]", buf);
    return out;
}

void LivePrinter::on_event(const Event& e, std::string_view text) {
    if (e.kind == EventKind::task_spawn) {
        m_names[e.task] = std::string(text);
        return;
    }
    if (e.kind != EventKind::log) return;
    auto it = m_names.find(e.task);
    const std::string& name = it != m_names.end() ? it->second : std::string("runtime");
    // The script's words, not the terminal's commands: escapes are shown, not obeyed.
    std::string line = stamp(e.time_ns);
    line += ' ';
    line += one_line(name);
    line += ": ";
    if (e.as<payload::Log>().type == LogKind::check_failed) line += "check failed: ";
    append_terminal_safe(line, text);
    line += '\n';
    m_out << line;
}

void LivePrinter::on_finish() {
    m_out.flush();
}

}  // namespace spindle::cli
