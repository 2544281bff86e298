// The app's tables and `spindle-run --summary-json` agree, field by field, on every
// shipped scenario: both read one fold of the statistics.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "../support/command_runner.h"
#include "channel_table_model.h"
#include "run_session.h"
#include "task_table_model.h"
#include "worker_table_model.h"

using namespace spindle;
using namespace spindle::ui;
using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

QVariant raw(const QAbstractItemModel& m, int row, int column) {
    return m.data(m.index(row, column), RunTableModel::SortRole);
}

/// `ms` as the JSON writes it, from the table's nanoseconds.
double ms(const QVariant& ns) {
    return static_cast<double>(ns.toLongLong()) / 1e6;
}

}  // namespace

TEST_CASE("tables agree with spindle-run --summary-json on every shipped scenario",
          "[tables][summary]") {
    const fs::path dir = test_support::temp_dir("spindle-agree");
    for (const auto& entry : fs::directory_iterator(fs::path(SPINDLE_SOURCE_DIR) / "scenarios")) {
        if (entry.path().extension() != ".lua") continue;
        const std::string name = entry.path().stem().string();
        DYNAMIC_SECTION(name) {
            const fs::path json_path = dir / (name + ".json");
            const test_support::Output cli =
                test_support::run_command(std::string(SPINDLE_RUN_PATH) + " -q --summary-json " +
                                              json_path.string() + " " + entry.path().string(),
                                          dir);
            INFO(cli.err);
            const Json j = Json::parse(test_support::slurp(json_path));

            session::RunRequest request;
            request.path = entry.path();
            const session::Session s = session::run_session(request);
            REQUIRE(s.model);
            std::shared_ptr<const view::RunModel> model = s.model;

            TaskTableModel tasks;
            tasks.set_run(model);
            REQUIRE(tasks.rowCount() == static_cast<int>(j["tasks"].size()));
            for (int row = 0; row < tasks.rowCount(); ++row) {
                const Json& t = j["tasks"][static_cast<std::size_t>(row)];
                INFO("task " << t["name"]);
                CHECK(raw(tasks, row, TaskTableModel::id).toUInt() == t["id"].get<unsigned>());
                CHECK(raw(tasks, row, TaskTableModel::name).toString().toStdString() == t["name"]);
                CHECK(raw(tasks, row, TaskTableModel::polls).toULongLong() ==
                      t["polls"].get<std::uint64_t>());
                CHECK(raw(tasks, row, TaskTableModel::wakes).toULongLong() ==
                      t["wakes"].get<std::uint64_t>());
                CHECK(ms(raw(tasks, row, TaskTableModel::busy)) ==
                      Approx(t["busy_ms"].get<double>()).margin(1e-9));
                CHECK(ms(raw(tasks, row, TaskTableModel::scheduled_wait)) ==
                      Approx(t["scheduled_wait_ms"].get<double>()).margin(1e-9));
                CHECK(ms(raw(tasks, row, TaskTableModel::idle)) ==
                      Approx(t["idle_ms"].get<double>()).margin(1e-9));
                const int worker = raw(tasks, row, TaskTableModel::last_worker).toInt();
                if (t["worker"].is_null())
                    CHECK(worker == -1);
                else
                    CHECK(worker == t["worker"].get<int>());
            }

            ChannelTableModel channels;
            channels.set_run(model);
            REQUIRE(channels.rowCount() == static_cast<int>(j["channels"].size()));
            for (int row = 0; row < channels.rowCount(); ++row) {
                const Json& c = j["channels"][static_cast<std::size_t>(row)];
                INFO("channel " << c["name"]);
                CHECK(raw(channels, row, ChannelTableModel::id).toUInt() ==
                      c["id"].get<unsigned>());
                CHECK(raw(channels, row, ChannelTableModel::sent).toULongLong() ==
                      c["sent"].get<std::uint64_t>());
                CHECK(raw(channels, row, ChannelTableModel::received).toULongLong() ==
                      c["received"].get<std::uint64_t>());
                CHECK(raw(channels, row, ChannelTableModel::max_length).toULongLong() ==
                      c["max_len"].get<std::uint64_t>());
                CHECK(raw(channels, row, ChannelTableModel::lagged).toULongLong() ==
                      c["lagged"].get<std::uint64_t>());
                CHECK(ms(raw(channels, row, ChannelTableModel::time_full)) ==
                      Approx(c["time_full_ms"].get<double>()).margin(1e-9));
            }

            WorkerTableModel workers;
            workers.set_run(model);
            REQUIRE(workers.rowCount() == static_cast<int>(j["workers"].size()));
            for (int row = 0; row < workers.rowCount(); ++row) {
                const Json& w = j["workers"][static_cast<std::size_t>(row)];
                INFO("worker " << w["id"]);
                CHECK(workers.data(workers.index(row, 0), RunTableModel::IdRole).toInt() ==
                      w["id"].get<int>());
                CHECK(raw(workers, row, WorkerTableModel::polls).toULongLong() ==
                      w["polls"].get<std::uint64_t>());
                CHECK(ms(raw(workers, row, WorkerTableModel::busy)) ==
                      Approx(w["busy_ms"].get<double>()).margin(1e-9));
                CHECK(raw(workers, row, WorkerTableModel::steals).toULongLong() ==
                      w["steals"].get<std::uint64_t>());
                CHECK(raw(workers, row, WorkerTableModel::stolen).toULongLong() ==
                      w["stolen_tasks"].get<std::uint64_t>());
                CHECK(raw(workers, row, WorkerTableModel::parks).toULongLong() ==
                      w["parks"].get<std::uint64_t>());
            }
        }
    }
}
