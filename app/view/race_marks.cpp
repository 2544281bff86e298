#include "race_marks.h"

#include "spindle/instrument/event_payloads.h"

#include <algorithm>

namespace spindle::view {

void RaceMarks::on_event(const Event& e, std::string_view text) {
    const std::int64_t t = e.time_ns;
    switch (e.kind) {
        case EventKind::resource_created: {
            const auto created = e.as<payload::ResourceCreated>();
            if (created.resource == 0) break;
            if (m_kinds.size() < created.resource)
                m_kinds.resize(created.resource, ResourceKind::mpsc);
            m_kinds[created.resource - 1] = created.type;
            if (created.type == ResourceKind::watch) m_watches[created.resource] = WatchState{};
            break;
        }
        case EventKind::select_start: {
            const auto start = e.as<payload::SelectStart>();
            m_open_select[e.task] = m_selects.size();
            m_selects.push_back(SelectRace{.task = e.task,
                                           .id = start.select,
                                           .start = t,
                                           .branches = start.branches,
                                           .winner = kNoBranch,
                                           .winner_name = {},
                                           .armed = {}});
            break;
        }
        case EventKind::select_winner: {
            const auto win = e.as<payload::SelectWinner>();
            auto it = m_open_select.find(e.task);
            if (it == m_open_select.end()) break;
            SelectRace& s = m_selects[it->second];
            s.end = t;
            s.winner = win.branch;
            s.winner_name = std::string(text);
            m_open_select.erase(it);
            break;
        }
        case EventKind::wait_start: {
            const auto wait = e.as<payload::WaitStart>();
            const ResourceId res = wait.resource;
            const WaitOp op = wait.op;
            if (auto it = m_open_select.find(e.task); it != m_open_select.end())
                m_selects[it->second].armed.push_back(SelectBranch{res, op, false});
            if (op == WaitOp::changed)
                if (auto w = m_watches.find(res); w != m_watches.end())
                    w->second.last_seen.try_emplace(e.task, w->second.version);
            break;
        }
        case EventKind::wait_end: {
            const auto wait = e.as<payload::WaitEnd>();
            if (wait.result != WaitResult::cancelled) break;
            std::uint32_t select = 0;
            if (auto it = m_open_select.find(e.task); it != m_open_select.end()) {
                SelectRace& s = m_selects[it->second];
                select = s.id;
                for (SelectBranch& b : s.armed)
                    if (b.resource == wait.resource && b.op == wait.op && !b.cancelled) {
                        b.cancelled = true;
                        break;
                    }
            }
            // A cancelled sleep is marked by its timer_cancelled.
            if (wait.op != WaitOp::sleep)
                m_cancels.push_back(CancelMark{.time = t,
                                               .task = e.task,
                                               .kind = CancelMark::Kind::wait,
                                               .resource = wait.resource,
                                               .op = wait.op,
                                               .select = select});
            break;
        }
        case EventKind::timer_cancelled: {
            const auto timer = e.as<payload::TimerCancelled>();
            auto it = m_open_select.find(e.task);
            m_cancels.push_back(
                CancelMark{.time = t,
                           .task = e.task,
                           .kind = CancelMark::Kind::timer,
                           .timer = timer.timer,
                           .deadline = static_cast<std::int64_t>(timer.deadline_ns),
                           .select = it != m_open_select.end() ? m_selects[it->second].id : 0});
            break;
        }
        case EventKind::chan_drop: {
            const auto drop = e.as<payload::ChanDrop>();
            if (drop.role == EndpointRole::receiver && drop.live == 0)
                m_receivers_left[drop.chan] = Receiver{t, e.task};
            break;
        }
        case EventKind::chan_try_fail: {
            const auto fail = e.as<payload::ChanTryFail>();
            if (fail.fail != TryFail::send_closed) break;
            auto it = m_receivers_left.find(fail.chan);
            if (it == m_receivers_left.end()) break;  // closed by its senders: not late
            m_lates.push_back(LateMark{t, fail.chan, e.task, it->second.left, it->second.task});
            break;
        }
        case EventKind::chan_send: {
            const auto send = e.as<payload::ChanSend>();
            auto w = m_watches.find(send.chan);
            if (w == m_watches.end()) break;
            const std::uint64_t v = ++w->second.version;
            w->second.versions[send.message] = v;
            m_versions.push_back(WatchVersion{t, send.chan, v});
            break;
        }
        case EventKind::chan_recv: {
            const auto recv = e.as<payload::ChanRecv>();
            auto w = m_watches.find(recv.chan);
            if (w == m_watches.end()) break;
            auto v = w->second.versions.find(recv.message);
            if (v == w->second.versions.end()) break;
            const std::uint64_t version = v->second;
            // A receiver first seen receiving (not waiting) skipped nothing before.
            auto [last, fresh] = w->second.last_seen.try_emplace(e.task, version - 1);
            (void)fresh;
            if (version <= last->second) break;  // seen already
            m_seen.push_back(
                WatchSeen{t, recv.chan, e.task, version, last->second + 1, version - 1});
            last->second = version;
            break;
        }
        default:
            break;
    }
}

const SelectRace* RaceMarks::select_at(TaskId task, std::int64_t t) const {
    auto it = std::upper_bound(m_selects.begin(), m_selects.end(), t,
                               [](std::int64_t at, const SelectRace& s) { return at < s.start; });
    while (it != m_selects.begin()) {
        --it;
        if (it->task != task) continue;
        return it->end < 0 || t <= it->end ? &*it : nullptr;
    }
    return nullptr;
}

std::size_t RaceMarks::memory_bytes() const {
    std::size_t bytes = sizeof(*this) + m_cancels.capacity() * sizeof(CancelMark) +
                        m_lates.capacity() * sizeof(LateMark) +
                        m_seen.capacity() * sizeof(WatchSeen) +
                        m_versions.capacity() * sizeof(WatchVersion);
    for (const SelectRace& s : m_selects)
        bytes += sizeof(SelectRace) + s.winner_name.capacity() +
                 s.armed.capacity() * sizeof(SelectBranch);
    return bytes;
}

}  // namespace spindle::view
