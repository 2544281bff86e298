#pragma once
// LogModel: the run's output in time order — the scripts' print() lines, task
// failures ("file:line: message", with the traceback as tooltip), load and
// compile errors, and a closing line for deadlock or budget outcomes.
//
// State: a flat list of entries built once per set_run() from the RunModel and
// the RunReport; read-only afterwards. Entries without a time (a script that did
// not compile) come first, then the rest in time order. TimeRole gives an entry's
// time (-1 for none) so a click can move the playhead there.
//
// The playhead (set_time; none until the first call): entries after it have not
// happened yet and are dimmed; the latest entry at or before it is marked (its
// row is current_row()); untimed entries are neither. Kept as the index of the
// first entry after the playhead, so a move repaints only the rows it passed.

#include <QAbstractTableModel>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

#include "run_model.h"
#include "run_table_model.h"

namespace spindle::session {
struct RunReport;
}

namespace spindle::ui {

using session::RunReport;

class LogModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { time, task, message, column_count };
    static constexpr int TimeRole = Qt::UserRole;
    static constexpr int TaskRole = Qt::UserRole + 1;
    static constexpr int KindRole = Qt::UserRole + 2;
    /// An entry's Moment relative to the playhead, as an int.
    static constexpr int MomentRole = Qt::UserRole + 3;

    /// Where an entry stands relative to the playhead.
    enum class Moment : std::uint8_t {
        untimed,  ///< not tied to a moment of the run (or no playhead yet)
        past,     ///< at or before the playhead
        current,  ///< the latest entry at or before the playhead (marked)
        future,   ///< after the playhead (dimmed)
    };

    struct Entry {
        enum class Kind : std::uint8_t { print, error, note };
        Kind kind = Kind::print;
        view::Time time = -1;  ///< -1: not tied to a moment of the run
        TaskId task = 0;
        QString task_name;
        QString text;    ///< one line
        QString detail;  ///< full text (traceback) for the tooltip
        QString file;    ///< from "file:line: message", when present
        int line = 0;
    };

    using QAbstractTableModel::QAbstractTableModel;

    void set_run(const view::RunModel* model, const RunReport* report);
    const std::vector<Entry>& entries() const { return m_entries; }
    /// Counts of each kind (for the dock title).
    int error_count() const { return m_errors; }

    /// Moves the playhead to `t` (ns): the rows whose Moment changes are repainted.
    void set_time(view::Time t);
    /// The row of the latest entry at or before the playhead (-1: none, or no playhead).
    int current_row() const;
    Moment moment(int row) const;

    /// Splits "file:line: message" (false if `text` does not start like that).
    static bool parse_location(const QString& text, QString* file, int* line);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    /// The index of the first entry after `t` (untimed entries count as before).
    std::size_t first_after(view::Time t) const;

    std::vector<Entry> m_entries;
    int m_errors = 0;
    std::optional<view::Time> m_time;  ///< the playhead (none: nothing dimmed or marked)
    std::size_t m_first_future = 0;    ///< first_after(*m_time), when there is a playhead
    TimeUnit m_unit;                   ///< of the Time column, from the run's length
};

}  // namespace spindle::ui
