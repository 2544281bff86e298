#pragma once
// WorkerTableModel: one row per worker thread (core workers, then blocking ones).
//
// Busy % is poll time over the worker's life (start to the run's end); Now is
// what the worker does at the playhead. Reads the shared RunModel only (see
// RunTableModel). Row ids are worker ids.

#include "run_table_model.h"

namespace spindle::ui {

class WorkerTableModel final : public RunTableModel {
    Q_OBJECT
public:
    enum Column {
        worker,
        worker_role,
        now,
        busy_percent,
        busy,
        polls,
        steals,
        stolen,
        parks,
        column_count
    };

    using RunTableModel::RunTableModel;

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /// Poll time of the worker over the whole run.
    static view::Time busy_time(const view::WorkerTrack& lane);
    /// Busy time over the worker's life, 0..100.
    static double busy_percent_of(const view::RunModel& model, const view::WorkerTrack& lane);

protected:
    void rebuild() override;
    std::pair<int, int> time_columns() const override { return {now, now}; }
};

}  // namespace spindle::ui
