#include "legend_flow.h"

#include <algorithm>

namespace spindle::view {

std::vector<FlowPlace> flow_rows(const std::vector<double>& widths, double width, double pad,
                                 double gap) {
    std::vector<FlowPlace> out;
    out.reserve(widths.size());
    const double right = width - pad;
    double x = pad;
    int row = 0;
    for (const double w : widths) {
        if (x > pad && x + w > right) {
            ++row;
            x = pad;
        }
        out.push_back(FlowPlace{x, row});
        x += w + gap;
    }
    return out;
}

int flow_row_count(const std::vector<FlowPlace>& places) {
    return places.empty() ? 1 : places.back().row + 1;
}

}  // namespace spindle::view
