// SPDX-License-Identifier: MIT
#include "eventtext.h"

#include "timestamp.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;
using namespace Protocol;

namespace EventText {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("EventText", text);
}

// The lines that are not a sentence of their own. Free functions rather than
// members of Renderer: lupdate files a tr() inside a struct under the
// struct's name, while it is looked up as "EventText" at run time.
QString welcomeLine(const Welcome &f)
{
    QString welcome = tr("* Welcome, %1! %2").arg(f.nick, userList(f.users, f.ops, f.away));
    if (f.slow > 0)
        welcome += u'\n' + systemLine(slowModeRule(f.slow));
    if (f.truncated)
        welcome += u'\n' + systemLine(historyTruncatedSentence());
    return welcome;
}

QString whisperLine(const WhisperMessage &f, const QString &self)
{
    if (!self.isEmpty() && f.from == self && f.to != self) {
        QString line = stamped(f.ts, tr("-> *%1* %2").arg(f.to, f.text));
        if (f.away)
            line += u'\n' + systemLine(recipientAwaySentence(f.to, *f.away));
        return line;
    }
    return stamped(f.ts, tr("*%1* %2").arg(f.from, f.text));
}

QString pongLine()
{
    return tr("* pong");
}

QString errorLine(const Error &f)
{
    return tr("* error: %1").arg(f.message);
}

// A timed line from the server itself.
template<typename Event> QString eventLine(const Event &event, QString (*sentence)(const Event &))
{
    return stamped(event.ts, systemLine(sentence(event)));
}

// IRC's mark for an operator, which netcat users may know: "@nick"; and
// an away user's message after the name.
QStringList markUsers(QStringList users, const QStringList &ops, const AwayMessages &away)
{
    for (QString &nick : users) {
        const auto awayMessage = away.constFind(nick);
        const bool isOp = ops.contains(nick);
        if (awayMessage != away.cend()) {
            nick = awayMessage->isEmpty() ? tr("%1 (away)").arg(nick) : tr("%1 (away: %2)").arg(nick, *awayMessage);
        }
        if (isOp)
            nick.prepend(u'@');
    }
    return users;
}

QString roomStateLines(const RoomState &f)
{
    QStringList lines{systemLine(roomEnteredSentence(f)), systemLine(roomUserList(f.room, f.users, {}, f.away))};
    for (const ChatMessage &message : f.history)
        lines.append(renderMessage(message));
    if (f.truncated)
        lines.append(systemLine(historyTruncatedSentence()));
    return lines.join(u'\n');
}

QString roomListText(const RoomList &f)
{
    QStringList lines;
    if (f.rooms.size() == 1)
        lines.append(systemLine(tr("1 room:")));
    else
        lines.append(systemLine(tr("%1 rooms:").arg(f.rooms.size())));
    for (const QString &row : roomListLines(f))
        lines.append(systemLine(u"  "_s + row));
    return lines.join(u'\n');
}

struct Renderer {
    const QString &self;

    QString operator()(const Welcome &f) const { return welcomeLine(f); }
    QString operator()(const ChatMessage &f) const { return renderMessage(f); }
    QString operator()(const WhisperMessage &f) const { return whisperLine(f, self); }
    QString operator()(const Joined &f) const { return eventLine(f, joinedSentence); }
    QString operator()(const Left &f) const { return eventLine(f, leftSentence); }
    QString operator()(const Renamed &f) const { return eventLine(f, renamedSentence); }
    QString operator()(const Users &f) const { return systemLine(roomUserList(f.room, f.users, f.ops, f.away)); }
    QString operator()(const Pong &) const { return pongLine(); }
    QString operator()(const Error &f) const { return errorLine(f); }
    QString operator()(const ServerBye &f) const { return systemLine(goodbyeSentence(f)); }
    QString operator()(const Opped &f) const { return eventLine(f, oppedSentence); }
    QString operator()(const Muted &f) const { return eventLine(f, mutedSentence); }
    QString operator()(const Unmuted &f) const { return eventLine(f, unmutedSentence); }
    QString operator()(const SlowMode &f) const { return eventLine(f, slowModeSentence); }
    QString operator()(const RoomState &f) const { return roomStateLines(f); }
    QString operator()(const TopicChanged &f) const { return eventLine(f, topicSentence); }
    QString operator()(const RoomList &f) const { return roomListText(f); }
    QString operator()(const Away &f) const { return eventLine(f, awaySentence); }
    QString operator()(const Back &f) const { return eventLine(f, backSentence); }
};

} // namespace

