// SPDX-License-Identifier: MIT
#include "appcontroller.h"
#include "guioptions.h"
#include "translations.h"

#include <QApplication>
#include <QIcon>
#include <QMessageBox>
#include <QSettings>

#include <memory>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"chat-gui"_s);
    QApplication::setApplicationDisplayName(u"qtchat"_s);
    QApplication::setOrganizationName(u"qtchat"_s);
    QApplication::setApplicationVersion(QStringLiteral(QTCHAT_VERSION));
    QApplication::setDesktopFileName(u"qtchat"_s);
    QApplication::setWindowIcon(QIcon(u":/icons/qtchat.svg"_s));
    QApplication::setQuitOnLastWindowClosed(false);

    Translations::install(&app, GuiOptions::languageFrom(QApplication::arguments()));
    const GuiOptions options = GuiOptions::parse(QApplication::arguments());
    if (!options.error.isEmpty()) {
        QMessageBox::critical(nullptr, QApplication::translate("main", "chat-gui"), options.error);
        return 2;
    }

    std::unique_ptr<QSettings> settings = options.settingsFile.isEmpty()
                                              ? std::make_unique<QSettings>()
                                              : std::make_unique<QSettings>(options.settingsFile, QSettings::IniFormat);

    AppController controller(options, settings.get());
    QObject::connect(&controller, &AppController::finished, &app, &QCoreApplication::quit);
    controller.start();
    return QApplication::exec();
}
