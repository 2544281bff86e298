// The Qt sites that show times, against the table of cases they share with the
// formatter's test (tests/app/time_format_cases.h).
#include <catch2/catch.hpp>

#include <string>

#include "../app/time_format_cases.h"
#include "lane/lane.h"
#include "run_table_model.h"

using namespace spindle;
using namespace time_format_cases;

TEST_CASE("tooltip times read as the table says", "[gui][time]") {
    for (const One& c : kTime) {
        INFO(c.t);
        CHECK(render::format_time(c.t).toStdString() == c.text);
    }
}

TEST_CASE("durations in tooltips and table cells read as the table says", "[gui][time]") {
    for (const One& c : kDuration) {
        INFO(c.t);
        CHECK(render::format_duration(c.t).toStdString() == c.text);
        CHECK(ui::duration_text(c.t).toStdString() == c.text);
    }
}

TEST_CASE("a column of times picks its unit and decimals as the table says", "[gui][time]") {
    for (const Unit& c : kColumnUnit) {
        INFO(c.range);
        const ui::TimeUnit unit = ui::time_unit_for(c.range);
        CHECK(unit.ns == c.ns);
        CHECK(std::string(unit.name) == c.name);
        CHECK(unit.decimals == c.decimals);
    }
    for (const Fixed& c : kFixed) {
        INFO(c.t << " in a run of " << c.run_end);
        CHECK(ui::fixed_time(c.t, ui::time_unit_for(c.run_end)).toStdString() == c.text);
    }
}
