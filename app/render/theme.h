#pragma once
// Theme: the colours and metrics every lane and the renderer paint with.
//
// State: plain values, fixed once built (Theme::light() returns one shared
// immutable instance). Task colours come from a palette indexed by task id, so
// a task keeps its colour across lanes, runs of the same scenario and exports.

#include <QColor>

#include <array>
#include <cstdint>

#include "spindle/instrument/event.h"

namespace spindle::render {

/// `a` moved towards `b` by `t` (0: a, 1: b).
inline QColor blend(const QColor& a, const QColor& b, double t) {
    auto mix = [t](int x, int y) { return static_cast<int>(x + (y - x) * t + 0.5); };
    return QColor(mix(a.red(), b.red()), mix(a.green(), b.green()), mix(a.blue(), b.blue()),
                  mix(a.alpha(), b.alpha()));
}

struct Theme {
    // Surfaces and text.
    QColor background{0xff, 0xff, 0xff};
    QColor lane_alt{0xf8, 0xf9, 0xfb};  ///< every other lane's background
    QColor label_column{0xf3, 0xf4, 0xf7};
    QColor section{0xe9, 0xec, 0xf1};  ///< section header rows
    QColor separator{0xdd, 0xe1, 0xe6};
    QColor grid{0xec, 0xee, 0xf1};
    QColor text{0x22, 0x25, 0x2a};
    QColor text_dim{0x6b, 0x72, 0x7c};
    QColor text_light{0xff, 0xff, 0xff};     ///< on dark fills (badges, dark chips)
    QColor text_on_light{0x22, 0x25, 0x2a};  ///< on light fills (pale chips), in every theme
    QColor alert{0xc9, 0x2a, 0x2a};          ///< failed tasks, bad outcomes
    QColor ok{0x2f, 0x85, 0x3a};             ///< completed outcome
    QColor warn{0xc7, 0x7c, 0x02};           ///< budget exceeded
    // Workers.
    QColor parked{0xe4, 0xe7, 0xeb};
    QColor parked_hatch{0xc9, 0xce, 0xd5};
    QColor merged{0x8a, 0x94, 0xa3};  ///< several sub-pixel polls merged into one block
    QColor steal{0xd9, 0x48, 0x0f};
    // Task states.
    QColor queued{0xf2, 0xd4, 0x8f};
    QColor waiting{0xd5, 0xe0, 0xee};
    QColor idle{0xd6, 0xd9, 0xde};
    QColor done{0x2f, 0x85, 0x3a};
    QColor failed{0xc9, 0x2a, 0x2a};
    QColor aborted{0x8a, 0x8f, 0x98};
    /// Hatching over a blocking call that holds its worker (task and worker lanes).
    QColor blocked_hatch{0x3a, 0x3f, 0x47};
    // Channels.
    QColor occupancy_fill{0x9e, 0xc5, 0xe6};
    QColor occupancy_line{0x2f, 0x6f, 0xb0};
    QColor capacity{0x55, 0x5b, 0x64};
    QColor send_tick{0x2f, 0x85, 0x3a};
    QColor recv_tick{0x6a, 0x3d, 0x9a};
    QColor blocked{0xf7, 0xd4, 0xd4};
    QColor blocked_strip{0xe0, 0x6c, 0x6c};
    // Locks and signals.
    QColor lock_wait{0x8f, 0xa9, 0xc8};    ///< tasks queued on a lock (the queue step)
    QColor writer_wait{0xb0, 0x4a, 0x6e};  ///< of them, writers waiting (rwlock)
    // Overlays.
    QColor selection{0x11, 0x13, 0x16};
    QColor selection_band{0xff, 0xf3, 0xbf};
    QColor wake{0x4a, 0x50, 0x5a, 0xb0};
    QColor playhead{0xe0, 0x31, 0x31};

    // Metrics (device-independent pixels).
    int font_px = 12;
    int title_font_px = 15;
    double title_height = 34;
    double note_height = 18;  ///< an extra title line (errors, description)
    double ruler_height = 26;
    double section_height = 20;
    double legend_height = 28;
    double worker_height = 26;
    double blocking_height = 22;
    double task_height = 20;
    double channel_height = 42;
    double small_channel_height = 28;  ///< oneshot and watch: a level of 0 or 1
    double lock_height = 64;           ///< locks and signals: holders above, queue below
    double min_label_width = 120;
    double max_label_width = 260;

