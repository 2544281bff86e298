// The time formatter against its table of cases (time_format_cases.h): what every
// view showed before the views shared one formatter.
#include <catch2/catch.hpp>

#include <string>

#include "time_axis.h"
#include "time_format_cases.h"

using namespace spindle::view;
using namespace time_format_cases;

TEST_CASE("a time at a ruler step reads as the table says", "[app][time]") {
    for (const AtStep& c : kAtStep) {
        INFO(c.t << " at step " << c.step);
        CHECK(TimeAxis::format(c.t, c.step) == std::string(c.text));
    }
}

TEST_CASE("a duration reads as the table says", "[app][time]") {
    for (const One& c : kDuration) {
        INFO(c.t);
        CHECK(TimeAxis::format_duration(c.t) == std::string(c.text));
    }
}
