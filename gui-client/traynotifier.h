// SPDX-License-Identifier: MIT
#pragma once

#include "desktopnotifier.h"

#include <QPointer>

#include <memory>

class NotificationSettings;
class QAction;
class QMenu;
class QSystemTrayIcon;
class QWidget;

// The real DesktopNotifier: a system tray icon, when the desktop has a
// tray, with the unread count on the icon and in its tooltip, a menu (show
// or hide the window, Do not disturb, Quit), and its balloon for
// notifications (the desktop's notification service where there is one).
// The taskbar alert works with or without a tray.
class TrayNotifier final : public DesktopNotifier
{
    Q_OBJECT

public:
    // Makes a tray icon only when QSystemTrayIcon::isSystemTrayAvailable().
    TrayNotifier(QWidget *window, NotificationSettings *settings, QObject *parent = nullptr);
    ~TrayNotifier() override;

    bool hasTray() const { return m_tray != nullptr; }
    QSystemTrayIcon *trayIcon() const { return m_tray; }
    // The tray icon's menu (made without a tray too).
    QMenu *menu() const { return m_menu.get(); }

    bool canShow() const override;
    void show(const QString &title, const QString &body, const QString &conversation) override;
    void alert() override;

    // The number on the icon and in the tooltip.
    void setUnreadCount(int count);
    // "qtchat", then "3 unread messages" and "Do not disturb" when they apply.
    static QString toolTipText(int unread, bool doNotDisturb);
    // Says, the first time ever, that closing the window left qtchat running in the tray.
    void tellStillRunning();

signals:
    // The tray icon was clicked, or its menu's Show/Hide chosen.
    void toggleWindowRequested();
    void quitRequested();

private:
    void buildMenu();
    void updateIcon();

    QPointer<QWidget> m_window;
    NotificationSettings *m_settings;
    QSystemTrayIcon *m_tray = nullptr;
    std::unique_ptr<QMenu> m_menu;
    QAction *m_toggleAction = nullptr;
    QString m_lastConversation; // what the newest balloon was about
    int m_unread = 0;
};
