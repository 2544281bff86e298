// StageLayout headless: the geometry of shipped scenarios' stages, without painting
// — chips inside their boxes, captions clear of one another and of the boxes.
#include <catch2/catch.hpp>

#include <QRectF>

#include <string>
#include <vector>

#include "gui_test_support.h"
#include "stage/stage_layout.h"
#include "stage_model.h"

using namespace spindle;
using namespace spindle::render;
using spindle::test::scenario_model;
using view::StageArea;

namespace {

const char* const kScenarios[] = {"worker_pool.lua", "blocking.lua",     "work_stealing.lua",
                                  "lifo_slot.lua",   "backpressure.lua", "select_race.lua",
                                  "deadlock.lua",    "rwlock_cache.lua"};
const double kWidths[] = {stage::kMinLayoutWidth, 1200, 1600};

/// Whether `a` and `b` share more than a sliver (edges that touch do not count).
bool overlap(const QRectF& a, const QRectF& b) {
    const QRectF both = a.intersected(b);
    return both.width() > 1e-6 && both.height() > 1e-6;
}

/// Every box and row a caption must stay clear of.
std::vector<QRectF> boxes(const StageLayout& l) {
    std::vector<QRectF> out;
    for (const auto* list : {&l.cores, &l.lanes})
        for (const StageLayout::WorkerBox& b : *list)
            out.push_back(b.box);
    for (const StageLayout::Panel* p :
         {&l.global, &l.pool, &l.sleeping, &l.joining, &l.idle, &l.done})
        if (p->shown) out.push_back(p->box);
    for (const StageLayout::ChannelRow& c : l.channels)
        out.push_back(c.row);
    for (const StageLayout::ResourceRow& r : l.resources)
        out.push_back(r.row);
    return out;
}

/// The box a chip at rest in `slot` must lie in (null: a place with no box).
const QRectF* box_of(const StageLayout& l, const view::StageSlot& slot) {
    switch (slot.area) {
        case StageArea::running:
        case StageArea::lifo:
        case StageArea::local:
        case StageArea::lane:
            return l.worker(slot.owner) ? &l.worker(slot.owner)->box : nullptr;
        case StageArea::global:
            return &l.global.box;
        case StageArea::blocking_queue:
            return &l.pool.box;
        case StageArea::sleeping:
            return &l.sleeping.box;
        case StageArea::joining:
            return &l.joining.box;
        case StageArea::idle:
            return &l.idle.box;
        case StageArea::done:
            return &l.done.box;
        default:
            return nullptr;
    }
}

}  // namespace

TEST_CASE("a chip's place lies inside its worker's box or its panel", "[gui][stage][layout]") {
    const StageFonts fonts(Theme::light());
    std::size_t checked = 0;
    for (const char* name : kScenarios) {
        const view::RunModel& m = scenario_model(name);
        const view::StageIndex index(m);
        for (const double width : kWidths) {
            const StageLayout l = StageLayout::build(index, fonts, width);
            CHECK(l.width == width);
            for (int i = 0; i <= 40; ++i) {
                const view::StageSnapshot s = index.at(m.end_time() * i / 40, 0);
                for (const view::TaskChip& c : s.tasks) {
                    const QRectF* box = box_of(l, c.to);
                    const StageLayout::Place at = l.place(c.to, s);
                    if (!box || !at.shown) continue;
                    INFO(name << " at " << s.time << ", " << width << " px wide: task " << c.task
                              << " in area " << static_cast<int>(c.to.area));
                    REQUIRE(at.valid);
                    const QRectF chip = stage::centred(at.centre, l.chip());
                    CHECK(box->contains(chip));
                    CHECK(l.task_at(s, at.centre) != 0);
                    ++checked;
                }
            }
        }
    }
    CHECK(checked > 1000);
}

TEST_CASE("captions keep clear of one another and of the boxes", "[gui][stage][layout]") {
    const StageFonts fonts(Theme::light());
    for (const char* name : kScenarios) {
        const view::StageIndex index(scenario_model(name));
        for (const double width : kWidths) {
            INFO(name << ", " << width << " px wide");
            const StageLayout l = StageLayout::build(index, fonts, width);
            const std::vector<QRectF> all = boxes(l);
            REQUIRE_FALSE(l.sections.empty());
            for (std::size_t i = 0; i < l.sections.size(); ++i) {
                const QRectF& caption = l.sections[i].rect;
                CHECK(caption.left() >= 0);
                CHECK(caption.right() <= width);
                for (std::size_t j = i + 1; j < l.sections.size(); ++j)
                    CHECK_FALSE(overlap(caption, l.sections[j].rect));
                for (const QRectF& box : all)
                    CHECK_FALSE(overlap(caption, box));
            }
            if (!l.channels.empty()) {
                const QRectF columns[] = {l.send_caption.rect, l.buffer_caption.rect,
                                          l.receive_caption.rect};
                CHECK(columns[1].width() > 0);
                CHECK_FALSE(overlap(columns[0], columns[1]));
                CHECK_FALSE(overlap(columns[1], columns[2]));
                CHECK_FALSE(overlap(columns[0], columns[2]));
                for (const QRectF& column : columns)
                    for (const QRectF& box : all)
                        CHECK_FALSE(overlap(column, box));
            }
            // The legend: one line under everything, entries left to right.
            REQUIRE(l.legend.size() >= 5);
            double x = 0;
            for (const StageLayout::LegendEntry& e : l.legend) {
                CHECK(e.caption.rect.left() >= x);
                CHECK(e.caption.rect.top() >= l.legend_top);
                x = e.caption.rect.right();
            }
            for (const QRectF& box : all)
                CHECK(box.bottom() <= l.legend_top);
            CHECK(l.height >= l.legend_top + stage::kLegend);
        }
    }
}

