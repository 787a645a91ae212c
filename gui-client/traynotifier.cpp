// SPDX-License-Identifier: MIT
#include "traynotifier.h"

#include "guilogging.h"
#include "notificationsettings.h"
#include "unreadbadge.h"

#include <QApplication>
#include <QMenu>
#include <QStringList>
#include <QSystemTrayIcon>
#include <QWidget>

namespace {

constexpr int kBalloonMsecs = 10000;

} // namespace

TrayNotifier::TrayNotifier(QWidget *window, NotificationSettings *settings, QObject *parent)
    : DesktopNotifier(parent), m_window(window), m_settings(settings)
{
    buildMenu();
    if (!QSystemTrayIcon::isSystemTrayAvailable()) {
        qCInfo(lcGuiNotify) << "no system tray: the taskbar and the window title carry the news";
        return;
    }
    m_tray = new QSystemTrayIcon(this);
    m_tray->setContextMenu(m_menu.get());
    updateIcon();
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            emit toggleWindowRequested();
    });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] { emit clicked(m_lastConversation); });
    connect(m_settings, &NotificationSettings::doNotDisturbChanged, this, &TrayNotifier::updateIcon);
    m_tray->show();
}

TrayNotifier::~TrayNotifier() = default;

void TrayNotifier::buildMenu()
{
    m_menu = std::make_unique<QMenu>();
    m_toggleAction = m_menu->addAction(tr("&Hide qtchat"), this, &TrayNotifier::toggleWindowRequested);
    connect(m_menu.get(), &QMenu::aboutToShow, this, [this] {
        const bool shown = m_window && m_window->isVisible() && !m_window->isMinimized();
        m_toggleAction->setText(shown ? tr("&Hide qtchat") : tr("&Show qtchat"));
    });
    m_menu->addSeparator();
    m_menu->addAction(m_settings->doNotDisturbAction());
    m_menu->addSeparator();
    m_menu->addAction(tr("&Quit"), this, &TrayNotifier::quitRequested);
}

bool TrayNotifier::canShow() const
{
    return m_tray && m_tray->isVisible();
}

void TrayNotifier::show(const QString &title, const QString &body, const QString &conversation)
{
    if (!canShow())
        return;
    m_lastConversation = conversation;
    m_tray->showMessage(title, body, QApplication::windowIcon(), kBalloonMsecs);
}

void TrayNotifier::alert()
{
    if (m_window)
        QApplication::alert(m_window, 0);
}

void TrayNotifier::setUnreadCount(int count)
{
    if (count == m_unread)
        return;
    m_unread = count;
    updateIcon();
}

void TrayNotifier::tellStillRunning()
{
    if (!canShow() || m_settings->trayNoticeShown())
        return;
    m_settings->setTrayNoticeShown();
    m_lastConversation.clear();
    m_tray->showMessage(tr("qtchat is still running"),
                        tr("It stays in the system tray and tells you about new messages. To leave, choose Quit "
                           "in the tray icon's menu."),
                        QApplication::windowIcon(), kBalloonMsecs);
}

void TrayNotifier::updateIcon()
{
    if (!m_tray)
        return;
    m_tray->setIcon(UnreadBadge::icon(QApplication::windowIcon(), m_unread));
    m_tray->setToolTip(toolTipText(m_unread, m_settings->doNotDisturb()));
}

QString TrayNotifier::toolTipText(int unread, bool doNotDisturb)
{
    QStringList lines{tr("qtchat", "the first line of the tray icon's tooltip")};
    if (unread > 0)
        lines.append(tr("%n unread message(s)", nullptr, unread));
    if (doNotDisturb)
        lines.append(tr("Do not disturb"));
    return lines.join(u'\n');
}
