#pragma once
// ExploreDialog: asks how to explore the open scenario's schedules (Run › Explore
// Schedules…): the strategy, PCT's depth, the timing jitter, how many schedules
// and on how many threads. State: only its widgets; settings() reads them. The
// window starts the exploration with what it returns, and keeps the choices for
// the next launch (load_explore_settings / save_explore_settings: the "explore/"
// keys of app_settings(); GUI thread only).

#include <QDialog>

#include <cstdint>

#include "spindle/core/config.h"

class QComboBox;
class QSpinBox;

namespace spindle::ui {

/// What the dialog asks for.
struct ExploreSettings {
    Strategy strategy = Strategy::pct;
    std::uint32_t depth = 3;
    std::uint32_t jitter_pct = 0;
    std::uint64_t runs = 1000;
    unsigned jobs = 0;  ///< 0: one per core
};

/// The choices saved last (defaults for what was never saved or is out of range).
ExploreSettings load_explore_settings();
/// Saves the choices for the next dialog, in this session or the next launch. Jobs
/// equal to the number of cores are saved as "one per core".
void save_explore_settings(const ExploreSettings& settings);

class ExploreDialog final : public QDialog {
    Q_OBJECT
public:
    /// Starts from `initial` (jobs 0 shows the number of cores).
    explicit ExploreDialog(const ExploreSettings& initial, QWidget* parent = nullptr);

    ExploreSettings settings() const;

    QComboBox* strategy_box() const { return m_strategy; }
    QSpinBox* depth_box() const { return m_depth; }
    QSpinBox* jitter_box() const { return m_jitter; }
    QSpinBox* runs_box() const { return m_runs; }
    QSpinBox* jobs_box() const { return m_jobs; }

private:
    QComboBox* m_strategy = nullptr;
    QSpinBox* m_depth = nullptr;
    QSpinBox* m_jitter = nullptr;
    QSpinBox* m_runs = nullptr;
    QSpinBox* m_jobs = nullptr;
};

}  // namespace spindle::ui
