// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

class QCoreApplication;

// Loads the user interface language: qtchat's own strings (embedded,
// :/i18n/qtchat_<lang>.qm) and Qt's (qtbase_<lang>.qm from Qt's
// translations directory, when installed, for the standard buttons and
// dialogs).
class Translations final
{
public:
    // `language` forces one ("ko", "en", "ko_KR"); empty follows the system
    // locale. Returns the language that was loaded ("en" when nothing
    // matched: the source strings are English). Translators become children
    // of `app`; calling it again replaces them.
    static QString install(QCoreApplication *app, const QString &language = {});

    // The languages qtchat ships, e.g. {"en", "ko"}.
    static QStringList available();
};
