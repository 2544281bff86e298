// The GUI tests' main: a QApplication on Qt's offscreen platform (so fonts,
// painting and widgets work without a display, also when ctest lists the tests),
// then Catch. Qt's test mode sends QSettings and other standard paths to
// test-only locations, so the tests never touch the user's real settings.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <QApplication>
#include <QStandardPaths>

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    return Catch::Session().run(argc, argv);
}
