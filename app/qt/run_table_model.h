#pragma once
// RunTableModel: the base of the Tasks, Channels and Workers tables.
//
// State: a shared, read-only RunModel (null before the first run) and the
// playhead time. Subclasses turn the run into rows once per set_run(); columns
// that depend on the playhead (a task's state, a channel's length) are refreshed
// by set_time(), which only signals dataChanged for those columns. Every cell
// has a display text and a raw sort value (SortRole) so a QSortFilterProxyModel
// sorts numbers as numbers; IdRole gives the row's task / resource / worker id
// for selection sync with the timeline.

#include <QAbstractTableModel>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

#include "run_model.h"
#include "time_format.h"

namespace spindle::ui {

/// "thread 2" or "blocking 0", as the timeline names them ("global queue" for kGlobalQueue).
QString worker_label(const view::RunModel& model, WorkerId id);
/// A duration for a table cell ("1.25 ms").
QString duration_text(view::Time ns);

/// One unit for a column of times, so they line up: chosen from the run's length.
using TimeUnit = view::TimeUnit;
TimeUnit time_unit_for(view::Time run_end);
/// `t` in `unit` with its fixed decimals ("6.696 ms").
QString fixed_time(view::Time t, const TimeUnit& unit);

class RunTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int SortRole = Qt::UserRole;
    static constexpr int IdRole = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;

    /// Shows `model` (null clears the table); the playhead goes to its end.
    void set_run(std::shared_ptr<const view::RunModel> model);
    /// Moves the playhead: refreshes the columns that depend on it.
    void set_time(view::Time t);
    view::Time time() const { return m_time; }
    const view::RunModel* run() const { return m_model.get(); }

    /// The row showing the object with this id, or -1.
    int row_of(std::uint32_t id) const;
    /// The id shown in `row` (0 if out of range).
    std::uint32_t id_at(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;

protected:
    /// Rebuilds m_ids from m_model (called inside a model reset).
    virtual void rebuild() = 0;
    /// Columns whose value depends on the playhead (a contiguous range), or {-1, -1}.
    virtual std::pair<int, int> time_columns() const { return {-1, -1}; }

    std::shared_ptr<const view::RunModel> m_model;
    std::vector<std::uint32_t> m_ids;  ///< the id shown in each row
    view::Time m_time = 0;
};

}  // namespace spindle::ui
