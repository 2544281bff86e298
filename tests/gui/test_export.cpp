// export_timeline: PNG, SVG and PDF files, their sizes and contents, and failures
// that leave nothing behind.
#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QSet>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <atomic>

#include "../support/write_failures.h"
#include "export.h"
#include "gui_test_support.h"
#include "run_session.h"

using namespace spindle;
using namespace spindle::render;
using spindle::test::scenario_model;

namespace {

QByteArray read_all(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// The height export_timeline gives a timeline with `options`.
int expected_height(const view::RunModel& m, const ExportOptions& options) {
    TimelineRenderer r(m);
    r.set_options(options.render);
    if (!options.title.isEmpty() || !options.note.isEmpty())
        r.set_title(options.title, options.note, options.note_alert);
    return static_cast<int>(std::ceil(r.content_height(options.width)));
}

}  // namespace

TEST_CASE("PNG export: requested width × pixel ratio, and not blank", "[gui][export]") {
    const view::RunModel& m = scenario_model("worker_pool.lua");
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("wp.png"));
    ExportOptions o;
    o.width = 900;
    o.pixel_ratio = 2;
    const ExportResult result = export_timeline(m, o, path);
    INFO(result.message.toStdString());
    REQUIRE(result.ok);
    CHECK(result.message.contains(path));

    QImage image;
    REQUIRE(image.load(path));
    CHECK(image.width() == 1800);
    CHECK(image.height() == 2 * expected_height(m, o));

    // Many colours (task palette, states, text) and plenty of non-background pixels.
    QSet<QRgb> colours;
    std::size_t ink = 0;
    const QRgb background = Theme::light().background.rgb();
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) {
            const QRgb c = image.pixel(x, y);
            colours.insert(c);
            ink += c != background;
        }
    const std::size_t sampled = static_cast<std::size_t>(image.width() / 2) * (image.height() / 2);
    CHECK(colours.size() > 30);
    CHECK(ink > sampled / 5);
}

TEST_CASE("PNG export of a range and at pixel ratio 1", "[gui][export]") {
    const view::RunModel& m = scenario_model("worker_pool.lua");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("range.png"));
    ExportOptions o;
    o.width = 640;
    o.pixel_ratio = 1;
    o.range = std::pair<view::Time, view::Time>{1'000'000, 2'000'000};
    REQUIRE(export_timeline(m, o, path).ok);
    QImage image;
    REQUIRE(image.load(path));
    CHECK(image.width() == 640);
    CHECK(image.height() == expected_height(m, o));

    o.range = std::pair<view::Time, view::Time>{2'000'000, 2'000'000};
    const QString empty = dir.filePath(QStringLiteral("empty.png"));
    const ExportResult bad = export_timeline(m, o, empty);
    CHECK_FALSE(bad.ok);
    CHECK(bad.message.contains(QStringLiteral("range")));
    CHECK_FALSE(QFile::exists(empty));
}

TEST_CASE("SVG export is XML with one lane label per worker", "[gui][export]") {
    const view::RunModel& m = scenario_model("worker_pool.lua");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("wp.svg"));
    const ExportResult result = export_timeline(m, ExportOptions(), path);
    INFO(result.message.toStdString());
    REQUIRE(result.ok);

    const QByteArray svg = read_all(path);
    QXmlStreamReader xml(svg);
    bool root_is_svg = false;
    QStringList texts;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement) continue;
        if (xml.name() == QLatin1String("svg") && texts.isEmpty()) root_is_svg = true;
        if (xml.name() == QLatin1String("text"))
            texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
    }
    INFO(xml.errorString().toStdString());
    REQUIRE_FALSE(xml.hasError());
    CHECK(root_is_svg);
    std::size_t core_workers = 0;
    for (const view::WorkerTrack& w : m.workers())
        core_workers += w.role == WorkerRole::core;
    REQUIRE(core_workers == 4);
    for (std::size_t i = 0; i < core_workers; ++i)
        CHECK(texts.count(QStringLiteral("thread %1").arg(i)) == 1);
    CHECK(texts.contains(QStringLiteral("jobs")));
    CHECK(texts.contains(QStringLiteral("worker_pool")));
}

TEST_CASE("PDF export writes a PDF", "[gui][export]") {
    const view::RunModel& m = scenario_model("broadcast_bus.lua");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bus.PDF"));
    const ExportResult result = export_timeline(m, ExportOptions(), path);
    INFO(result.message.toStdString());
    REQUIRE(result.ok);
    const QByteArray pdf = read_all(path);
    CHECK(pdf.startsWith("%PDF"));
    CHECK(pdf.size() > 1000);
}

