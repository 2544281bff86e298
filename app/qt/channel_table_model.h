#pragma once
// ChannelTableModel: one row per channel (mpsc, oneshot, broadcast, watch).
//
// Counters are over the whole run; Length is the buffer length at the playhead,
// so it follows playback. Reads the shared RunModel only (see RunTableModel).

#include "run_table_model.h"

namespace spindle::ui {

class ChannelTableModel final : public RunTableModel {
    Q_OBJECT
public:
    enum Column {
        id,
        name,
        kind,
        capacity,
        length,
        sent,
        received,
        max_length,
        lagged,
        time_full,
        column_count
    };

    using RunTableModel::RunTableModel;

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /// The channel's buffer length at time `t`.
    static std::uint32_t length_at(const view::ResourceTrack& channel, view::Time t);

protected:
    void rebuild() override;
    std::pair<int, int> time_columns() const override { return {length, length}; }
};

}  // namespace spindle::ui
