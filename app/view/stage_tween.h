#pragma once
// StageTween: how long the Stage's chips take to move (the `animation` a
// StageIndex query is cut with), from the playback's state and the wall clock.
//
// Rules: chips glide only while playing. While playing, a move lasts the glide
// (virtual ns; the window sets about a quarter second of wall time at the playback
// speed). When playing stops, the glide shrinks to 0 over kSettleMs of wall time,
// so chips caught mid-move finish it instead of freezing between places. Any move
// of the playhead while not playing (scrub, step, Home/End, a click) settles at
// once. Settled, the animation is 0: the Stage is exactly StageIndex::at(t, 0),
// the still picture export_stage_png draws.
//
// State: the glide, whether playing, and when settling began (wall ms, from the
// caller's clock; none when settled). Plain C++ with no clock of its own, so tests
// drive it with made-up times.

#include <cstdint>
#include <optional>

#include "time_format.h"

namespace spindle::view {

class StageTween {
public:
    /// Wall time a pause takes to settle (well inside the 300 ms a person waits).
    static constexpr std::int64_t kSettleMs = 200;

    /// The move duration while playing (virtual ns, at least 1).
    void set_glide(Time glide) { m_glide = glide > 1 ? glide : 1; }
    Time glide() const { return m_glide; }
    bool playing() const { return m_playing; }

    /// Playing started: moves glide.
    void play();
    /// Playing stopped at wall time `now_ms`: settle over kSettleMs from there.
    void pause(std::int64_t now_ms);
    /// The playhead moved while not playing: settled at once. (While playing the
    /// playhead moves every frame; that is gliding, not a jump.)
    void jump();

    /// The animation to cut the stage with at wall time `now_ms`.
    Time animation(std::int64_t now_ms) const;
    /// Still settling at `now_ms` (the caller keeps repainting until false).
    bool settling(std::int64_t now_ms) const;

private:
    Time m_glide = 1;
    bool m_playing = false;
    std::optional<std::int64_t> m_settle_from;  ///< wall ms playing stopped, while settling
};

}  // namespace spindle::view
