// SPDX-License-Identifier: MIT
#include "notificationlevelmenu.h"

#include <QActionGroup>

NotificationLevelMenu::NotificationLevelMenu(const QString &conversation, NotificationSettings *settings,
                                             QWidget *parent)
    : QMenu(tr("&Notifications"), parent)
{
    auto *group = new QActionGroup(this);
    setToolTipsVisible(true);
    const auto add = [&](const QString &text, NotificationLevel level) {
        QAction *action =
            addAction(text, settings, [settings, conversation, level] { settings->setLevel(conversation, level); });
        action->setCheckable(true);
        action->setChecked(settings->level(conversation) == level);
        group->addAction(action);
        m_levelActions.append(action);
        return action;
    };
    add(tr("&All Messages"), NotificationLevel::AllMessages);
    add(tr("&Mentions Only"), NotificationLevel::MentionsOnly)
        ->setToolTip(tr("Messages that mention your nickname, and whispers"));
    add(tr("N&othing"), NotificationLevel::Nothing);
}

NotificationLevelMenu::~NotificationLevelMenu() = default;

QAction *NotificationLevelMenu::actionFor(NotificationLevel level) const
{
    return m_levelActions.value(int(level));
}
