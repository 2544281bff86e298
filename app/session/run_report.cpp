#include "run_report.h"

namespace spindle::session {

namespace {

std::string_view trimmed(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

std::string RunReport::diagnostics() const {
    std::string out;
    for (std::size_t i = 0; i < errors.size(); ++i) {
        out += "error: " + errors[i] + "\n";
        if (i < tracebacks.size() && !tracebacks[i].empty()) out += tracebacks[i] + "\n";
    }
    if (status == RunStatus::budget_exceeded) out += "budget exceeded: " + stop_reason + "\n";
    if (status == RunStatus::cancelled) out += "run cancelled\n";
    if (deadlock) out += deadlock->to_text();
    for (const std::string& n : notes)
        out += "note: " + n + "\n";
    return out;
}

RunReport::Headline RunReport::headline() const {
    Headline h;
    if (!errors.empty()) h.text = first_line(errors.front());
    if (!ran()) {
        h.alert = !h.text.empty();
        return h;
    }
    if (h.text.empty() && status == RunStatus::budget_exceeded)
        h.text = "budget exceeded: " + stop_reason;
    if (h.text.empty() && status == RunStatus::cancelled) h.text = "run cancelled";
    if (h.text.empty() && deadlock) {
        // The report on one line: "deadlock: 2 task(s) wait …;   a waits to lock on …".
        const std::string full = deadlock->to_text();
        std::string_view rest = trimmed(full);
        while (!rest.empty()) {
            const std::string_view line = first_line(rest);
            if (!h.text.empty()) h.text += "; ";
            h.text += line;
            rest = line.size() < rest.size() ? rest.substr(line.size() + 1) : std::string_view();
        }
        if (h.text.rfind("deadlock", 0) != 0) h.text = "deadlock: " + h.text;
    }
    h.alert = !h.text.empty();
    if (h.text.empty()) h.text = description;
    if (h.text.empty() && !notes.empty()) h.text = notes.front();
    return h;
}

}  // namespace spindle::session