QString render(const ServerFrame &frame, const QString &self)
{
    return std::visit(Renderer{self}, frame);
}

QString renderMessage(const ChatMessage &message)
{
    const QString room = isLobby(message.room) ? QString() : message.room + u' ';
    if (message.action)
        return stamped(message.ts, u"%1* %2 %3"_s.arg(room, message.from, message.text));
    return stamped(message.ts, u"%1<%2> %3"_s.arg(room, message.from, message.text));
}

bool isLobby(const QString &room)
{
    return room.isEmpty() || room == lobby();
}

QString topicSentence(const TopicChanged &topic)
{
    if (isLobby(topic.room)) {
        if (topic.topic.isEmpty())
            return tr("%1 cleared the topic").arg(topic.by);
        return tr("%1 set the topic: %2").arg(topic.by, topic.topic);
    }
    if (topic.topic.isEmpty())
        return tr("%1 cleared the topic of %2").arg(topic.by, topic.room);
    // The room last, as every notice about a room; the topic in quotes, so
    // that its own words do not run into the room's name.
    return tr("%1 set the topic to \u201c%2\u201d in %3").arg(topic.by, topic.topic, topic.room);
}

QString roomEnteredSentence(const RoomState &room)
{
    if (room.topic.isEmpty())
        return tr("You are in %1. It has no topic.").arg(room.room);
    return tr("You are in %1. Topic: %2").arg(room.room, room.topic);
}

QString roomUserList(const QString &room, const QStringList &users, const QStringList &ops, const AwayMessages &away)
{
    if (isLobby(room))
        return userList(users, ops, away);
    const QStringList marked = markUsers(users, ops, away);
    if (marked.size() == 1)
        return tr("1 user in %1: %2").arg(room, marked.first());
    return tr("%1 users in %2: %3").arg(marked.size()).arg(room, marked.join(u", "_s));
}

QStringList roomListLines(const RoomList &list)
{
    QStringList lines;
    lines.reserve(list.rooms.size());
    for (const RoomInfo &info : list.rooms) {
        if (info.topic.isEmpty())
            lines.append(tr("%1 (%2)").arg(info.room).arg(info.users));
        else
            lines.append(tr("%1 (%2): %3").arg(info.room).arg(info.users).arg(info.topic));
    }
    return lines;
}

QString leaveReasonText(LeaveReason reason)
{
    switch (reason) {
    case LeaveReason::Quit:
        return tr("quit");
    case LeaveReason::Disconnected:
        return tr("connection lost");
    case LeaveReason::Timeout:
        return tr("timed out");
    case LeaveReason::SlowConsumer:
        return tr("too slow to keep up");
    case LeaveReason::Flood:
        return tr("flooding");
    case LeaveReason::Shutdown:
        return tr("server shutdown");
    case LeaveReason::Kicked:
        return tr("kicked");
    case LeaveReason::Part:
        return tr("left the room");
    }
    return {};
}

QString userList(const QStringList &users, const QStringList &ops, const AwayMessages &away)
{
    const QStringList marked = markUsers(users, ops, away);
    // Two sentences rather than "%n user(s)": the server runs without a translator and must read well in English.
    if (marked.size() == 1)
        return tr("1 user online: %1").arg(marked.first());
    return tr("%1 users online: %2").arg(marked.size()).arg(marked.join(u", "_s));
}

QString awaySentence(const Away &away)
{
    if (away.message.isEmpty())
        return tr("%1 is away").arg(away.nick);
    return tr("%1 is away: %2").arg(away.nick, away.message);
}

QString backSentence(const Back &back)
{
    return tr("%1 is back").arg(back.nick);
}

QString recipientAwaySentence(const QString &nick, const QString &message)
{
    return awaySentence(Away{nick, message, {}});
}