TEST_CASE("a failed export leaves no file behind", "[gui][export]") {
    const view::RunModel& m = scenario_model("worker_pool.lua");
    QTemporaryDir dir;

    const QString bmp = dir.filePath(QStringLiteral("wp.bmp"));
    const ExportResult unsupported = export_timeline(m, ExportOptions(), bmp);
    CHECK_FALSE(unsupported.ok);
    CHECK(unsupported.message.contains(QStringLiteral("unsupported format")));
    const ExportResult no_extension = export_timeline(m, ExportOptions(), dir.filePath("wp"));
    CHECK_FALSE(no_extension.ok);
    CHECK(no_extension.message.contains(QStringLiteral("unsupported format")));

    const QString missing_dir = dir.filePath(QStringLiteral("no/such/dir/wp.png"));
    const ExportResult unwritable = export_timeline(m, ExportOptions(), missing_dir);
    CHECK_FALSE(unwritable.ok);
    CHECK(unwritable.message.contains(QStringLiteral("cannot write")));
    CHECK_FALSE(QFile::exists(missing_dir));

    ExportOptions narrow;
    narrow.width = 10;
    CHECK_FALSE(export_timeline(m, narrow, dir.filePath(QStringLiteral("narrow.png"))).ok);

    // Nothing at all was created: no file, no temporary.
    CHECK(QDir(dir.path())
              .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)
              .isEmpty());
}

TEST_CASE("exporting over an existing file replaces it whole", "[gui][export]") {
    const view::RunModel& m = scenario_model("worker_pool.lua");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("again.png"));
    {
        QFile f(path);
        REQUIRE(f.open(QIODevice::WriteOnly));
        f.write("not an image");
    }
    ExportOptions o;
    o.pixel_ratio = 1;
    REQUIRE(export_timeline(m, o, path).ok);
    QImage image;
    CHECK(image.load(path));
    CHECK(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size() == 1);
}

TEST_CASE("an export whose write fails keeps the old file, in every format", "[gui][export]") {
    // Writes past RLIMIT_FSIZE fail (EFBIG) as writes to a full disk do (ENOSPC).
    // The SVG encoder ignores write errors itself: the writer must not.
    const view::RunModel& m = scenario_model("worker_pool.lua");
    QTemporaryDir dir;
    for (const char* name : {"full.svg", "full.png", "full.pdf"}) {
        INFO(name);
        const QString path = dir.filePath(QString::fromLatin1(name));
        {
            QFile f(path);
            REQUIRE(f.open(QIODevice::WriteOnly));
            f.write("old");
        }
        ExportResult r;
        {
            const test_support::FileSizeLimit limit(100);
            REQUIRE(limit.ok());
            r = export_timeline(m, ExportOptions(), path);
        }
        CHECK_FALSE(r.ok);
        CHECK(r.message.contains(QStringLiteral("File too large")));
        CHECK(read_all(path) == QByteArray("old"));
        CHECK(test_support::temporaries_beside(path.toStdString()) == 0);
    }
    const QString stage = dir.filePath(QStringLiteral("stage.png"));
    ExportResult r;
    {
        const test_support::FileSizeLimit limit(100);
        r = export_stage_png(m, 1'000'000, 800, 1, stage);
    }
    CHECK_FALSE(r.ok);
    CHECK(r.message.contains(QStringLiteral("File too large")));
    CHECK_FALSE(QFile::exists(stage));
    CHECK(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size() == 3);
}