TEST_CASE("captions under chips in a panel do not overlap", "[gui][stage][layout]") {
    const StageFonts fonts(Theme::light());
    std::size_t compared = 0;
    for (const char* name : kScenarios) {
        const view::RunModel& m = scenario_model(name);
        const view::StageIndex index(m);
        const StageLayout l = StageLayout::build(index, fonts, 1200);
        for (int i = 0; i <= 200; ++i) {
            const view::StageSnapshot s = index.at(m.end_time() * i / 200, 0);
            const std::pair<const StageLayout::Panel*, std::size_t> panels[] = {
                {&l.sleeping, s.sleeping.size()}, {&l.joining, s.joining.size()}};
            for (const auto& [panel, count] : panels) {
                if (!panel->shown) continue;
                std::vector<QRectF> captions;
                for (std::size_t k = 0; k < count; ++k)
                    if (const auto r = StageLayout::caption_under(panel->row, k, count))
                        captions.push_back(*r);
                INFO(name << " at " << s.time << ": " << captions.size() << " captions");
                for (std::size_t a = 0; a < captions.size(); ++a) {
                    CHECK(panel->box.contains(captions[a]));
                    for (std::size_t b = a + 1; b < captions.size(); ++b, ++compared)
                        CHECK_FALSE(overlap(captions[a], captions[b]));
                }
            }
        }
    }
    CHECK(compared > 0);  // some panel held two captioned chips at once
}

TEST_CASE("the stage draws only the run queues the policy has", "[gui][stage][layout]") {
    const StageFonts fonts(Theme::light());
    const view::RunModel& stealing = scenario_model("worker_pool.lua", Policy::work_stealing);
    for (const double width : kWidths) {
        INFO(width << " px wide");
        // Work-stealing: each thread a LIFO slot and a local queue, the global queue beside.
        const view::StageIndex ws_index(stealing);
        const StageLayout ws = StageLayout::build(ws_index, fonts, width);
        REQUIRE(ws.cores.size() == 4);
        for (const StageLayout::WorkerBox& b : ws.cores) {
            CHECK(b.has_queues());
            CHECK(ws.global.box.left() >= b.box.right());
        }

        for (const Policy policy : {Policy::global_queue, Policy::current_thread}) {
            const view::RunModel& m = scenario_model("worker_pool.lua", policy);
            REQUIRE(m.run().policy == policy);
            INFO(to_string(policy));
            const view::StageIndex index(m);
            const StageLayout l = StageLayout::build(index, fonts, width);
            // Current-thread runs on one thread; neither policy queues per thread.
            CHECK(l.cores.size() == (policy == Policy::current_thread ? 1u : 4u));
            for (const StageLayout::WorkerBox& b : l.cores) {
                CHECK_FALSE(b.has_queues());
                CHECK(b.queue.rect.isNull());
                CHECK(b.box.height() < ws.cores.front().box.height());  // one line: "runs"
                CHECK(l.global.box.top() >= b.box.bottom());            // the queue under them
            }
            CHECK(l.global.shown);
            CHECK(l.global.box.width() == Approx(width - 2 * stage::kPad));
            // Queued tasks sit in the global queue, inside its box; none in a thread's.
            std::size_t queued = 0;
            for (int i = 0; i <= 200; ++i) {
                const view::StageSnapshot s = index.at(m.end_time() * i / 200, 0);
                for (const view::TaskChip& c : s.tasks) {
                    CHECK(c.to.area != StageArea::lifo);
                    CHECK(c.to.area != StageArea::local);
                    if (c.to.area != StageArea::global) continue;
                    const StageLayout::Place at = l.place(c.to, s);
                    REQUIRE(at.valid);
                    if (at.shown) CHECK(l.global.box.contains(stage::centred(at.centre, l.chip())));
                    ++queued;
                }
            }
            CHECK(queued > 0);
        }
    }
}

TEST_CASE("with Rayon pools the legend says which end of a deque is whose",
          "[gui][stage][layout]") {
    const StageFonts fonts(Theme::light());
    auto note = [&](const char* name, double width) {
        const view::StageIndex index(scenario_model(name));
        const StageLayout l = StageLayout::build(index, fonts, width);
        for (const StageLayout::LegendEntry& e : l.legend)
            if (e.sample == StageLayout::LegendEntry::Sample::note) {
                CHECK(e.caption.rect.right() <= width);
                return e.caption.text;
            }
        return QString();
    };
    CHECK(note("rayon_sum.lua", 1200).contains(QStringLiteral("thieves take from the left")));
    CHECK(note("worker_pool.lua", 1200).isEmpty());  // no deques, no note
    CHECK(note("rayon_sum.lua", 700).isEmpty());     // no room: left out, not clipped
}
