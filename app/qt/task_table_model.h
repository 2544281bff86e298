#pragma once
// TaskTableModel: one row per task, tokio-console style.
//
// Totals (busy, idle, scheduled wait, polls, wakes) are over the whole run; the
// State column is the task's state at the playhead ("running on worker 2",
// "waiting: recv 'jobs'", "completed"), so it follows playback. Failed tasks are
// drawn in red. Reads the shared RunModel only (see RunTableModel).

#include <QString>

#include "run_table_model.h"

namespace spindle::ui {

class TaskTableModel final : public RunTableModel {
    Q_OBJECT
public:
    enum Column {
        id,
        name,
        state,
        total,
        busy,
        idle,
        scheduled_wait,
        polls,
        wakes,
        last_worker,
        column_count
    };

    using RunTableModel::RunTableModel;

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /// What `task` is doing at time `t`, in words.
    static QString state_text(const view::RunModel& model, const view::TaskInfo& task,
                              view::Time t);
    /// The task's lifetime: spawn to end (or to the run's end).
    static view::Time lifetime(const view::RunModel& model, const view::TaskInfo& task);

protected:
    void rebuild() override;
    std::pair<int, int> time_columns() const override { return {state, state}; }
};

}  // namespace spindle::ui
