#pragma once
// EventBounds: checks, event by event, that a stream stays within what a run can
// produce, so that folds (the view model, the summary, the exporters) may index
// arrays by its ids and subtract its times without overflow.
//
// State: how many tasks and resources the stream has created so far (a run numbers
// both 1, 2, 3 ... in creation order) and how many workers it has started (numbered
// 0, 1, 2 ... in start order, each named only once started). It is fed events in
// stream order by one reader; no sharing. The trace reader runs it on every event it
// decodes, so a file that decodes cleanly but could not come from a run is rejected
// with the offset of the first impossible event.

#include <cstdint>
#include <optional>
#include <string>

#include "spindle/core/config.h"
#include "spindle/instrument/event.h"

namespace spindle {

/// Latest virtual time an event may carry: the difference or sum of two times fits
/// in int64 (146 years; a run's virtual-time budget stops far earlier).
inline constexpr std::int64_t kMaxEventTimeNs = std::int64_t{1} << 62;
/// Highest worker id a run can use: core workers, then blocking and OS threads.
inline constexpr WorkerId kMaxWorkerId =
    kMaxWorkers + kMaxBlockingThreads + kMaxOsThreads + kMaxRayonPools * kMaxRayonThreads - 1;

/// Validates a stream's ids, enum values and times, one event at a time.
class EventBounds {
public:
    /// Why `e`, following the events checked so far, cannot come from a run; nothing
    /// when it can. A rejected event changes no state.
    std::optional<std::string> check(const Event& e);

    std::uint32_t tasks() const { return m_tasks; }          ///< tasks created so far
    std::uint32_t resources() const { return m_resources; }  ///< resources created so far
    std::uint32_t workers() const { return m_workers; }      ///< workers started so far

private:
    std::optional<std::string> check_workers(const Event& e) const;
    std::optional<std::string> check_ids(const Event& e) const;

    std::uint32_t m_tasks = 0;
    std::uint32_t m_resources = 0;
    std::uint32_t m_workers = 0;
};

}  // namespace spindle
