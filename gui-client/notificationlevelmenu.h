// SPDX-License-Identifier: MIT
#pragma once

#include "notificationsettings.h"

#include <QMenu>

// "Notifications" in the sidebar's context menu: All Messages, Mentions
// Only or Nothing for one room or direct conversation, the current level
// checked; choosing one stores it at once.
class NotificationLevelMenu final : public QMenu
{
    Q_OBJECT

public:
    NotificationLevelMenu(const QString &conversation, NotificationSettings *settings, QWidget *parent = nullptr);
    ~NotificationLevelMenu() override;

    QAction *actionFor(NotificationLevel level) const;

private:
    QList<QAction *> m_levelActions; // in the order of NotificationLevel
};
