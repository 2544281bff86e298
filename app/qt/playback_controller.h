#pragma once
// PlaybackController: the playhead over a run's virtual time.
//
// State: the run's end time, the sorted distinct times where something happened
// (steps land on them), the playhead time, the speed (virtual ns per real ns)
// and whether it is playing. While playing, a QTimer advances the playhead by
// the real time elapsed × speed; tests drive advance() directly instead. The
// playhead is always within [0, end]; playing stops at the end. No widgets: the
// window binds buttons and a slider to it.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <cstdint>
#include <vector>

namespace spindle::view {
class RunModel;
}

namespace spindle::ui {

class PlaybackController final : public QObject {
    Q_OBJECT
public:
    using Time = std::int64_t;
    /// Runs last micro- to milliseconds of virtual time: even 0.01× plays a whole
    /// run in under a second, so slow motion goes down to a millionth.
    static constexpr double kMinSpeed = 1e-6;
    static constexpr double kMaxSpeed = 100.0;

    explicit PlaybackController(QObject* parent = nullptr);

    /// The sorted distinct times where something happens in `model`: poll starts
    /// and ends, spawns, task ends, channel sends and receives, logs. Linear in the
    /// run's size: large runs compute it off the GUI thread (ScenarioRunner does).
    static std::vector<Time> event_times_of(const view::RunModel& model);

    /// Takes the run's end and event_times_of(model); the playhead goes to the
    /// start, paused, so playing tells the run from its beginning.
    void set_model(const view::RunModel* model);
    /// The same with explicit times (need not be sorted; duplicates are fine); the
    /// playhead goes to `at`, clamped to the run (a re-run keeps the moment shown).
    void set_times(Time end, std::vector<Time> event_times, Time at = 0);

    Time time() const { return m_time; }
    Time end() const { return m_end; }
    double speed() const { return m_speed; }
    bool playing() const { return m_playing; }
    const std::vector<Time>& event_times() const { return m_times; }

    /// The first event time after / the last before the playhead (or the run's bounds).
    Time next_event_time() const;
    Time previous_event_time() const;

    /// Moves the playhead by `real` elapsed time at the current speed (what the
    /// timer does each frame). Stops playing at the end.
    void advance(std::chrono::nanoseconds real);

public Q_SLOTS:
    /// Moves the playhead (clamped to [0, end]); backwards works like forwards.
    void set_time(qint64 t);
    /// Clamped to [kMinSpeed, kMaxSpeed].
    void set_speed(double speed);
    void play();
    void pause();
    void toggle_play();
    void step_forward();
    void step_backward();
    void jump_to_start();
    void jump_to_end();

Q_SIGNALS:
    void time_changed(qint64 t);
    void playing_changed(bool playing);
    void speed_changed(double speed);
    /// A new run was set: its end time.
    void range_changed(qint64 end);

private:
    void tick();

    Time m_end = 0;
    Time m_time = 0;
    double m_speed = 1.0;
    bool m_playing = false;
    double m_carry_ns = 0;  ///< fractional virtual ns not yet applied (slow speeds)
    std::vector<Time> m_times;
    QTimer m_timer;
    QElapsedTimer m_clock;
};

}  // namespace spindle::ui
