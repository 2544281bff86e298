#pragma once
// PlaybackBar: the strip under the timeline that drives the playhead — jump to
// start, step back, play/pause, step forward, jump to end, a scrub slider, the
// time "now / end" and the playback speed.
//
// State: its widgets and the five transport actions (with their shortcuts; the
// window also puts them in the Playback menu and makes the shortcuts work
// anywhere in the window). It keeps no time of its own: it shows and sets the
// PlaybackController's, which the window owns. GUI thread only.

#include <QList>
#include <QStyle>
#include <QWidget>

#include "run_model.h"

class QAction;
class QComboBox;
class QLabel;
class QSlider;

namespace spindle::ui {

class PlaybackController;

class PlaybackBar final : public QWidget {
    Q_OBJECT
public:
    explicit PlaybackBar(PlaybackController* playback, QWidget* parent = nullptr);

    /// Play/pause, step back, step forward, jump to start, jump to end (menu order).
    QList<QAction*> transport_actions() const;
    /// Enables the transport and the slider when there is a run to play.
    void set_playable(bool playable);
    /// Picks the preset speed that plays a run ending at `run_end` in about ten seconds.
    void pick_speed_for(view::Time run_end);
    /// Recolours the transport glyphs for the current gui_theme().
    void apply_theme();

private:
    /// A playback glyph of the style, recoloured to read on the dark theme.
    QIcon media_icon(QStyle::StandardPixmap which) const;
    void show_time(qint64 t);

    PlaybackController* m_playback;
    QAction* m_play = nullptr;
    QAction* m_step_back = nullptr;
    QAction* m_step_forward = nullptr;
    QAction* m_to_start = nullptr;
    QAction* m_to_end = nullptr;
    QSlider* m_slider = nullptr;
    QLabel* m_time_label = nullptr;
    QComboBox* m_speed = nullptr;
};

}  // namespace spindle::ui
