// The time formatter against its table of cases (time_format_cases.h): what every
// view showed before the views shared one formatter.
#include <catch2/catch.hpp>

#include <string>

#include "time_format.h"
#include "time_format_cases.h"

using namespace spindle::view;
using namespace time_format_cases;

TEST_CASE("a time at a ruler step reads as the table says", "[app][time]") {
    for (const AtStep& c : kAtStep) {
        INFO(c.t << " at step " << c.step);
        CHECK(format_time(c.t, c.step) == std::string(c.text));
    }
}

TEST_CASE("a duration reads as the table says", "[app][time]") {
    for (const One& c : kDuration) {
        INFO(c.t);
        CHECK(format_duration(c.t) == std::string(c.text));
    }
}

TEST_CASE("a tooltip's time reads as the table says", "[app][time]") {
    for (const One& c : kTime) {
        INFO(c.t);
        CHECK(format_time(c.t) == std::string(c.text));
    }
}

TEST_CASE("a chart axis and a column of times pick units as the table says", "[app][time]") {
    for (const Unit& c : kAxisUnit) {
        INFO("axis over " << c.range);
        const TimeUnit unit = axis_unit(c.range);
        CHECK(unit.ns == c.ns);
        CHECK(std::string(unit.name) == c.name);
    }
    for (const Unit& c : kColumnUnit) {
        INFO("column up to " << c.range);
        const TimeUnit unit = column_unit(c.range);
        CHECK(unit.ns == c.ns);
        CHECK(std::string(unit.name) == c.name);
        CHECK(unit.decimals == c.decimals);
    }
}

TEST_CASE("a time in a column's fixed unit reads as the table says", "[app][time]") {
    for (const Fixed& c : kFixed) {
        INFO(c.t << " in a run of " << c.run_end);
        CHECK(format_fixed(c.t, column_unit(c.run_end)) == std::string(c.text));
    }
}
