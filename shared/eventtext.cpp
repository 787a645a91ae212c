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

QString stamped(const QDateTime &ts, const QString &body)
{
    const QString prefix = u'[' + Timestamp::toClock(ts) + u"] "_s;
    QString indented = body;
    // Continuation lines of a multi-line message line up under the first.
    indented.replace(u'\n', u'\n' + QString(prefix.size(), u' '));
    return prefix + indented;
}

struct Renderer {
    const QString &self;

    QString operator()(const Welcome &f) const
    {
        return tr("* Welcome, %1! %2").arg(f.nick, userList(f.users));
    }
    QString operator()(const ChatMessage &f) const { return renderMessage(f); }
    QString operator()(const WhisperMessage &f) const
    {
        if (!self.isEmpty() && f.from == self && f.to != self)
            return stamped(f.ts, tr("-> *%1* %2").arg(f.to, f.text));
        return stamped(f.ts, tr("*%1* %2").arg(f.from, f.text));
    }
    QString operator()(const Joined &f) const { return stamped(f.ts, tr("* %1 joined").arg(f.nick)); }
    QString operator()(const Left &f) const
    {
        QString why = leaveReasonText(f.reason);
        if (!f.message.isEmpty())
            why = tr("%1: %2").arg(why, f.message);
        return stamped(f.ts, tr("* %1 left (%2)").arg(f.nick, why));
    }
    QString operator()(const Renamed &f) const
    {
        return stamped(f.ts, tr("* %1 is now known as %2").arg(f.from, f.to));
    }
    QString operator()(const Users &f) const { return u"* "_s + userList(f.users); }
    QString operator()(const Pong &) const { return tr("* pong"); }
    QString operator()(const Error &f) const { return tr("* error: %1").arg(f.message); }
    QString operator()(const ServerBye &f) const
    {
        if (f.reason == u"shutdown")
            return tr("* The server is shutting down. Goodbye!");
        return tr("* Goodbye (%1).").arg(f.reason);
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
    }
    return {};
}

QString userList(const QStringList &users)
{
    // Two sentences rather than "%n user(s)": the server runs without a translator and must read well in English.
    if (users.size() == 1)
        return tr("1 user online: %1").arg(users.first());
    return tr("%1 users online: %2").arg(users.size()).arg(users.join(u", "_s));
}

} // namespace EventText
