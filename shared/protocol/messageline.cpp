// SPDX-License-Identifier: MIT
#include "messageline.h"

#include "frametypename.h"
#include "timestamp.h"

#include <QStringDecoder>

#include <algorithm>
#include <array>
#include <charconv>

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

// The first byte of a four-byte UTF-8 sequence: a character past U+FFFF,
// a surrogate pair in a QString.
constexpr unsigned char kFirstFourByteLead = 0xF0;
// Where a line's id starts: after the sender, which holds no quote.
constexpr char kIdKey[] = "\",\"id\":";

// Room for any qint64 in decimal, its sign included.
constexpr std::size_t kMaxIdChars = 20;

// Ids of up to 15 digits are below 2^53: read exactly, whatever way the
// JSON reader stores them. Longer ones go the generic way.
constexpr qsizetype kMaxIdDigits = 15;

// Reads the canonical line from the front, one expected piece at a time.
class Reader
{
public:
    explicit Reader(QByteArrayView line) : m_rest(line) {}

    bool atEnd() const { return m_rest.isEmpty(); }
    // Consumes `literal` when the rest starts with it.
    bool take(QByteArrayView literal)
    {
        if (!m_rest.startsWith(literal))
            return false;
        m_rest = m_rest.sliced(literal.size());
        return true;
    }
    // The bytes up to the next quote (consumed too), when none of them is
    // one JSON would have escaped: those lines go the generic way.
    std::optional<QByteArrayView> plainString()
    {
        for (qsizetype i = 0; i < m_rest.size(); ++i) {
            const auto byte = static_cast<unsigned char>(m_rest.at(i));
            if (byte == '"') {
                const QByteArrayView text = m_rest.first(i);
                m_rest = m_rest.sliced(i + 1);
                return text;
            }
            if (byte < kFirstPrintable || byte == '\\')
                return std::nullopt;
        }
        return std::nullopt;
    }
    // A JSON number as encode() writes an id: no sign, no leading zero.
    std::optional<qint64> id()
    {
        qsizetype digits = 0;
        while (digits < m_rest.size() && m_rest.at(digits) >= '0' && m_rest.at(digits) <= '9')
            ++digits;
        if (digits == 0 || digits > kMaxIdDigits || (digits > 1 && m_rest.at(0) == '0'))
            return std::nullopt;
        qint64 value = 0;
        for (qsizetype i = 0; i < digits; ++i)
            value = value * 10 + (m_rest.at(i) - '0');
        m_rest = m_rest.sliced(digits);
        return value;
    }

private:
    QByteArrayView m_rest;
};

// UTF-8 as the generic decoder checks it (Validation::isValidUtf8), decoded
// in the same pass; nullopt when it is not valid.
std::optional<QString> fromUtf8(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return std::nullopt;
    return text;
}

} // namespace

std::optional<Protocol::ChatMessage> decode(QByteArrayView line, bool *exact)
{
    if (line.endsWith('\n'))
        line.chop(1);
    Reader reader(line);
    Protocol::ChatMessage message;
    message.action = reader.take("{\"action\":true,\"from\":\"");
    if (!message.action && !reader.take("{\"from\":\""))
        return std::nullopt;
    const std::optional<QByteArrayView> from = reader.plainString();
    if (!from || !reader.take(",\"id\":"))
        return std::nullopt;
    const std::optional<qint64> id = reader.id();
    if (!id)
        return std::nullopt;
    std::optional<QByteArrayView> room;
    if (reader.take(",\"room\":\"")) {
        room = reader.plainString();
        if (!room)
            return std::nullopt;
    }
    if (!reader.take(",\"text\":\""))
        return std::nullopt;
    const std::optional<QByteArrayView> text = reader.plainString();
    if (!text || !reader.take(",\"ts\":\""))
        return std::nullopt;
    const std::optional<QByteArrayView> ts = reader.plainString();
    static const QByteArray kTypeEnd = ",\"type\":\"" + Protocol::typeName<Protocol::ChatMessage>().toUtf8() + "\"}";
    if (!ts || !reader.take(kTypeEnd) || !reader.atEnd())
        return std::nullopt;
    std::optional<QString> fromText = fromUtf8(*from);
    std::optional<QString> textText = fromUtf8(*text);
    std::optional<QString> roomText = room ? fromUtf8(*room) : std::optional<QString>(QString());
    const std::optional<QString> tsText = fromUtf8(*ts);
    if (!fromText || !textText || !roomText || !tsText)
        return std::nullopt;
    // The generic decoder puts the time of reading in place of an unreadable
    // time stamp; that is for it to do.
    message.ts = Timestamp::fromWire(*tsText);
    if (!message.ts.isValid())
        return std::nullopt;
    if (exact) {
        // encode() writes no empty room, the time stamp as toWire() does,
        // and a string with a surrogate pair (a four-byte UTF-8 sequence)
        // the generic way; everything else it writes as read here.
        const auto fourBytes = [](QByteArrayView bytes) {
            return std::any_of(bytes.cbegin(), bytes.cend(),
                               [](char byte) { return static_cast<unsigned char>(byte) >= kFirstFourByteLead; });
        };
        *exact = (!room || !room->isEmpty()) && Timestamp::toWire(message.ts) == *tsText && !fourBytes(*from) &&
                 !fourBytes(*text) && (!room || !fourBytes(*room));
    }
    message.id = *id;
    message.from = *std::move(fromText);
    message.text = *std::move(textText);
    message.room = *std::move(roomText);
    return message;
}

QByteArray withId(QByteArrayView exactLine, qint64 id)
{
    if (exactLine.endsWith('\n'))
        exactLine.chop(1);
    const qsizetype idAt = exactLine.indexOf(QByteArrayView(kIdKey)) + qsizetype(sizeof kIdKey) - 1;
    const qsizetype idEnd = exactLine.indexOf(',', idAt);
    // Written in place: one allocation, the line's.
    std::array<char, kMaxIdChars> digits{};
    const auto written = std::to_chars(digits.data(), digits.data() + digits.size(), id);
    const QByteArrayView number(digits.data(), written.ptr - digits.data());
    QByteArray line;
    line.reserve(exactLine.size() + number.size() + 1);
    line.append(exactLine.first(idAt));
    line.append(number);
    line.append(exactLine.sliced(idEnd));
    line.append('\n');
    return line;
}

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
