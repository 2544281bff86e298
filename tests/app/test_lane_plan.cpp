// LanePlan: which lanes a run gets and in what order — idle channels fold into one
// row, a request's channel sits right under the task that created it.
#include <catch2/catch.hpp>

#include <algorithm>

#include "app_test_support.h"
#include "lane_plan.h"
#include "run_model.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/sync/mpsc.h"
#include "spindle/sync/oneshot.h"

using namespace spindle;
using namespace spindle::view;

namespace {

/// main makes a request queue and two channels nobody uses; a client makes a oneshot
/// reply channel per request; a server answers through it.
void run_requests(RunModel& model) {
    RuntimeConfig c;
    c.workers = 2;
    Runtime rt(c);
    rt.subscribe(model);
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = mpsc::channel<oneshot::Sender<int>>(4, "requests");
        auto [unused_tx, unused_rx] = mpsc::channel<int>(4, "unused");
        auto [spare_tx, spare_rx] = mpsc::channel<int>(4, "spare");
        auto server = spawn("server", [](mpsc::Receiver<oneshot::Sender<int>> rx) -> Task<void> {
            while (auto reply = co_await rx.recv())
                reply->send(42);
        }(std::move(rx)));
        auto client = spawn("client", [](mpsc::Sender<oneshot::Sender<int>> tx) -> Task<void> {
            for (int i = 0; i < 2; ++i) {
                auto [reply_tx, reply_rx] = oneshot::channel<int>("reply");
                co_await tx.send(std::move(reply_tx));
                co_await reply_rx.recv();
            }
        }(std::move(tx)));
        co_await client;
        co_await server;
    }());
}

std::size_t index_of(const LanePlan& p, PlannedLane::Kind kind, std::uint64_t id) {
    for (std::size_t i = 0; i < p.lanes.size(); ++i)
        if (p.lanes[i].kind == kind && p.lanes[i].id == id) return i;
    return p.lanes.size();
}

}  // namespace

TEST_CASE("idle channels fold into one row at the end of the channels", "[app][lanes]") {
    RunModel m;
    run_requests(m);
    REQUIRE(m.run().outcome == RunOutcome::completed);
    const LanePlan plan = plan_lanes(m);
    std::vector<std::string> idle;
    for (ResourceId r : plan.idle_channels)
        idle.push_back(m.resource(r)->name);
    CHECK(idle == std::vector<std::string>{"unused", "spare"});
    const auto rows = std::count_if(plan.lanes.begin(), plan.lanes.end(), [](const PlannedLane& l) {
        return l.kind == PlannedLane::Kind::idle_channels;
    });
    CHECK(rows == 1);
    CHECK(plan.lanes.back().kind == PlannedLane::Kind::idle_channels);
    CHECK(plan.lanes.back().section == PlannedLane::Section::channels);
    for (ResourceId r : plan.idle_channels)
        CHECK(index_of(plan, PlannedLane::Kind::channel, r) == plan.lanes.size());
    // The request queue carried messages: it keeps its own lane, among the channels.
    const ResourceTrack& requests = m.resources().front();
    REQUIRE(requests.name == "requests");
    CHECK_FALSE(channel_idle(m, requests));
    const std::size_t q = index_of(plan, PlannedLane::Kind::channel, requests.id);
    REQUIRE(q < plan.lanes.size());
    CHECK(plan.lanes[q].section == PlannedLane::Section::channels);
}

TEST_CASE("a channel a task creates sits right under that task", "[app][lanes]") {
    RunModel m;
    run_requests(m);
    const LanePlan plan = plan_lanes(m);
    const TaskInfo* client = app_test::task_named(m, "client");
    REQUIRE(client);
    const std::size_t at = index_of(plan, PlannedLane::Kind::task, client->id);
    REQUIRE(at + 2 < plan.lanes.size());
    for (std::size_t i : {at + 1, at + 2}) {
        const PlannedLane& l = plan.lanes[i];
        CHECK(l.kind == PlannedLane::Kind::channel);
        CHECK(l.section == PlannedLane::Section::tasks);
        CHECK(l.owner == client->id);
        REQUIRE(m.resource(static_cast<ResourceId>(l.id)));
        CHECK(m.resource(static_cast<ResourceId>(l.id))->name == "reply");
        CHECK(m.resource(static_cast<ResourceId>(l.id))->creator == client->id);
    }
    // The next lane is the next task: the replies are grouped, in creation order.
    CHECK(plan.lanes[at + 1].id < plan.lanes[at + 2].id);
    // Workers first, every task once.
    CHECK(plan.lanes.front().kind == PlannedLane::Kind::worker);
    CHECK(std::count_if(plan.lanes.begin(), plan.lanes.end(), [](const PlannedLane& l) {
              return l.kind == PlannedLane::Kind::task;
          }) == static_cast<long>(m.tasks().size()));
}

TEST_CASE("a channel that only closed under a waiting receiver is not idle", "[app][lanes]") {
    RunModel m;
    RuntimeConfig c;
    Runtime rt(c);
    rt.subscribe(m);
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = mpsc::channel<int>(1, "done");
        auto waiter = spawn("waiter", [](mpsc::Receiver<int> rx) -> Task<void> {
            co_await rx.recv();  // ends when the sender is dropped
        }(std::move(rx)));
        co_await sleep(app_test::ms(1));  // the waiter waits meanwhile
        tx.drop();
        co_await waiter;
    }());
    const ResourceTrack& done = m.resources().front();
    REQUIRE(done.name == "done");
    CHECK(done.closed.has_value());
    CHECK(done.close_reason == CloseReason::senders_dropped);
    CHECK_FALSE(channel_idle(m, done));
    CHECK(plan_lanes(m).idle_channels.empty());
}
