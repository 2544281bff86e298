#include "about_text.h"

#include <QCoreApplication>
#include <QtGlobal>

#include <lua.h>

#include "spindle_version.h"

namespace spindle::ui {

QString about_text() {
    const QString docs = QString::fromLatin1(build_info::kDocsUrl);
    return QCoreApplication::translate("About",
                                       "<b>Spindle</b> %1<br>A visualiser for task scheduling: "
                                       "Lua scenarios run on a deterministic, instrumented "
                                       "tokio-style runtime, and every scheduling decision is "
                                       "shown.<br><br>Qt %2 (built with %3) · %4<br>"
                                       "Licence: %5<br>Documentation: <a href=\"%6\">%6</a>")
        .arg(QString::fromLatin1(build_info::kVersion), QString::fromLatin1(qVersion()),
             QStringLiteral(QT_VERSION_STR), QStringLiteral(LUA_RELEASE),
             QString::fromLatin1(build_info::kLicense), docs);
}

}  // namespace spindle::ui
