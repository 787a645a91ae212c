// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>

// Where chat-gui's notifications go: a desktop notification (the tray's
// balloon, or the desktop's notification service behind it) and the
// taskbar. TrayNotifier is the real one; the tests have a fake that records.
class DesktopNotifier : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~DesktopNotifier() override;

    // Whether show() reaches the user at all (there is a system tray).
    virtual bool canShow() const = 0;
    // A notification about `conversation` (a room or a person, as the sidebar names it).
    virtual void show(const QString &title, const QString &body, const QString &conversation) = 0;
    // Asks for attention in the taskbar until the window is activated.
    virtual void alert() = 0;

signals:
    // The user clicked the notification about `conversation`.
    void clicked(const QString &conversation);
};
