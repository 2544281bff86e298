#pragma once
// RunToolbar: the window's toolbar — open, re-run and cancel, then the run's
// settings (workers, seed, scheduling policy, and the schedule strategy when it is
// not the fixed one, e.g. a run opened from the Schedules dock), then Fit and Wake
// Arrows.
//
// State: the settings the user chose (they override the script's scenario{} on
// the next run), the seed last shown, whether the fields may be edited (a
// scenario is open; a trace's schedule is fixed) and a debounce timer that merges
// a burst of edits into one `changed`. The fields show the run last shown, not the
// choices, until the next run finishes. The actions belong to the window; the
// window reads overrides() when it starts a run. GUI thread only.

#include <QList>
#include <QTimer>
#include <QToolBar>

#include <cstdint>
#include <optional>

#include "run_report.h"

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace spindle::ui {

class RunToolbar final : public QToolBar {
    Q_OBJECT
public:
    /// Shows `run_actions` first, then the settings, then `view_actions`.
    RunToolbar(const QList<QAction*>& run_actions, const QList<QAction*>& view_actions,
               QWidget* parent = nullptr);

    /// What the user chose; these win over the script's scenario{} settings.
    const lua::ScenarioSettings& overrides() const { return m_overrides; }
    /// Replaces the choices (a newly opened file starts from the command line's).
    void set_overrides(const lua::ScenarioSettings& overrides) { m_overrides = overrides; }
    /// Shows the settings `report`'s run used; editable only when it ran a scenario.
    void show_settings(const session::RunReport& report);
    /// Enables the fields for a scenario, disables them for a trace or nothing open.
    void set_editable(bool editable);
    /// Drops a pending `changed` (the window re-runs anyway).
    void cancel_pending() { m_debounce.stop(); }

    /// The workers field: 0 shows "–" (the script's own setting), else 1 to kMaxWorkers.
    QSpinBox* workers_box() const { return m_workers; }
    QLineEdit* seed_field() const { return m_seed; }
    /// "Schedule: pct, depth 3" — shown only for runs with a random or pct strategy.
    QLabel* schedule_label() const { return m_schedule; }
    bool schedule_shown() const;

Q_SIGNALS:
    /// The user changed a setting (once per burst of edits, 400 ms after the last).
    void changed();

private:
    void on_edit();

    QSpinBox* m_workers = nullptr;
    QLineEdit* m_seed = nullptr;
    QComboBox* m_policy = nullptr;
    QLabel* m_schedule = nullptr;
    QAction* m_schedule_action = nullptr;  ///< the toolbar's slot for m_schedule
    lua::ScenarioSettings m_overrides;
    std::optional<std::uint64_t> m_shown_seed;  ///< the seed of the run last shown
    bool m_editable = false;
    QTimer m_debounce;
};

}  // namespace spindle::ui
