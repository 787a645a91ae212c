// SPDX-License-Identifier: MIT
#include "roomstream.h"

#include "framecodec.h"
#include "messageline.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcRoomStream, "qtchat.server.roomstream")

namespace RoomStream {

namespace {
struct KindName {
    Kind kind;
    const char *name;
};
constexpr KindName kKindNames[] = {{Kind::Message, "m"}, {Kind::Event, "e"}, {Kind::Whisper, "w"}, {Kind::Kick, "k"}};
} // namespace

QByteArray kindName(Kind kind)
{
    for (const KindName &k : kKindNames) {
        if (k.kind == kind)
            return k.name;
    }
    return {};
}

QList<QByteArray> fields(Kind kind, const Protocol::ServerFrame &frame, const QByteArray &instance,
                         Wire::ConnectionId connection, const QString &target)
{
    return {"k", kindName(kind), "f", frameJson(frame), "i", instance, "c", QByteArray::number(connection),
            "t", target.toUtf8()};
}

QByteArray frameJson(const Protocol::ServerFrame &frame)
{
    QByteArray json = FrameCodec::encode(frame);
    json.chop(1); // the LF
    return json;
}

QList<Protocol::ChatMessage> messagesOf(const QList<RedisReply> &items)
{
    QList<Protocol::ChatMessage> messages;
    for (const RedisReply &item : items) {
        if (item.elements.size() < 2 || !messageId(item.elements.at(0).string))
            continue;
        const auto decoded = decode(StreamReader::entryOf(item));
        if (const auto *error = std::get_if<QString>(&decoded)) {
            qCWarning(lcRoomStream).noquote() << "skipping" << *error;
            continue;
        }
        // An event may sit at "N-0" too (after a number another room took).
        if (const auto *message = std::get_if<Protocol::ChatMessage>(&std::get<Entry>(decoded).frame);
            message && std::get<Entry>(decoded).kind == Kind::Message)
            messages.append(*message);
    }
    return messages;
}

std::optional<qint64> messageId(const QByteArray &streamId)
{
    const qsizetype dash = streamId.indexOf('-');
    if (dash <= 0 || streamId.mid(dash + 1) != "0")
        return std::nullopt;
    bool ok = false;
    const qint64 id = streamId.left(dash).toLongLong(&ok);
    return ok && id > 0 ? std::optional<qint64>(id) : std::nullopt;
}

std::variant<Entry, QString> decode(const StreamEntry &raw)
{
    Entry entry;
    entry.streamId = raw.id;
    const QByteArray kind = raw.value("k");
    bool known = false;
    for (const KindName &k : kKindNames) {
        if (kind == k.name) {
            entry.kind = k.kind;
            known = true;
        }
    }
    if (!known)
        return u"entry %1 has an unknown kind '%2'"_s.arg(QString::fromLatin1(raw.id), QString::fromUtf8(kind));
    const QByteArray json = raw.value("f");
    bool exact = false;
    // A message as MessageLine writes it, the common case, is read (and
    // later sent on) without going through FrameCodec's generic path.
    if (std::optional<Protocol::ChatMessage> message =
            entry.kind == Kind::Message ? MessageLine::decode(json, &exact) : std::nullopt) {
        entry.frame = *std::move(message);
    } else {
        FrameCodec::Decoded<Protocol::ServerFrame> frame = FrameCodec::decodeServerFrame(json);
        if (const auto *error = std::get_if<FrameCodec::DecodeError>(&frame))
            return u"entry %1 has no readable frame: %2"_s.arg(QString::fromLatin1(raw.id), error->message);
        entry.frame = std::move(std::get<Protocol::ServerFrame>(frame));
    }
    if (entry.kind == Kind::Message) {
        auto *message = std::get_if<Protocol::ChatMessage>(&entry.frame);
        const std::optional<qint64> id = messageId(raw.id);
        if (!message || !id)
            return u"entry %1 is not a message with a message id"_s.arg(QString::fromLatin1(raw.id));
        message->id = *id;
        if (exact)
            entry.json = MessageLine::withId(json, *id);
    }
    entry.instance = raw.value("i");
    entry.connection = raw.value("c").toULongLong();
    entry.target = QString::fromUtf8(raw.value("t"));
    return entry;
}

} // namespace RoomStream
