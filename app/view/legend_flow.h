#pragma once
// Legend flow: where each entry of a legend goes when the entries run left to right
// and wrap onto a new row rather than past the right edge (a narrow export, a run
// with many kinds of marks). An entry is never split.
//
// State: none. Pure geometry, headless (no Qt): the painter measures its entries,
// places them with flow_rows and paints each at its place.

#include <vector>

namespace spindle::view {

/// Where one entry goes: its left edge and its row (from 0).
struct FlowPlace {
    double x = 0;
    int row = 0;
};

/// Places entries of `widths` from `pad` rightwards, `gap` apart, in rows that end at
/// `width - pad`: an entry that would cross that edge starts the next row (an entry
/// wider than a row gets a row of its own). One place per width, in order.
std::vector<FlowPlace> flow_rows(const std::vector<double>& widths, double width, double pad,
                                 double gap);

/// How many rows flow_rows fills (1 for no entries: the legend's row stays).
int flow_row_count(const std::vector<FlowPlace>& places);

}  // namespace spindle::view
