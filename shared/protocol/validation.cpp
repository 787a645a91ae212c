// SPDX-License-Identifier: MIT
#include "validation.h"

#include "protocol.h"

#include <QCoreApplication>
#include <QStringDecoder>
#include <QUtf8StringView>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Validation {
namespace {

bool isMark(char32_t c)
{
    switch (QChar::category(c)) {
    case QChar::Mark_NonSpacing:
    case QChar::Mark_SpacingCombining:
    case QChar::Mark_Enclosing:
        return true;
    default:
        return false;
    }
}

bool isNickCharacter(char32_t c)
{
    if (c == U'_' || c == U'-' || c == U'.')
        return true;
    return QChar::isLetter(c) || QChar::category(c) == QChar::Number_DecimalDigit || isMark(c);
}

bool isAllowedInText(char32_t c)
{
    if (c == U'\n' || c == U'\t')
        return true;
    return QChar::category(c) != QChar::Other_Control;
}

// The first problem among a name's characters: shared by nicknames and room names.
template<typename Problem> Problem firstBadCharacter(const QList<uint> &codePoints, QString &offending)
{
    for (const uint c : codePoints) {
        if (!isNickCharacter(c)) {
            // Not QString::fromUcs4(): it would drop U+FEFF as a byte order mark.
            offending = QStringView(QChar::fromUcs4(c)).toString();
            return Problem::BadCharacter;
        }
    }
    if (isMark(codePoints.first()))
        return Problem::StartsWithMark;
    return Problem::None;
}

QString shownCharacter(const QString &offending)
{
    return offending == u" "_s ? QCoreApplication::translate("Validation", "space") : offending;
}

} // namespace

NickResult checkNick(const QString &nick)
{
    NickResult result;
    result.nick = nick.normalized(QString::NormalizationForm_C);
    const QList<uint> codePoints = result.nick.toUcs4();
    if (codePoints.isEmpty()) {
        result.problem = NickProblem::Empty;
        return result;
    }
    if (codePoints.size() > Protocol::kMaxNickLength) {
        result.problem = NickProblem::TooLong;
        return result;
    }
    result.problem = firstBadCharacter<NickProblem>(codePoints, result.offending);
    return result;
}

RoomResult checkRoom(const QString &room)
{
    RoomResult result;
    result.room = room.normalized(QString::NormalizationForm_C);
    if (!result.room.startsWith(u'#')) {
        result.problem = RoomProblem::NoHash;
        return result;
    }
    const QList<uint> codePoints = QStringView(result.room).sliced(1).toUcs4();
    if (codePoints.isEmpty()) {
        result.problem = RoomProblem::Empty;
        return result;
    }
    if (codePoints.size() > Protocol::kMaxRoomNameLength) {
        result.problem = RoomProblem::TooLong;
        return result;
    }
    result.problem = firstBadCharacter<RoomProblem>(codePoints, result.offending);
    return result;
}

TopicResult checkTopic(const QString &topic)
{
    TopicResult result;
    result.topic = topic.trimmed();
    if (!QStringView(result.topic).isValidUtf16()) {
        result.problem = TopicProblem::NotUnicode;
        return result;
    }
    const QList<uint> codePoints = result.topic.toUcs4();
    if (codePoints.size() > Protocol::kMaxTopicLength) {
        result.problem = TopicProblem::TooLong;
        return result;
    }
    for (const uint c : codePoints) {
        // Unlike a message, a topic is one line: TAB and LF are control characters here.
        if (QChar::category(c) == QChar::Other_Control) {
            result.problem = TopicProblem::ControlCharacter;
            return result;
        }
    }
    return result;
}

TextResult checkText(const QString &text)
{
    TextResult result;
    result.text = text.trimmed();
    // Qt's JSON parser drops a U+FEFF (byte order mark) that starts a string,
    // so clients would read the text without it: "\uFEFF" alone as an empty
    // message. Strip it here, so the server accepts what clients will see.
    while (result.text.startsWith(QChar(0xFEFF)))
        result.text = result.text.sliced(1).trimmed();
    const QList<uint> codePoints = result.text.toUcs4();
    if (codePoints.isEmpty()) {
        result.problem = TextProblem::Empty;
        return result;
    }
    if (codePoints.size() > Protocol::kMaxTextLength) {
        result.problem = TextProblem::TooLong;
        return result;
    }
    // JSON can carry an unpaired surrogate ("\ud800"); toUcs4() would hide it as U+FFFD.
    if (!QStringView(result.text).isValidUtf16()) {
        result.problem = TextProblem::NotUnicode;
        return result;
    }
    for (const uint c : codePoints) {
        if (!isAllowedInText(c)) {
            result.problem = TextProblem::ControlCharacter;
            return result;
        }
    }
    return result;
}

