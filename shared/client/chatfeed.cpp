// SPDX-License-Identifier: MIT
#include "chatfeed.h"

#include "chatclient.h"
#include "errortext.h"
#include "eventtext.h"
#include "messagelogmodel.h"
#include "userlistmodel.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcFeed, "qtchat.client.feed", QtWarningMsg)

using namespace Protocol;

ChatFeed::ChatFeed(ChatClient *client, MessageLogModel *log, UserListModel *users, QObject *parent)
    : QObject(parent), m_client(client), m_log(log), m_users(users)
{
    connect(m_client, &ChatClient::registered, this, [this](const Welcome &welcome) {
        m_log->setSelf(welcome.nick);
        m_users->setSelf(welcome.nick);
        m_users->setUsers(welcome.users);
        m_users->setOperators(welcome.ops);
        m_users->setAwayUsers(welcome.away);
        onRegistered(welcome.nick, m_log->mergeHistory(welcome.history), welcome.truncated);
    });
    connect(m_client, &ChatClient::messageReceived, this, [this](const ChatMessage &message) {
        if (!EventText::isLobby(message.room) || !m_log->appendMessage(message))
            return;
        const MessageLogModel::Entry &row = m_log->entry(m_log->rowCount() - 1);
        if (!row.own)
            emit messageArrived(row.mention, false);
    });
    connect(m_client, &ChatClient::whisperReceived, this, [this](const WhisperMessage &whisper) {
        if (m_whispersApart)
            return;
        m_log->appendWhisper(whisper);
        if (!m_log->entry(m_log->rowCount() - 1).own)
            emit messageArrived(false, true);
    });
    // Joins and parts of other rooms are theirs.
    connect(m_client, &ChatClient::userJoined, this, [this](const Joined &joined) {
        if (EventText::isLobby(joined.room))
            m_log->appendJoined(joined);
    });
    connect(m_client, &ChatClient::userLeft, this, [this](const Left &left) {
        if (EventText::isLobby(left.room))
            m_log->appendLeft(left);
    });
    connect(m_client, &ChatClient::userRenamed, m_log, &MessageLogModel::appendRenamed);
    connect(m_client, &ChatClient::usersChanged, m_users, &UserListModel::setUsers);
    connect(m_client, &ChatClient::operatorsChanged, m_users, &UserListModel::setOperators);
    connect(m_client, &ChatClient::awayUsersChanged, m_users, &UserListModel::setAwayUsers);
    // Moderation and goodbyes read as in chat-console and the server's text mode (EventText).
    connect(m_client, &ChatClient::userOpped, this,
            [this](const Opped &f) { notices()->appendNotice(EventText::oppedSentence(f), f.ts); });
    connect(m_client, &ChatClient::userMuted, this,
            [this](const Muted &f) { notices()->appendNotice(EventText::mutedSentence(f), f.ts); });
    connect(m_client, &ChatClient::userUnmuted, this,
            [this](const Unmuted &f) { notices()->appendNotice(EventText::unmutedSentence(f), f.ts); });
    connect(m_client, &ChatClient::slowModeChanged, this,
            [this](const SlowMode &f) { notices()->appendNotice(EventText::slowModeSentence(f), f.ts); });
    connect(m_client, &ChatClient::kicked, this, [this](const QString &by, const QString &reason) {
        notices()->appendError(EventText::kickedSentence(by, reason));
    });
    connect(m_client, &ChatClient::nickChanged, this, [this](const QString &nick) {
        m_log->setSelf(nick);
        m_users->setSelf(nick);
    });
    connect(m_client, &ChatClient::errorReceived, this,
            [this](const Error &error) { notices()->appendError(ErrorText::describe(error)); });
    connect(m_client, &ChatClient::registrationRefused, this, [this](const Error &error) {
        // Before the first welcome the connect dialog explains refusals.
        if (m_client->hasRegistered())
            notices()->appendError(ErrorText::describe(error, m_client->nick()));
    });
    connect(m_client, &ChatClient::serverClosing, this, [this](const QString &reason) {
        if (reason == leaveReasonName(LeaveReason::Kicked))
            return; // told by kicked(), which knows who and why
        notices()->appendNotice(EventText::goodbyeSentence(ServerBye{reason}));
    });
    connect(m_client, &ChatClient::connectionError, this, &ChatFeed::onConnectionError);
    connect(m_client, &ChatClient::stateChanged, this, &ChatFeed::onStateChanged);
}

ChatFeed::~ChatFeed() = default;

void ChatFeed::setNoticeLog(MessageLogModel *log)
{
    m_noticeLog = log;
}

void ChatFeed::setWhispersShownApart(bool apart)
{
    m_whispersApart = apart;
}

MessageLogModel *ChatFeed::notices() const
{
    return m_noticeLog ? m_noticeLog.data() : m_log;
}

void ChatFeed::onRegistered(const QString &nick, int historyAdded, bool truncated)
{
    qCInfo(lcFeed) << "registered as" << nick << "with" << historyAdded << "new history rows";
    m_outageReported = false;
    if (!m_wasOnline) {
        m_wasOnline = true;
        m_log->appendNotice(
            tr("You joined the chat on %1:%2 as %3.").arg(m_client->host(), QString::number(m_client->port()), nick));
        return;
    }
    notices()->appendNotice(
        tr("Reconnected as %1; %n message(s) arrived while you were away.", nullptr, historyAdded).arg(nick));
    if (truncated)
        notices()->appendNotice(EventText::historyTruncatedSentence());
}

void ChatFeed::onStateChanged()
{
    if (m_client->state() == ChatClient::State::Disconnected && m_wasOnline && !m_outageReported)
        notices()->appendNotice(tr("Disconnected."));
}

void ChatFeed::onConnectionError(const QString &message)
{
    // Before the first welcome the connect dialog shows these; afterwards,
    // one line per outage is enough (the status bar counts down the retries).
    if (!m_client->hasRegistered() || m_outageReported)
        return;
    m_outageReported = true;
    notices()->appendError(message);
}
