// SPDX-License-Identifier: MIT
#include "presenceframes.h"

#include "frametypename.h"
#include "timestamp.h"

using namespace Qt::StringLiterals;
using namespace Protocol;

namespace FrameCodec::PresenceFrames {

QJsonObject toJson(const SetAway &frame)
{
    QJsonObject o{{u"type"_s, typeName<SetAway>()}};
    if (!frame.message.isEmpty())
        o.insert(u"message"_s, frame.message);
    return o;
}

QJsonObject toJson(const SetBack &)
{
    return {{u"type"_s, typeName<SetBack>()}};
}

QJsonObject toJson(const Away &frame)
{
    QJsonObject o{{u"type"_s, typeName<Away>()}, {u"nick"_s, frame.nick}, {u"ts"_s, Timestamp::toWire(frame.ts)}};
    if (!frame.message.isEmpty())
        o.insert(u"message"_s, frame.message);
    return o;
}

QJsonObject toJson(const Back &frame)
{
    return {{u"type"_s, typeName<Back>()}, {u"nick"_s, frame.nick}, {u"ts"_s, Timestamp::toWire(frame.ts)}};
}

void insertAway(QJsonObject &object, const AwayMessages &away)
{
    if (away.isEmpty())
        return;
    QJsonObject messages;
    for (auto it = away.cbegin(); it != away.cend(); ++it)
        messages.insert(it.key(), it.value());
    object.insert(u"away"_s, messages);
}

AwayMessages awayFrom(const QJsonObject &object)
{
    AwayMessages away;
    const QJsonObject messages = object.value(u"away"_s).toObject();
    for (auto it = messages.constBegin(); it != messages.constEnd(); ++it)
        away.insert(it.key(), it.value().toString());
    return away;
}

std::optional<Decoded<ClientFrame>> decodeClient(const QString &type, FieldReader &r)
{
    if (type == typeName<SetAway>())
        return r.result<ClientFrame>(SetAway{r.optionalString(u"message"_s)});
    if (type == typeName<SetBack>())
        return r.result<ClientFrame>(SetBack{});
    return std::nullopt;
}

std::optional<Decoded<ServerFrame>> decodeServer(const QString &type, const QJsonObject &o, FieldReader &r)
{
    if (type == typeName<Away>()) {
        Away f;
        f.nick = r.requiredString(u"nick"_s);
        f.message = o.value(u"message"_s).toString();
        f.ts = r.timestamp(u"ts"_s);
        return r.result<ServerFrame>(f);
    }
    if (type == typeName<Back>())
        return r.result<ServerFrame>(Back{r.requiredString(u"nick"_s), r.timestamp(u"ts"_s)});
    return std::nullopt;
}

} // namespace FrameCodec::PresenceFrames
