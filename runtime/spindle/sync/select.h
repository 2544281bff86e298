#pragma once
// select: wait for the first of several operations, like tokio::select!.
//
// The operations are lvalues owned by the awaiting coroutine; the select only
// points at them. Each time the task is polled, the branches are tried from a
// start chosen by the run's RNG (or from the first, when biased); the first
// that completes wins and every other branch is cancelled through its disarm,
// which undoes any queueing or grant — a losing recv consumes nothing, a losing
// send enqueues nothing. The winner's result is read from its operation.

#include <cstddef>
#include <string>
#include <vector>

#include "spindle/core/operation.h"

namespace spindle {

/// Awaiter of a select over operations; yields the winning branch index.
class SelectAwaiter final : public Pending {
public:
    SelectAwaiter(std::vector<Operation*> ops, bool biased)
        : m_ops(std::move(ops)), m_biased(biased) {}
    /// With branch names: the winner's name travels as the select_winner event's text.
    SelectAwaiter(std::vector<Operation*> ops, bool biased, std::vector<std::string> names)
        : m_ops(std::move(ops)), m_biased(biased), m_names(std::move(names)) {}
    SelectAwaiter(const SelectAwaiter&) = delete;
    SelectAwaiter& operator=(const SelectAwaiter&) = delete;
    ~SelectAwaiter() override {
        if (m_winner == npos)
            for (Operation* op : m_ops)
                op->cancel();
    }

    bool await_ready() {
        Executor& ex = current_executor();
        m_id = ex.next_select_id();
        detail::emit(payload::SelectStart{.select = m_id,
                                          .branches = static_cast<std::uint32_t>(m_ops.size()),
                                          .biased = m_biased});
        return try_pick();
    }
    void await_suspend(std::coroutine_handle<> h) {
        for (Operation* op : m_ops)
            op->start_waiting();
        current_executor().suspend_current(h, this);
    }
    std::size_t await_resume() const { return m_winner; }

    bool poll_ready() override { return try_pick(); }
    void describe_waits(std::vector<WaitInfo>& out) const override {
        for (const Operation* op : m_ops)
            if (op->waiting()) out.push_back(op->info());
    }

    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

private:
    bool try_pick() {
        const std::size_t n = m_ops.size();
        if (n == 0) return false;
        const std::size_t start = m_biased ? 0 : current_executor().rng().below(n);
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t i = (start + k) % n;
            if (!m_ops[i]->try_complete()) continue;
            m_winner = i;
            for (std::size_t j = 0; j < n; ++j)
                if (j != i) m_ops[j]->cancel();
            m_ops[i]->stop_waiting(WaitResult::done);
            emit_winner(i);
            return true;
        }
        return false;
    }

    void emit_winner(std::size_t i) {
        Instrument& in = current_executor().instrument();
        const TextId name = i < m_names.size() ? in.intern(m_names[i]) : 0;
        in.emit(payload::SelectWinner{
            .select = m_id, .branch = static_cast<std::uint32_t>(i), .name = name});
    }

    std::vector<Operation*> m_ops;
    bool m_biased;
    std::vector<std::string> m_names;
    std::uint32_t m_id = 0;
    std::size_t m_winner = npos;
};

/// Races the operations; ties among ready ones are broken by the run's RNG.
template <class... Ops>
SelectAwaiter select(Ops&... ops) {
    return SelectAwaiter({static_cast<Operation*>(&ops)...}, false);
}

/// Races the operations; ties go to the earliest listed.
template <class... Ops>
SelectAwaiter select_biased(Ops&... ops) {
    return SelectAwaiter({static_cast<Operation*>(&ops)...}, true);
}

}  // namespace spindle
