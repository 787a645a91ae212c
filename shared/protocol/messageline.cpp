// SPDX-License-Identifier: MIT
#include "messageline.h"

#include "frametypename.h"
#include "timestamp.h"

namespace MessageLine {
namespace {

// Room for the keys, quotes, id and time stamp around the strings.
constexpr qsizetype kFixedBytes = 96;
constexpr char16_t kFirstPrintable = 0x20;
constexpr char16_t kFirstSurrogate = 0xD800;
constexpr char16_t kLastSurrogate = 0xDFFF;

// True when QJsonDocument writes `text` as its plain UTF-8: no quote,
// backslash or control character (escaped there) and no surrogate (an
// unpaired one is escaped there; pairs are rare enough for the slow path).
bool isPlain(const QString &text)
{
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u < kFirstPrintable || u == u'"' || u == u'\\' || (u >= kFirstSurrogate && u <= kLastSurrogate))
            return false;
    }
    return true;
}

void appendString(QByteArray &line, const char *key, const QString &value)
{
    line.append(key);
    line.append(value.toUtf8());
    line.append('"');
}

} // namespace

std::optional<QByteArray> encode(const Protocol::ChatMessage &message)
{
    if (!isPlain(message.from) || !isPlain(message.text) || !isPlain(message.room))
        return std::nullopt;
    const QString ts = Timestamp::toWire(message.ts); // digits and punctuation only
    QByteArray line;
    line.reserve(kFixedBytes + 3 * (message.from.size() + message.text.size() + message.room.size()));
    // QJsonObject keeps its keys sorted: action, from, id, room, text, ts, type.
    line.append(message.action ? "{\"action\":true,\"from\":\"" : "{\"from\":\"");
    line.append(message.from.toUtf8());
    line.append("\",\"id\":");
    line.append(QByteArray::number(message.id));
    if (!message.room.isEmpty())
        appendString(line, ",\"room\":\"", message.room);
    appendString(line, ",\"text\":\"", message.text);
    appendString(line, ",\"ts\":\"", ts);
    static const QByteArray kType = Protocol::typeName<Protocol::ChatMessage>().toUtf8();
    line.append(",\"type\":\"");
    line.append(kType);
    line.append("\"}\n");
    return line;
}

} // namespace MessageLine