QString nickKey(const QString &nick)
{
    // Every message asks for its room's key and its sender's, and the two
    // normalizations cost more than the rest of the room's work on it. ASCII
    // is already in NFC and folds to lower case, so it skips them (and, when
    // already lower case, shares the string instead of copying it).
    const bool ascii = std::all_of(nick.cbegin(), nick.cend(), [](QChar c) { return c.unicode() < 0x80; });
    if (ascii) {
        const bool lower = std::none_of(nick.cbegin(), nick.cend(), [](QChar c) { return c.isUpper(); });
        return lower ? nick : nick.toLower();
    }
    return nick.normalized(QString::NormalizationForm_C).toCaseFolded().normalized(QString::NormalizationForm_C);
}

QString roomKey(const QString &room)
{
    return nickKey(room);
}

bool nickLessThan(const QString &a, const QString &b)
{
    const QString keyA = nickKey(a);
    const QString keyB = nickKey(b);
    if (keyA != keyB)
        return keyA < keyB;
    return a < b;
}

QString describe(const NickResult &result)
{
    switch (result.problem) {
    case NickProblem::None:
        return {};
    case NickProblem::Empty:
        return QCoreApplication::translate("Validation", "A nickname needs at least one character.");
    case NickProblem::TooLong:
        return QCoreApplication::translate("Validation", "A nickname has at most %n characters.", nullptr,
                                           Protocol::kMaxNickLength);
    case NickProblem::BadCharacter:
        return QCoreApplication::translate("Validation",
                                           "\"%1\" is not allowed in a nickname: use letters of any script, "
                                           "digits, _, - and .")
            .arg(shownCharacter(result.offending));
    case NickProblem::StartsWithMark:
        return QCoreApplication::translate("Validation", "A nickname cannot start with a combining mark.");
    }
    return {};
}

QString describe(const TextResult &result)
{
    switch (result.problem) {
    case TextProblem::None:
        return {};
    case TextProblem::Empty:
        return QCoreApplication::translate("Validation", "The message is empty.");
    case TextProblem::TooLong:
        return QCoreApplication::translate("Validation", "A message has at most %n characters.", nullptr,
                                           Protocol::kMaxTextLength);
    case TextProblem::ControlCharacter:
        return QCoreApplication::translate("Validation", "The message contains control characters (only tab and line "
                                                         "breaks are allowed).");
    case TextProblem::NotUnicode:
        return QCoreApplication::translate("Validation",
                                           "The message contains invalid Unicode (an unpaired surrogate).");
    }
    return {};
}

QString describe(const RoomResult &result)
{
    switch (result.problem) {
    case RoomProblem::None:
        return {};
    case RoomProblem::NoHash:
        return QCoreApplication::translate("Validation", "A room name starts with #, as in #lobby.");
    case RoomProblem::Empty:
        return QCoreApplication::translate("Validation", "A room name needs at least one character after the #.");
    case RoomProblem::TooLong:
        return QCoreApplication::translate("Validation", "A room name has at most %n characters after the #.", nullptr,
                                           Protocol::kMaxRoomNameLength);
    case RoomProblem::BadCharacter:
        return QCoreApplication::translate("Validation",
                                           "\"%1\" is not allowed in a room name: use letters of any script, "
                                           "digits, _, - and .")
            .arg(shownCharacter(result.offending));
    case RoomProblem::StartsWithMark:
        return QCoreApplication::translate("Validation", "A room name cannot start with a combining mark.");
    }
    return {};
}

QString describe(const TopicResult &result)
{
    switch (result.problem) {
    case TopicProblem::None:
        return {};
    case TopicProblem::TooLong:
        return QCoreApplication::translate("Validation", "A topic has at most %n characters.", nullptr,
                                           Protocol::kMaxTopicLength);
    case TopicProblem::ControlCharacter:
        return QCoreApplication::translate("Validation",
                                           "A topic is one line without control characters (no tabs either).");
    case TopicProblem::NotUnicode:
        return QCoreApplication::translate("Validation", "The topic contains invalid Unicode (an unpaired surrogate).");
    }
    return {};
}

QString describeAwayMessage(const TopicResult &result)
{
    switch (result.problem) {
    case TopicProblem::None:
        return {};
    case TopicProblem::TooLong: {
        // A plain name: lupdate 6.4 misses this call with a qualified one.
        constexpr int maxLength = Protocol::kMaxAwayLength;
        return QCoreApplication::translate("Validation", "An away message has at most %n characters.", nullptr,
                                           maxLength);
    }
    case TopicProblem::ControlCharacter:
        return QCoreApplication::translate("Validation",
                                           "An away message is one line without control characters (no tabs either).");
    case TopicProblem::NotUnicode:
        return QCoreApplication::translate("Validation",
                                           "The away message contains invalid Unicode (an unpaired surrogate).");
    }
    return {};
}

bool isValidUtf8(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    [[maybe_unused]] const QString decoded = decoder.decode(bytes);
    return !decoder.hasError();
}

bool isCid(const QString &cid)
{
    if (cid.isEmpty() || cid.size() > kMaxCidLength)
        return false;
    return std::all_of(cid.cbegin(), cid.cend(), [](QChar c) { return c.unicode() > u' ' && c.unicode() <= u'~'; });
}

} // namespace Validation
