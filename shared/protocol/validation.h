// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>
#include <QString>

// The protocol's rules for nicknames and message text, shared by the server
// (which enforces them) and the clients (which explain them before sending).
namespace Validation {

enum class NickProblem { None, Empty, TooLong, BadCharacter, StartsWithMark };
enum class TextProblem { None, Empty, TooLong, ControlCharacter, NotUnicode };
enum class RoomProblem { None, NoHash, Empty, TooLong, BadCharacter, StartsWithMark };
enum class TopicProblem { None, TooLong, ControlCharacter, NotUnicode };

struct NickResult {
    QString nick; // NFC-normalised, as it will be shown
    NickProblem problem = NickProblem::None;
    QString offending; // the first character that is not allowed, if any
    bool isValid() const { return problem == NickProblem::None; }
};

struct TextResult {
    QString text; // trimmed
    TextProblem problem = TextProblem::None;
    bool isValid() const { return problem == TextProblem::None; }
};

struct RoomResult {
    QString room; // NFC-normalised, "#" included, as it will be shown
    RoomProblem problem = RoomProblem::None;
    QString offending; // the first character that is not allowed, if any
    bool isValid() const { return problem == RoomProblem::None; }
};

struct TopicResult {
    QString topic; // trimmed; empty clears the topic
    TopicProblem problem = TopicProblem::None;
    bool isValid() const { return problem == TopicProblem::None; }
};

NickResult checkNick(const QString &nick);
TextResult checkText(const QString &text);
// "#" and 1 to kMaxRoomNameLength characters of a nickname's alphabet (ROOMS.md, "Names").
RoomResult checkRoom(const QString &room);
// 0 to kMaxTopicLength characters after trimming, no control characters (not even TAB or LF).
TopicResult checkTopic(const QString &topic);
// An away message follows the topic's rules (docs/protocol.md, "Presence").
inline TopicResult checkAwayMessage(const QString &message)
{
    return checkTopic(message);
}

// The identity of a nickname: NFC then Unicode case folding, so that
// "Alice" and "alice" are one nick.
QString nickKey(const QString &nick);

// The identity of a room name, compared like nicknames: "#Dev" and "#dev" are one room.
QString roomKey(const QString &room);

// Orders nicknames case-insensitively (by key, then by spelling).
bool nickLessThan(const QString &a, const QString &b);

// Translatable explanations (context "Validation"); the server sends them untranslated.
QString describe(const NickResult &result);
QString describe(const TextResult &result);
QString describe(const RoomResult &result);
QString describe(const TopicResult &result);
QString describeAwayMessage(const TopicResult &result);

bool isValidUtf8(QByteArrayView bytes);

// A `say`'s cid the server keeps (docs/protocol.md, "Posting again safely"):
// 1 to kMaxCidLength printable ASCII characters, no space.
inline constexpr qsizetype kMaxCidLength = 64;
bool isCid(const QString &cid);

} // namespace Validation
