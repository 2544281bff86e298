#include "channel_table_model.h"

#include <algorithm>

namespace spindle::ui {

std::uint32_t ChannelTableModel::length_at(const view::ResourceTrack& channel, view::Time t) {
    const auto& pts = channel.length;
    auto it = std::partition_point(pts.begin(), pts.end(),
                                   [t](const view::LenPoint& p) { return p.time <= t; });
    return it == pts.begin() ? 0 : std::prev(it)->len;
}

void ChannelTableModel::rebuild() {
    for (const view::ResourceTrack& r : m_model->resources())
        if (r.id != 0 && r.is_channel()) m_ids.push_back(r.id);
}

int ChannelTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : column_count;
}

QVariant ChannelTableModel::data(const QModelIndex& index, int role) const {
    if (!m_model || !index.isValid()) return {};
    const view::ResourceTrack* r = m_model->resource(id_at(index.row()));
    if (!r) return {};
    if (role == IdRole) return r->id;
    if (role == Qt::TextAlignmentRole) {
        const bool text = index.column() == name || index.column() == kind;
        return QVariant::fromValue(Qt::AlignVCenter | (text ? Qt::AlignLeft : Qt::AlignRight));
    }
    if (role == Qt::ToolTipRole && index.column() == length)
        return QStringLiteral("Buffer length at the playhead");
    if (role != Qt::DisplayRole && role != SortRole) return {};
    const bool sort = role == SortRole;
    const bool bounded = r->capacity != kUnbounded;
    switch (static_cast<Column>(index.column())) {
        case id:
            return r->id;
        case name:
            return QString::fromStdString(r->name);
        case kind:
            return QString::fromUtf8(to_string(r->kind).data());
        case capacity:
            if (sort) return bounded ? qlonglong(r->capacity) : qlonglong(-1);
            return bounded ? QString::number(r->capacity) : QStringLiteral("unbounded");
        case length:
            if (r->created > m_time) return sort ? QVariant(-1) : QVariant(QString());
            return length_at(*r, m_time);
        case sent:
            return qulonglong(r->sent);
        case received:
            return qulonglong(r->received);
        case max_length:
            return r->max_len;
        case lagged:
            return qulonglong(r->lagged);
        case time_full:
            if (sort) return qlonglong(r->time_full);
            return bounded && r->kind != ResourceKind::watch ? duration_text(r->time_full)
                                                             : QStringLiteral("–");
        case column_count:
            break;
    }
    return {};
}

QVariant ChannelTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    static const char* const names[column_count] = {"ID",     "Name",     "Kind",     "Capacity",
                                                    "Length", "Sent",     "Received", "Max len",
                                                    "Lagged", "Time full"};
    static const char* const tips[column_count] = {
        "Resource id",
        "Channel name",
        "mpsc, oneshot, broadcast or watch",
        "Buffer capacity",
        "Messages in the buffer at the playhead",
        "Messages sent",
        "Messages received",
        "Largest buffer length seen",
        "Messages a lagging broadcast receiver skipped",
        "Time the buffer spent at capacity (senders wait)"};
    if (section < 0 || section >= column_count) return {};
    if (role == Qt::DisplayRole) return QString::fromLatin1(names[section]);
    if (role == Qt::ToolTipRole) return QString::fromLatin1(tips[section]);
    return {};
}

}  // namespace spindle::ui
