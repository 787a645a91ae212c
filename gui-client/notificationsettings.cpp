// SPDX-License-Identifier: MIT
#include "notificationsettings.h"

#include "chatclient.h"
#include "conversationlistmodel.h"

#include <QAction>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace {

const QString kDoNotDisturbKey = u"notifications/doNotDisturb"_s;
const QString kTrayNoticeKey = u"notifications/trayNoticeShown"_s;

// Stored as words, so the file stays readable and a reordered enum cannot change anyone's choice.
QString levelName(NotificationLevel level)
{
    switch (level) {
    case NotificationLevel::AllMessages:
        return u"all"_s;
    case NotificationLevel::MentionsOnly:
        return u"mentions"_s;
    case NotificationLevel::Nothing:
        return u"nothing"_s;
    }
    return {};
}

} // namespace

NotificationSettings::NotificationSettings(ChatClient *client, QSettings *settings, QObject *parent)
    : QObject(parent), m_client(client), m_settings(settings), m_doNotDisturbAction(new QAction(this))
{
    m_doNotDisturbAction->setText(tr("&Do Not Disturb"));
    m_doNotDisturbAction->setToolTip(tr("Show no notifications and do not flash the taskbar"));
    m_doNotDisturbAction->setCheckable(true);
    m_doNotDisturbAction->setChecked(doNotDisturb());
    connect(m_doNotDisturbAction, &QAction::toggled, this, &NotificationSettings::setDoNotDisturb);
}

NotificationSettings::~NotificationSettings() = default;

NotificationLevel NotificationSettings::defaultLevel(const QString &conversation)
{
    return conversation.startsWith(u'#') ? NotificationLevel::MentionsOnly : NotificationLevel::AllMessages;
}

NotificationLevel NotificationSettings::level(const QString &conversation) const
{
    const QString stored = value(levelKey(conversation)).toString();
    for (const NotificationLevel level :
         {NotificationLevel::AllMessages, NotificationLevel::MentionsOnly, NotificationLevel::Nothing}) {
        if (stored == levelName(level))
            return level;
    }
    return defaultLevel(conversation);
}

void NotificationSettings::setLevel(const QString &conversation, NotificationLevel level)
{
    if (level == this->level(conversation))
        return;
    setValue(levelKey(conversation), levelName(level));
    emit levelChanged(conversation, level);
}

bool NotificationSettings::doNotDisturb() const
{
    return value(kDoNotDisturbKey).toBool();
}

void NotificationSettings::setDoNotDisturb(bool on)
{
    if (on == doNotDisturb())
        return;
    setValue(kDoNotDisturbKey, on);
    m_doNotDisturbAction->setChecked(on);
    emit doNotDisturbChanged(on);
}

bool NotificationSettings::trayNoticeShown() const
{
    return value(kTrayNoticeKey).toBool();
}

void NotificationSettings::setTrayNoticeShown()
{
    setValue(kTrayNoticeKey, true);
}

QString NotificationSettings::levelKey(const QString &conversation) const
{
    // "notifications/localhost_55555/#dev" (QSettings escapes what a key cannot hold).
    return u"notifications/%1_%2/%3"_s.arg(m_client->host().toLower(), QString::number(m_client->port()),
                                           ConversationListModel::keyFor(conversation));
}

QVariant NotificationSettings::value(const QString &key) const
{
    return m_settings ? m_settings->value(key) : m_session.value(key);
}

void NotificationSettings::setValue(const QString &key, const QVariant &value)
{
    if (m_settings)
        m_settings->setValue(key, value);
    else
        m_session.insert(key, value);
}
