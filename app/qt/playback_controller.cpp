#include "playback_controller.h"

#include <algorithm>

#include "run_model.h"

namespace spindle::ui {

PlaybackController::PlaybackController(QObject* parent) : QObject(parent) {
    m_timer.setInterval(16);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &PlaybackController::tick);
}

std::vector<PlaybackController::Time> PlaybackController::event_times_of(
    const view::RunModel& model) {
    std::vector<Time> times;
    for (const view::WorkerTrack& w : model.workers())
        for (const view::PollSlice& p : w.polls) {
            times.push_back(p.start);
            times.push_back(p.end);
        }
    for (const view::TaskInfo& t : model.tasks()) {
        times.push_back(t.spawned);
        if (t.ended) times.push_back(*t.ended);
    }
    for (const view::ResourceTrack& r : model.resources())
        for (const view::ChannelTick& tick : r.ticks)
            times.push_back(tick.time);
    for (const view::LogLine& l : model.logs())
        times.push_back(l.time);
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    return times;
}

void PlaybackController::set_model(const view::RunModel* model) {
    if (model)
        set_times(model->end_time(), event_times_of(*model));
    else
        set_times(0, {});
}

void PlaybackController::set_times(Time end, std::vector<Time> event_times, Time at) {
    pause();
    m_end = std::max<Time>(end, 0);
    if (!std::is_sorted(event_times.begin(), event_times.end()))
        std::sort(event_times.begin(), event_times.end());
    event_times.erase(std::unique(event_times.begin(), event_times.end()), event_times.end());
    std::erase_if(event_times, [this](Time t) { return t < 0 || t > m_end; });
    m_times = std::move(event_times);
    m_carry_ns = 0;
    Q_EMIT range_changed(m_end);
    m_time = -1;  // force the signal even when the new time equals the old one
    set_time(at);
}

PlaybackController::Time PlaybackController::next_event_time() const {
    auto it = std::upper_bound(m_times.begin(), m_times.end(), m_time);
    return it == m_times.end() ? m_end : *it;
}

PlaybackController::Time PlaybackController::previous_event_time() const {
    auto it = std::lower_bound(m_times.begin(), m_times.end(), m_time);
    return it == m_times.begin() ? 0 : *std::prev(it);
}

void PlaybackController::set_time(qint64 t) {
    t = std::clamp<Time>(t, 0, m_end);
    if (t == m_time) return;
    m_time = t;
    Q_EMIT time_changed(m_time);
}

void PlaybackController::set_speed(double speed) {
    speed = std::clamp(speed, kMinSpeed, kMaxSpeed);
    if (speed == m_speed) return;
    m_speed = speed;
    Q_EMIT speed_changed(m_speed);
}

void PlaybackController::play() {
    if (m_playing || m_end <= 0) return;
    if (m_time >= m_end) set_time(0);  // play again from the start
    m_playing = true;
    m_carry_ns = 0;
    m_clock.start();
    m_timer.start();
    Q_EMIT playing_changed(true);
}

void PlaybackController::pause() {
    if (!m_playing) return;
    m_playing = false;
    m_timer.stop();
    Q_EMIT playing_changed(false);
}

void PlaybackController::toggle_play() {
    m_playing ? pause() : play();
}

void PlaybackController::step_forward() {
    pause();
    set_time(next_event_time());
}

void PlaybackController::step_backward() {
    pause();
    set_time(previous_event_time());
}

void PlaybackController::jump_to_start() {
    pause();
    set_time(0);
}

void PlaybackController::jump_to_end() {
    pause();
    set_time(m_end);
}

void PlaybackController::advance(std::chrono::nanoseconds real) {
    m_carry_ns += static_cast<double>(real.count()) * m_speed;
    const auto whole = static_cast<Time>(m_carry_ns);
    m_carry_ns -= static_cast<double>(whole);
    if (whole > 0) set_time(m_time + whole);
    if (m_time >= m_end) pause();
}

void PlaybackController::tick() {
    const qint64 elapsed = m_clock.nsecsElapsed();
    m_clock.restart();
    advance(std::chrono::nanoseconds(elapsed));
}

}  // namespace spindle::ui
