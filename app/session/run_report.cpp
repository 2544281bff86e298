#include "run_report.h"

#include "deadlock_view.h"
#include "spindle/instrument/terminal_text.h"

namespace spindle::session {

std::string RunReport::diagnostics() const {
    std::string out;
    for (std::size_t i = 0; i < errors.size(); ++i) {
        out += "error: " + errors[i] + "\n";
        if (i < tracebacks.size() && !tracebacks[i].empty()) out += tracebacks[i] + "\n";
    }
    for (const std::string& c : checks)
        out += "check failed: " + c + "\n";
    if (status == RunStatus::budget_exceeded) out += "budget exceeded: " + stop_reason + "\n";
    if (status == RunStatus::cancelled) out += "run cancelled\n";
    if (deadlock) out += deadlock->to_text();
    for (const std::string& n : notes)
        out += "note: " + n + "\n";
    return terminal_safe(out);
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
    if (h.text.empty() && !checks.empty()) h.text = "check failed: " + checks.front();
    // The cycle in one short line; the full report is in diagnostics() and the banner.
    if (h.text.empty() && deadlock) h.text = view::deadlock_headline(*deadlock);
    h.alert = !h.text.empty();
    if (h.text.empty()) h.text = description;
    if (h.text.empty() && !notes.empty()) h.text = notes.front();
    return h;
}

}  // namespace spindle::session
