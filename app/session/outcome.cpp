#include "outcome.h"

namespace spindle::session {

RunStatus status_of(RunOutcome outcome) {
    switch (outcome) {
        case RunOutcome::completed:
            return RunStatus::completed;
        case RunOutcome::failed:
            return RunStatus::failed;
        case RunOutcome::deadlock:
            return RunStatus::deadlock;
        case RunOutcome::budget_exceeded:
            return RunStatus::budget_exceeded;
        case RunOutcome::check_failed:
            return RunStatus::check_failed;
    }
    return RunStatus::failed;
}

namespace {

struct Row {
    int exit_code;
    std::string_view word;
    Severity severity;
    bool ran;
};

Row row(RunStatus status) {
    switch (status) {
        case RunStatus::completed:
            return {kExitOk, "completed", Severity::ok, true};
        case RunStatus::failed:
            return {kExitFailed, "failed", Severity::alert, true};
        case RunStatus::deadlock:
            return {kExitDeadlock, "deadlock", Severity::alert, true};
        case RunStatus::check_failed:
            return {kExitFailed, "check failed", Severity::alert, true};
        case RunStatus::budget_exceeded:
            return {kExitBudget, "budget exceeded", Severity::warn, true};
        case RunStatus::cancelled:
            return {kExitBudget, "cancelled", Severity::info, true};
        case RunStatus::compile_error:
            return {kExitFailed, "did not compile", Severity::alert, false};
        case RunStatus::bad_settings:
            return {kExitFailed, "bad settings", Severity::alert, false};
        case RunStatus::load_error:
            return {kExitUsage, "not loaded", Severity::alert, false};
    }
    return {kExitFailed, "failed", Severity::alert, false};
}

}  // namespace

int exit_code(RunStatus status) {
    return row(status).exit_code;
}
std::string_view word(RunStatus status) {
    return row(status).word;
}
Severity severity(RunStatus status) {
    return row(status).severity;
}
bool ran(RunStatus status) {
    return row(status).ran;
}

std::string_view first_line(std::string_view text) {
    return text.substr(0, text.find('\n'));
}

}  // namespace spindle::session
