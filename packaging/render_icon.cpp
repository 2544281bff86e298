// spindle_render_icon: renders the application's SVG icon to the PNG sizes of the
// hicolor icon theme at build time (packaging/CMakeLists.txt runs it):
//   spindle_render_icon ICON.svg OUT_DIR APP_ID SIZE...
// writes OUT_DIR/<SIZE>x<SIZE>/apps/APP_ID.png for each SIZE. No state; exits 1 on
// an unreadable SVG or an unwritable PNG. Needs no display (QImage + QPainter only).
#include <QDir>
#include <QImage>
#include <QPainter>
#include <QString>
#include <QSvgRenderer>

#include <iostream>

int main(int argc, char** argv) {
    if (argc < 5) {
        std::cerr << "usage: spindle_render_icon ICON.svg OUT_DIR APP_ID SIZE...\n";
        return 2;
    }
    QSvgRenderer svg(QString::fromLocal8Bit(argv[1]));
    if (!svg.isValid()) {
        std::cerr << "spindle_render_icon: cannot read " << argv[1] << "\n";
        return 1;
    }
    const QString out_dir = QString::fromLocal8Bit(argv[2]);
    const QString app_id = QString::fromLocal8Bit(argv[3]);
    for (int i = 4; i < argc; ++i) {
        const int size = QString::fromLocal8Bit(argv[i]).toInt();
        if (size < 8 || size > 1024) {
            std::cerr << "spindle_render_icon: bad size " << argv[i] << "\n";
            return 2;
        }
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        svg.render(&painter);
        painter.end();
        const QString dir = QStringLiteral("%1/%2x%2/apps").arg(out_dir).arg(size);
        const QString path = QStringLiteral("%1/%2.png").arg(dir, app_id);
        if (!QDir().mkpath(dir) || !image.save(path, "PNG")) {
            std::cerr << "spindle_render_icon: cannot write " << path.toStdString() << "\n";
            return 1;
        }
    }
    return 0;
}
