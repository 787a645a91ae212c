// SPDX-License-Identifier: MIT
#include "translations.h"

#include "guilogging.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace {

const QString kResourceDir = u":/i18n"_s;
const QString kPrefix = u"qtchat_"_s;
const QString kFallbackLanguage = u"en"_s;
const char *const kTranslatorProperty = "qtchatTranslator";

} // namespace

QString Translations::install(QCoreApplication *app, const QString &language)
{
    // Replace whatever an earlier call installed.
    const QList<QTranslator *> old = app->findChildren<QTranslator *>(QString(), Qt::FindDirectChildrenOnly);
    for (QTranslator *translator : old) {
        if (translator->property(kTranslatorProperty).toBool()) {
            QCoreApplication::removeTranslator(translator);
            delete translator;
        }
    }

    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    if (!language.isEmpty())
        QLocale::setDefault(locale);

    auto *own = new QTranslator(app);
    own->setProperty(kTranslatorProperty, true);
    // English is a translation too: it carries the plural forms ("1 user", "2 users").
    if (!own->load(locale, u"qtchat"_s, u"_"_s, kResourceDir) &&
        !own->load(kPrefix + kFallbackLanguage, kResourceDir)) {
        qCWarning(lcGuiApp) << "no translation found in" << kResourceDir;
        delete own;
        return kFallbackLanguage;
    }
    QCoreApplication::installTranslator(own);
    QString loaded = own->language().isEmpty() ? kFallbackLanguage : own->language();

    auto *qt = new QTranslator(app);
    qt->setProperty(kTranslatorProperty, true);
    if (qt->load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
    } else {
        qCDebug(lcGuiApp) << "no Qt translation for" << locale.name();
        delete qt;
    }
    qCInfo(lcGuiApp) << "user interface language:" << loaded;
    return loaded;
}

QStringList Translations::available()
{
    QStringList languages;
    const QStringList files = QDir(kResourceDir).entryList({kPrefix + u"*.qm"_s}, QDir::Files, QDir::Name);
    for (const QString &file : files)
        languages.append(file.mid(kPrefix.size()).chopped(3));
    return languages;
}