TEST_CASE("an export too big to hold in memory is refused before it is made", "[gui][export]") {
    const view::RunModel& m = scenario_model("worker_pool.lua");
    QTemporaryDir dir;
    ExportOptions huge;
    huge.width = 32000;
    huge.pixel_ratio = 8;
    const ExportResult timeline = export_timeline(m, huge, dir.filePath(QStringLiteral("h.png")));
    CHECK_FALSE(timeline.ok);
    CHECK(timeline.message.contains(QStringLiteral("megapixels")));
    const ExportResult stage =
        export_stage_png(m, 0, 32000, 8, dir.filePath(QStringLiteral("s.png")));
    CHECK_FALSE(stage.ok);
    CHECK(stage.message.contains(QStringLiteral("megapixels")));
    // The stage export checks its width as the timeline's does.
    const ExportResult narrow =
        export_stage_png(m, 0, 10, 1, dir.filePath(QStringLiteral("n.png")));
    CHECK_FALSE(narrow.ok);
    CHECK(narrow.message.contains(QStringLiteral("out of range")));
    CHECK(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
}

TEST_CASE("thread-lane slices keep what tells sibling tasks apart", "[gui][export][label]") {
    // worker_pool's four "worker N" tasks share a beginning: cut on the right they
    // all read "work…"; shortened by view::short_label they keep their number.
    const view::RunModel& m = scenario_model("worker_pool.lua");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("wp.svg"));
    for (const int width : {1200, 1600, 2400}) {
        INFO(width << " px wide");
        ExportOptions options;
        options.width = width;
        REQUIRE(export_timeline(m, options, path).ok);
        QXmlStreamReader xml(read_all(path));
        QStringList texts;
        while (!xml.atEnd())
            if (xml.readNext() == QXmlStreamReader::StartElement &&
                xml.name() == QLatin1String("text"))
                texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
        REQUIRE_FALSE(xml.hasError());
        int numbered = 0;
        for (const QString& t : texts) {
            INFO(t.toStdString());
            CHECK_FALSE(t.startsWith(QStringLiteral("work…")));
            if (t.endsWith(QChar(u'…'))) CHECK_FALSE(t.startsWith(QStringLiteral("w")));
            if (t.contains(QChar(u'…')) && t.back().isDigit()) ++numbered;
        }
        CHECK(numbered > 0);  // shortened slices that still say which worker
    }
}

TEST_CASE("an exported timeline of a cancelled run says cancelled", "[gui][export]") {
    session::RunRequest request;
    request.source = session::RunRequest::Source::scenario_source;
    request.path = "forever.lua";
    request.text = "spawn('spin', function() while true do yield_now() end end)\n";
    std::atomic<bool> cancel{true};
    session::SessionOptions run_options;
    run_options.cancel = &cancel;
    const session::Session run = session::run_session(request, run_options);
    REQUIRE(run.report.status == session::RunStatus::cancelled);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("cancelled.svg"));
    ExportOptions options;
    options.status = run.report.status;
    REQUIRE(export_timeline(*run.model, options, path).ok);
    const QString svg = QString::fromUtf8(read_all(path));
    CHECK(svg.contains(QStringLiteral(">cancelled<")));
    CHECK_FALSE(svg.contains(QStringLiteral("budget")));
}

namespace {

/// A model of `source` run as a scenario (the events the export reads).
std::shared_ptr<view::RunModel> model_of(const char* source) {
    session::RunRequest r;
    r.source = session::RunRequest::Source::scenario_source;
    r.path = "many.lua";
    r.text = source;
    return session::run_session(r).model;
}

}  // namespace

TEST_CASE("a picture too tall to hold collapses its tasks, then is cut, and says so",
          "[gui][export]") {
    QTemporaryDir dir;
    // 4,000 task lanes: at 1600 px (2x for a PNG), more than a picture may hold.
    const auto tasks = model_of("for i = 1, 4000 do spawn('t', function() end) end");
    ExportOptions options;
    const QString png = dir.filePath(QStringLiteral("tasks.png"));
    const QString svg = dir.filePath(QStringLiteral("tasks.svg"));
    REQUIRE(export_timeline(*tasks, options, png).ok);
    REQUIRE(export_timeline(*tasks, options, svg).ok);
    const QImage image(png);
    CHECK(image.height() < 1000 * 2);  // the task section collapsed to its header
    QFile file(svg);
    REQUIRE(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    CHECK(text.contains("tasks collapsed: 4001 task lanes"));
    // Small enough to hold: nothing collapsed, nothing said.
    ExportOptions small;
    small.width = 800;
    small.pixel_ratio = 1;
    const QString fits = dir.filePath(QStringLiteral("fits.png"));
    REQUIRE(export_timeline(*tasks, small, fits).ok);
    CHECK(QImageReader(fits).size().height() > 4000 * 10);  // read without decoding

    // 3,000 locks: nothing to collapse, so the picture is cut at a height one can look at.
    const auto locks = model_of(
        "local keep = {}\nfor i = 1, 3000 do keep[i] = mutex('m' .. i) "
        "local g <close> = keep[i]:lock() end");
    const QString cut = dir.filePath(QStringLiteral("locks.svg"));
    REQUIRE(export_timeline(*locks, options, cut).ok);
    QFile cut_file(cut);
    REQUIRE(cut_file.open(QIODevice::ReadOnly));
    const QByteArray cut_text = cut_file.readAll();
    CHECK(cut_text.contains("cut at 4000 px: the lanes below are not shown"));
    CHECK(cut_text.contains(">m1<"));           // a lock near the top is drawn
    CHECK_FALSE(cut_text.contains(">m2999<"));  // one far below the cut is not
    CHECK(cut_text.size() < 4 * 1024 * 1024);
}
