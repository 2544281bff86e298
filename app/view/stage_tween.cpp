#include "stage_tween.h"

#include <algorithm>
#include <cmath>

namespace spindle::view {

void StageTween::play() {
    m_playing = true;
    m_settle_from.reset();
}

void StageTween::pause(std::int64_t now_ms) {
    if (!m_playing) return;
    m_playing = false;
    m_settle_from = now_ms;
}

void StageTween::jump() {
    if (!m_playing) m_settle_from.reset();
}

bool StageTween::settling(std::int64_t now_ms) const {
    return !m_playing && m_settle_from && now_ms - *m_settle_from < kSettleMs;
}

Time StageTween::animation(std::int64_t now_ms) const {
    if (m_playing) return m_glide;
    if (!settling(now_ms)) return 0;
    // Shrinking the move's duration carries each chip on from where it was to
    // where it is going: its progress, (t - since) / animation, grows to 1.
    const double left = 1.0 - static_cast<double>(now_ms - *m_settle_from) / kSettleMs;
    return static_cast<Time>(std::llround(static_cast<double>(m_glide) * std::min(left, 1.0)));
}

}  // namespace spindle::view
