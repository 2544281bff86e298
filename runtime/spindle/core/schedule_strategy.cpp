#include "spindle/core/schedule_strategy.h"

#include <algorithm>

namespace spindle {

namespace {
/// Separates the strategy's stream from the executor's, which has the same seed.
constexpr std::uint64_t kStreamSalt = 0x5ca1ab1e0ddba11ull;
}  // namespace

ScheduleStrategy::ScheduleStrategy(const RuntimeConfig& config)
    : m_strategy(config.strategy),
      m_depth(std::clamp<std::uint32_t>(config.pct_depth, 1, kMaxPctDepth)),
      m_jitter(std::min(config.jitter_pct, kMaxJitterPct)),
      m_rng(config.seed ^ kStreamSalt) {
    if (m_strategy != Strategy::pct) return;
    const std::uint64_t steps = std::max<std::uint64_t>(config.pct_steps, 1);
    for (std::uint32_t i = 1; i < m_depth; ++i)
        m_change_points.push_back(1 + m_rng.below(steps));
    std::sort(m_change_points.begin(), m_change_points.end());
}

void ScheduleStrategy::on_spawn(TaskId task) {
    if (m_strategy != Strategy::pct) return;
    if (m_priority.size() <= task) m_priority.resize(task + 1, 0);
    // Initial priorities all lie above every lowered one (< depth).
    m_priority[task] = m_depth + (m_rng.next() >> 2);
}

std::size_t ScheduleStrategy::choose(const std::vector<Candidate>& candidates) {
    ++m_choices;
    if (candidates.size() <= 1) {
        // A forced step still counts as a step for PCT's change points.
    } else if (m_strategy == Strategy::random) {
        return static_cast<std::size_t>(m_rng.below(candidates.size()));
    }
    if (m_strategy != Strategy::pct) return 0;
    std::size_t best = 0;
    for (std::size_t i = 1; i < candidates.size(); ++i)
        if (priority(candidates[i].task) > priority(candidates[best].task)) best = i;
    // At a change point the chosen task drops below every task not yet lowered.
    while (m_next_change < m_change_points.size() && m_change_points[m_next_change] <= m_choices) {
        const TaskId t = candidates[best].task;
        if (t < m_priority.size())
            m_priority[t] = m_depth - 2 - static_cast<std::uint32_t>(m_next_change);
        ++m_next_change;
    }
    return best;
}

std::size_t ScheduleStrategy::choose_parked(std::size_t n) {
    if (m_strategy == Strategy::fixed || n <= 1) return n - 1;
    return static_cast<std::size_t>(m_rng.below(n));
}

Nanos ScheduleStrategy::vary(Nanos d) {
    if (m_jitter == 0 || d.count() <= 0) return d;
    // A whole percent from -jitter to +jitter.
    const auto pct = static_cast<std::int64_t>(m_rng.below(2 * m_jitter + 1)) -
                     static_cast<std::int64_t>(m_jitter);
    return Nanos(d.count() + d.count() * pct / 100);
}

}  // namespace spindle
