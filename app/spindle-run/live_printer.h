#pragma once
// LivePrinter: writes a run's print() output as it happens, one line per log
// event: "[   12.345 ms] consumer: got 5". Keeps task names from task_spawn.

#include <iosfwd>
#include <string>
#include <unordered_map>

#include "spindle/instrument/sink.h"

namespace spindle::cli {

class LivePrinter final : public EventSink {
public:
    explicit LivePrinter(std::ostream& out) : m_out(out) {}
    void on_event(const Event& event, std::string_view text) override;
    void on_finish() override;

    /// "[   12.345 ms]" for a virtual time in ns (truncated to µs, no floating point).
    static std::string stamp(std::int64_t ns);

private:
    std::ostream& m_out;
    std::unordered_map<TaskId, std::string> m_names;
};

}  // namespace spindle::cli
