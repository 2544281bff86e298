#pragma once
// What each view shows for a time: cases taken from the formatting code of every
// site before they shared one formatter (TimeAxis::format and format_duration,
// render's format_time, the run tables' time_unit_for and fixed_time, the charts'
// unit_for), and checked against that code. Plain data, shared by tests/app (the
// formatter) and tests/gui (the Qt sites). Invariant: an entry changes only with a
// deliberate change of what the views show (and of the golden pictures with it).

#include <cstdint>

namespace time_format_cases {

/// A time labelled for a ruler step (TimeAxis::format before; the ruler, the charts).
struct AtStep {
    std::int64_t t;
    std::int64_t step;
    const char* text;
};
inline constexpr AtStep kAtStep[] = {
    {0, 1, "0 ns"},
    {0, 100, "0 ns"},
    {0, 1000000, "0 ms"},
    {0, 1000000000, "0 s"},
    {1, 1, "1 ns"},
    {7, 20000, "0 µs"},
    {999, 1, "999 ns"},
    {999, 100, "999 ns"},
    {1000, 1, "1.000 µs"},
    {1000, 100, "1.0 µs"},
    {1050, 100, "1.1 µs"},
    {1250, 100, "1.2 µs"},  // printf: an exact half rounds to even
    {1500, 1000, "2 µs"},
    {12345, 10, "12.35 µs"},
    {62500, 100, "62.5 µs"},
    {99999, 1000, "100 µs"},
    {999999, 100, "1000.0 µs"},
    {999999, 1000, "1000 µs"},
    {1000000, 1000, "1.000 ms"},
    {1000000, 1000000, "1 ms"},
    {1234567, 1000, "1.235 ms"},
    {1234567, 20000, "1.23 ms"},
    {1500000, 100000, "1.5 ms"},
    {2000000, 2, "2.000000 ms"},
    {2000000, 5, "2.000000 ms"},
    {12345678, 1000, "12.346 ms"},
    {999999999, 1000, "1000.000 ms"},
    {1000000000, 1000, "1.000000 s"},
    {1062500000, 1000000, "1.062 s"},
    {1234567890, 1000000000, "1 s"},
    {2000000000, 1000000000, "2 s"},
    {61000000000, 100000, "61.0000 s"},
    {-5, 1, "-5 ns"},
    {-1234567, 1000, "-1.235 ms"},
    {-2500000, 1000000, "-2 ms"},
};

/// One time or duration and its text.
struct One {
    std::int64_t t;
    const char* text;
};

/// A time precise to 0.1 µs below 1 ms, to 1 µs above (render's format_time before:
/// tooltips, the playhead, the stage's clock).
inline constexpr One kTime[] = {
    {0, "0 ns"},
    {1, "1 ns"},
    {99, "99 ns"},
    {999, "999 ns"},
    {1000, "1.0 µs"},
    {1050, "1.1 µs"},
    {1150, "1.1 µs"},
    {1250, "1.2 µs"},
    {12345, "12.3 µs"},
    {62500, "62.5 µs"},
    {99999, "100.0 µs"},
    {999999, "1000.0 µs"},
    {1000000, "1.000 ms"},
    {1234567, "1.235 ms"},
    {6696000, "6.696 ms"},
    {12345678, "12.346 ms"},
    {999999999, "1000.000 ms"},
    {1000000000, "1.000000 s"},
    {1062500000, "1.062500 s"},
    {1234567890, "1.234568 s"},
    {61000000000, "61.000000 s"},
    {-5, "-5 ns"},
    {-1234567, "-1.235 ms"},
    {-2500000, "-2.500 ms"},
};

/// A duration, three significant digits (TimeAxis::format_duration before: tooltips,
/// table cells, the charts, the status bar).
inline constexpr One kDuration[] = {
    {0, "0 ns"},
    {1, "1 ns"},
    {150, "150 ns"},
    {999, "999 ns"},
    {1000, "1 µs"},
    {1050, "1.05 µs"},
    {1150, "1.15 µs"},
    {1250, "1.25 µs"},
    {12345, "12.3 µs"},
    {62500, "62.5 µs"},
    {99999, "100 µs"},
    {999999, "1e+03 µs"},  // %.3g of 999.999
    {1000000, "1 ms"},
    {1234567, "1.23 ms"},
    {3200000, "3.2 ms"},
    {6696000, "6.7 ms"},
    {999999999, "1e+03 ms"},
    {1000000000, "1 s"},
    {1062500000, "1.06 s"},
    {61000000000, "61 s"},
    {-5, "-5 ns"},
    {-1234567, "-1.23 ms"},
    {-2500000, "-2.5 ms"},
};

/// The unit chosen for a range of times.
struct Unit {
    std::int64_t range;
    double ns;
    const char* name;
    int decimals;  ///< -1: not part of the choice
};

/// A chart's time axis over a span: the largest unit the span holds one of (the
/// charts' unit_for before).
inline constexpr Unit kAxisUnit[] = {
    {-5, 1, "ns", -1},          {0, 1, "ns", -1},           {999, 1, "ns", -1},
    {1000, 1e3, "µs", -1},      {999999, 1e3, "µs", -1},    {1000000, 1e6, "ms", -1},
    {999999999, 1e6, "ms", -1}, {1000000000, 1e9, "s", -1}, {61000000000, 1e9, "s", -1},
};

/// A column of times up to a run's end: seconds only from 10 s (the run tables'
/// time_unit_for before).
inline constexpr Unit kColumnUnit[] = {
    {0, 1, "ns", 0},
    {999, 1, "ns", 0},
    {1000, 1e3, "µs", 1},
    {999999, 1e3, "µs", 1},
    {1000000, 1e6, "ms", 3},
    {9999999999, 1e6, "ms", 3},
    {10000000000, 1e9, "s", 3},
    {12345678901, 1e9, "s", 3},
};

/// A time in a column's unit with its fixed decimals (fixed_time before, through
/// QString::arg: an exact half rounds away from zero).
struct Fixed {
    std::int64_t t;
    std::int64_t run_end;  ///< picks the unit as kColumnUnit
    const char* text;
};
inline constexpr Fixed kFixed[] = {
    {0, 0, "0 ns"},
    {7, 0, "7 ns"},
    {1250, 0, "1250 ns"},
    {-5, 0, "-5 ns"},
    {0, 1000, "0.0 µs"},
    {7, 1000, "0.0 µs"},
    {999, 1000, "1.0 µs"},
    {1150, 1000, "1.1 µs"},
    {1250, 1000, "1.3 µs"},  // an exact half: away from zero
    {-1250, 1000, "-1.3 µs"},
    {4750, 1000, "4.8 µs"},
    {62500, 1000, "62.5 µs"},
    {99999, 1000, "100.0 µs"},
    {12345678, 1000, "12345.7 µs"},
    {-5, 1000, "-0.0 µs"},
    {0, 1000000, "0.000 ms"},
    {999, 1000000, "0.001 ms"},
    {1250, 1000000, "0.001 ms"},
    {18750, 1000000, "0.019 ms"},
    {62500, 1000000, "0.063 ms"},  // an exact half: away from zero
    {-62500, 1000000, "-0.063 ms"},
    {1187500, 1000000, "1.188 ms"},
    {6696000, 1000000, "6.696 ms"},
    {12345678, 1000000, "12.346 ms"},
    {1062500000, 1000000, "1062.500 ms"},
    {61000000000, 1000000, "61000.000 ms"},
    {-5, 1000000, "-0.000 ms"},
    {-2500000, 1000000, "-2.500 ms"},
    {0, 10000000000, "0.000 s"},
    {999999, 10000000000, "0.001 s"},
    {6696000, 10000000000, "0.007 s"},
    {1062500000, 10000000000, "1.063 s"},
    {61000000000, 10000000000, "61.000 s"},
    {-2500000, 10000000000, "-0.003 s"},
};

}  // namespace time_format_cases