    /// The stable colour of a task (its id picks from the palette).
    QColor task_colour(TaskId id) const {
        return kPalette[id == 0 ? 0 : (id - 1) % kPalette.size()];
    }
    /// Text colour readable on top of `fill`.
    QColor text_on(const QColor& fill) const {
        const double lum = 0.299 * fill.redF() + 0.587 * fill.greenF() + 0.114 * fill.blueF();
        return lum < 0.6 ? text_light : text_on_light;
    }
    /// The colour of a finished task's end marker.
    QColor outcome_colour(TaskOutcome o) const {
        return o == TaskOutcome::completed ? done : o == TaskOutcome::failed ? failed : aborted;
    }

    /// The light theme: white background, muted palette; reads well in docs.
    static const Theme& light() {
        static const Theme theme;
        return theme;
    }

    /// The dark theme: the same roles on a dark background, for the app on a
    /// dark desktop. Exports stay light: they go into documents.
    static const Theme& dark() {
        static const Theme theme = [] {
            Theme t;
            t.background = QColor(0x1d, 0x1f, 0x23);
            t.lane_alt = QColor(0x23, 0x26, 0x2b);
            t.label_column = QColor(0x26, 0x29, 0x2f);
            t.section = QColor(0x2f, 0x33, 0x3a);
            t.separator = QColor(0x3b, 0x40, 0x48);
            t.grid = QColor(0x2b, 0x2f, 0x35);
            t.text = QColor(0xe4, 0xe7, 0xeb);
            t.text_dim = QColor(0x9a, 0xa2, 0xad);
            t.alert = QColor(0xf0, 0x5d, 0x5d);
            t.ok = QColor(0x5f, 0xb9, 0x69);
            t.warn = QColor(0xe6, 0xa2, 0x3c);
            t.parked = QColor(0x2a, 0x2e, 0x34);
            t.parked_hatch = QColor(0x46, 0x4c, 0x55);
            t.merged = QColor(0x7f, 0x89, 0x98);
            t.steal = QColor(0xf2, 0x70, 0x33);
            t.queued = QColor(0x8c, 0x6e, 0x2c);
            t.waiting = QColor(0x33, 0x43, 0x58);
            t.idle = QColor(0x3a, 0x3e, 0x45);
            t.done = QColor(0x5f, 0xb9, 0x69);
            t.failed = QColor(0xf0, 0x5d, 0x5d);
            t.aborted = QColor(0x8d, 0x93, 0x9c);
            t.blocked_hatch = QColor(0xd0, 0xd4, 0xda);
            t.occupancy_fill = QColor(0x2d, 0x57, 0x82);
            t.occupancy_line = QColor(0x6d, 0xaa, 0xe2);
            t.capacity = QColor(0xa3, 0xaa, 0xb3);
            t.send_tick = QColor(0x5f, 0xb9, 0x69);
            t.recv_tick = QColor(0xab, 0x88, 0xd8);
            t.blocked = QColor(0x5c, 0x2b, 0x2b);
            t.blocked_strip = QColor(0xe0, 0x6c, 0x6c);
            t.lock_wait = QColor(0x4d, 0x66, 0x85);
            t.writer_wait = QColor(0xc9, 0x6a, 0x8c);
            t.selection = QColor(0xf2, 0xf4, 0xf7);
            t.selection_band = QColor(0x4a, 0x43, 0x1f);
            t.wake = QColor(0xc3, 0xc9, 0xd2, 0xb0);
            t.playhead = QColor(0xf2, 0x48, 0x48);
            return t;
        }();
        return theme;
    }

    /// Distinguishable, print-friendly colours; no pure red or grey (those mean
    /// "failed" and "parked/merged").
    static inline const std::array<QColor, 12> kPalette{
        QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b), QColor(0x59, 0xa1, 0x4f),
        QColor(0xb0, 0x7a, 0xa1), QColor(0x76, 0xb7, 0xb2), QColor(0xed, 0xc9, 0x48),
        QColor(0x9c, 0x75, 0x5f), QColor(0xff, 0x9d, 0xa7), QColor(0x6b, 0xa3, 0xd6),
        QColor(0x8c, 0xd1, 0x7d), QColor(0xff, 0xbe, 0x7d), QColor(0xd4, 0xa6, 0xc8),
    };
};

}  // namespace spindle::render
