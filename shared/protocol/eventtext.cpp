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

// A line from the server itself.
QString systemLine(const QString &sentence)
{
    return u"* "_s + sentence;
}

struct Renderer {
    const QString &self;

    QString operator()(const Welcome &f) const
    {
        QString welcome = tr("* Welcome, %1! %2").arg(f.nick, userList(f.users, f.ops));
        if (f.slow <= 0)
            return welcome;
        return welcome + u'\n' + tr("* Slow mode is on: one message per %1 seconds.").arg(f.slow);
    }
    QString operator()(const ChatMessage &f) const { return renderMessage(f); }
    QString operator()(const WhisperMessage &f) const
    {
        if (!self.isEmpty() && f.from == self && f.to != self)
            return stamped(f.ts, tr("-> *%1* %2").arg(f.to, f.text));
        return stamped(f.ts, tr("*%1* %2").arg(f.from, f.text));
    }
    QString operator()(const Joined &f) const { return stamped(f.ts, systemLine(joinedSentence(f))); }
    QString operator()(const Left &f) const { return stamped(f.ts, systemLine(leftSentence(f))); }
    QString operator()(const Renamed &f) const { return stamped(f.ts, systemLine(renamedSentence(f))); }
    QString operator()(const Users &f) const { return u"* "_s + userList(f.users, f.ops); }
    QString operator()(const Pong &) const { return tr("* pong"); }
    QString operator()(const Error &f) const { return tr("* error: %1").arg(f.message); }
    QString operator()(const ServerBye &f) const
    {
        if (f.reason == u"shutdown")
            return tr("* The server is shutting down. Goodbye!");
        if (f.reason == leaveReasonName(LeaveReason::Kicked))
            return kickedText(f.by, f.message);
        return tr("* Goodbye (%1).").arg(f.reason);
    }
    QString operator()(const Opped &f) const { return stamped(f.ts, tr("* %1 is now an operator").arg(f.nick)); }
    QString operator()(const Muted &f) const
    {
        return stamped(f.ts, tr("* %1 was muted by %2 for %3 minutes").arg(f.nick, f.by).arg(f.minutes));
    }
    QString operator()(const Unmuted &f) const { return stamped(f.ts, tr("* %1 was unmuted by %2").arg(f.nick, f.by)); }
    QString operator()(const SlowMode &f) const
    {
        if (f.seconds <= 0)
            return stamped(f.ts, tr("* %1 turned slow mode off").arg(f.by));
        return stamped(f.ts, tr("* %1 turned slow mode on: one message per %2 seconds").arg(f.by).arg(f.seconds));
    }
};

} // namespace

QString render(const ServerFrame &frame, const QString &self)
{
    return std::visit(Renderer{self}, frame);
}

QString renderMessage(const ChatMessage &message)
{
    if (message.action)
        return stamped(message.ts, u"* %1 %2"_s.arg(message.from, message.text));
    return stamped(message.ts, u"<%1> %2"_s.arg(message.from, message.text));
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
    }
    return {};
}

QString userList(const QStringList &users, const QStringList &ops)
{
    QStringList marked = users;
    for (QString &nick : marked) {
        // IRC's mark for an operator, which netcat users may know.
        if (ops.contains(nick))
            nick.prepend(u'@');
    }
    // Two sentences rather than "%n user(s)": the server runs without a translator and must read well in English.
    if (marked.size() == 1)
        return tr("1 user online: %1").arg(marked.first());
    return tr("%1 users online: %2").arg(marked.size()).arg(marked.join(u", "_s));
}

QString kickedText(const QString &by, const QString &reason)
{
    return systemLine(kickedSentence(by, reason));
}

QString joinedSentence(const Joined &joined)
{
    return tr("%1 joined").arg(joined.nick);
}

QString leftSentence(const Left &left)
{
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

QString stamped(const QDateTime &ts, const QString &body)
{
    const QString prefix = u'[' + Timestamp::toClock(ts) + u"] "_s;
    QString indented = body;
    // Continuation lines of a multi-line message line up under the first.
    indented.replace(u'\n', u'\n' + QString(prefix.size(), u' '));
    return prefix + indented;
}

} // namespace EventText