QString kickedText(const QString &by, const QString &reason)
{
    return systemLine(kickedSentence(by, reason));
}

QString joinedSentence(const Joined &joined)
{
    if (!joined.room.isEmpty())
        return tr("%1 joined %2").arg(joined.nick, joined.room);
    return tr("%1 joined").arg(joined.nick);
}

QString leftSentence(const Left &left)
{
    if (left.reason == LeaveReason::Part) {
        const QString room = roomOrLobby(left.room);
        if (left.message.isEmpty())
            return tr("%1 left %2").arg(left.nick, room);
        return tr("%1 left %2 (%3)").arg(left.nick, room, left.message);
    }
    if (left.reason == LeaveReason::Kicked) {
        if (left.message.isEmpty())
            return tr("%1 was kicked by %2").arg(left.nick, left.by);
        return tr("%1 was kicked by %2 (%3)").arg(left.nick, left.by, left.message);
    }
    QString why = leaveReasonText(left.reason);
    if (!left.message.isEmpty())
        why = tr("%1: %2").arg(why, left.message);
    return tr("%1 left (%2)").arg(left.nick, why);
}

QString renamedSentence(const Renamed &renamed)
{
    return tr("%1 is now known as %2").arg(renamed.from, renamed.to);
}

QString kickedSentence(const QString &by, const QString &reason)
{
    if (reason.isEmpty())
        return tr("You were kicked by %1.").arg(by);
    return tr("You were kicked by %1: %2").arg(by, reason);
}

QString systemLine(const QString &sentence)
{
    return u"* "_s + sentence;
}

QString oppedSentence(const Opped &opped)
{
    return tr("%1 is now an operator").arg(opped.nick);
}

// Singular and plural as two sentences rather than "%n minute(s)": the
// server runs without a translator and must read well in English.
QString mutedSentence(const Muted &muted)
{
    if (muted.minutes == 1)
        return tr("%1 was muted by %2 for 1 minute").arg(muted.nick, muted.by);
    return tr("%1 was muted by %2 for %3 minutes").arg(muted.nick, muted.by).arg(muted.minutes);
}

QString unmutedSentence(const Unmuted &unmuted)
{
    return tr("%1 was unmuted by %2").arg(unmuted.nick, unmuted.by);
}

QString slowModeSentence(const SlowMode &slow)
{
    if (slow.seconds <= 0)
        return tr("%1 turned slow mode off").arg(slow.by);
    if (slow.seconds == 1)
        return tr("%1 turned slow mode on: one message per second").arg(slow.by);
    return tr("%1 turned slow mode on: one message per %2 seconds").arg(slow.by).arg(slow.seconds);
}

QString slowModeRule(qint64 seconds)
{
    if (seconds == 1)
        return tr("Slow mode is on: one message per second.");
    return tr("Slow mode is on: one message per %1 seconds.").arg(seconds);
}

QString historyTruncatedSentence()
{
    return tr("More messages arrived while you were away than the server sends again; "
              "the oldest of them are not shown.");
}

QString goodbyeSentence(const ServerBye &bye)
{
    if (bye.reason == leaveReasonName(LeaveReason::Shutdown))
        return tr("The server is shutting down. Goodbye!");
    if (bye.reason == leaveReasonName(LeaveReason::Kicked))
        return kickedSentence(bye.by, bye.message);
    if (bye.reason == kResumedByeReason)
        return tr("Another connection took your nickname back with this session's resume token; "
                  "this one is closed and does not reconnect.");
    // The reason as people read it ("flooding"), or as sent when this build does not know it.
    const std::optional<LeaveReason> known = leaveReasonFromName(bye.reason);
    return tr("Goodbye (%1).").arg(known ? leaveReasonText(*known) : bye.reason);
}

QString stamped(const QDateTime &ts, const QString &body)
{
    const QString prefix = u'[' + Timestamp::toClock(ts) + u"] "_s;
    QString indented = body;
    // Continuation lines of a multi-line message line up under the first.
    indented.replace(u'\n', u'\n' + QString(prefix.size(), u' '));
    return prefix + indented;
}

} // namespace EventText
