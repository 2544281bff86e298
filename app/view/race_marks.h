#pragma once
// RaceMarks: the outcomes the timeline marks on lanes, folded from the event
// stream — each select's race (its branches, the winner, the losers cancelled),
// messages sent after their receiver gave up ("late"), and the versions each
// watch receiver saw (and skipped).
//
// State: appended in event order by on_event (called by RunModel::on_event, on the
// thread that feeds the model), then read-only. A select still open when the run
// ends keeps end = -1 and no winner. Plain C++, no Qt.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "spindle/instrument/event.h"

namespace spindle::view {

/// One branch a select armed (in arming order: the index select_winner names).
struct SelectBranch {
    ResourceId resource = 0;  ///< as TaskSpan::resource (the timer for sleep)
    WaitOp op = WaitOp::recv;
    bool cancelled = false;  ///< its wait ended cancelled (a loser dropped)
};

inline constexpr std::uint32_t kNoBranch = 0xffffffffu;

/// One select! on one task: from select_start to select_winner.
struct SelectRace {
    TaskId task = 0;
    std::uint32_t id = 0;  ///< the runtime's select id
    std::int64_t start = 0;
    std::int64_t end = -1;  ///< when the winner was chosen (-1: never)
    std::uint32_t branches = 0;
    std::uint32_t winner = kNoBranch;
    std::string winner_name;          ///< "" when the select names no branches
    std::vector<SelectBranch> armed;  ///< the branches that waited, in arming order
};

/// A losing branch's cancellation: a timer cancelled, or a wait dropped without effect.
struct CancelMark {
    enum class Kind : std::uint8_t { timer, wait };
    std::int64_t time = 0;
    TaskId task = 0;
    Kind kind = Kind::timer;
    std::uint32_t timer = 0;    ///< kind timer: the timer id
    std::int64_t deadline = 0;  ///< kind timer: when it would have fired
    ResourceId resource = 0;    ///< kind wait: the resource waited on
    WaitOp op = WaitOp::recv;   ///< kind wait: the operation dropped
    std::uint32_t select = 0;   ///< the select it lost in (runtime id), 0: none
};

/// A message sent after its channel's receiver gave up (dropped or closed): it never
/// arrives.
struct LateMark {
    std::int64_t time = 0;
    ResourceId chan = 0;
    TaskId sender = 0;
    std::int64_t receiver_left = -1;  ///< when the receiver dropped (-1: unknown)
    TaskId receiver = 0;              ///< who dropped it (0: unknown)
};

/// One value a watch receiver saw. Versions number a watch's values from 1 (the
/// initial value); each send makes the next.
struct WatchSeen {
    std::int64_t time = 0;
    ResourceId chan = 0;
    TaskId task = 0;
    std::uint64_t version = 0;
    std::uint64_t skipped_from = 0;  ///< versions skipped since the last seen: from..to
    std::uint64_t skipped_to = 0;    ///< (none when skipped_to < skipped_from)
    std::uint64_t skipped() const {
        return skipped_to >= skipped_from ? skipped_to - skipped_from + 1 : 0;
    }
};

/// A value published on a watch.
struct WatchVersion {
    std::int64_t time = 0;
    ResourceId chan = 0;
    std::uint64_t version = 0;
};

class RaceMarks {
public:
    /// Folds one event (RunModel::on_event forwards every event).
    void on_event(const Event& e, std::string_view text);

    const std::vector<SelectRace>& selects() const { return m_selects; }
    const std::vector<CancelMark>& cancels() const { return m_cancels; }
    const std::vector<LateMark>& lates() const { return m_lates; }
    const std::vector<WatchSeen>& watch_seen() const { return m_seen; }
    const std::vector<WatchVersion>& watch_versions() const { return m_versions; }

    /// The select of `task` covering time t (start <= t <= end), or nullptr.
    const SelectRace* select_at(TaskId task, std::int64_t t) const;

    std::size_t memory_bytes() const;

private:
    struct WatchState {
        std::uint64_t version = 1;                                  ///< current
        std::unordered_map<std::uint64_t, std::uint64_t> versions;  ///< msg -> version
        std::unordered_map<TaskId, std::uint64_t> last_seen;        ///< per receiver task
    };
    struct Receiver {
        std::int64_t left = -1;
        TaskId task = 0;
    };

    std::vector<SelectRace> m_selects;  ///< by start
    std::vector<CancelMark> m_cancels;  ///< by time
    std::vector<LateMark> m_lates;      ///< by time
    std::vector<WatchSeen> m_seen;      ///< by time
    std::vector<WatchVersion> m_versions;
    std::unordered_map<TaskId, std::size_t> m_open_select;  ///< task -> index into m_selects
    std::vector<ResourceKind> m_kinds;                      ///< index = resource id - 1
    std::unordered_map<ResourceId, WatchState> m_watches;
    std::unordered_map<ResourceId, Receiver> m_receivers_left;
};

}  // namespace spindle::view
