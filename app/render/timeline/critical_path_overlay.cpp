#include "timeline/critical_path_overlay.h"

#include <algorithm>

namespace spindle::render {

namespace {

double centre(const std::vector<double>& lane_y, TaskId task) {
    return task >= 1 && task <= lane_y.size() ? lane_y[task - 1] : -1;
}

}  // namespace

void paint_critical_path(QPainter& p, const view::TimeAxis& axis,
                         const std::vector<view::PathSegment>& path,
                         const std::vector<double>& lane_y, double x0, const QRectF& clip,
                         const Theme& theme) {
    if (path.empty()) return;
    p.save();
    p.setClipRect(clip, Qt::IntersectClip);
    p.setRenderHint(QPainter::Antialiasing, true);
    const QColor line = theme.warn;
    const QColor fault = theme.alert;
    const double left = x0 - 2, right = x0 + axis.width() + 2;
    double prev_y = -1, prev_x = 0;
    for (const view::PathSegment& s : path) {
        const double y = centre(lane_y, s.task);
        const double xa = std::clamp(x0 + axis.x(s.start), left, right);
        const double xb = std::clamp(x0 + axis.x(s.end), left, right);
        if (prev_y >= 0 && y >= 0 && prev_y != y) {
            // The path jumps lanes here (a wake or a spawn).
            p.setPen(QPen(line, 1.6));
            p.drawLine(QPointF(prev_x, prev_y), QPointF(xa, y));
        }
        if (y >= 0 && xb >= left && xa <= right) {
            QPen pen(line, 3.2, Qt::SolidLine, Qt::FlatCap);
            switch (s.kind) {
                case view::SegmentKind::running:
                    break;
                case view::SegmentKind::queued_idle:
                    pen.setColor(fault);
                    break;
                case view::SegmentKind::queued_busy:
                    pen.setWidthF(2.2);
                    break;
                case view::SegmentKind::waiting:
                    pen.setWidthF(1.6);
                    pen.setStyle(Qt::DashLine);
                    break;
            }
            p.setPen(pen);
            p.drawLine(QPointF(xa, y), QPointF(std::max(xb, xa + 1), y));
        }
        if (y >= 0) {
            prev_y = y;
            prev_x = xb;
        }
    }
    p.restore();
}

}  // namespace spindle::render
