// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>
#include <QString>

// The protocol's rules for nicknames and message text, shared by the server
// (which enforces them) and the clients (which explain them before sending).
namespace Validation {

enum class NickProblem { None, Empty, TooLong, BadCharacter, StartsWithMark };
enum class TextProblem { None, Empty, TooLong, ControlCharacter, NotUnicode };

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

NickResult checkNick(const QString &nick);
TextResult checkText(const QString &text);

// The identity of a nickname: NFC then Unicode case folding, so that
// "Alice" and "alice" are one nick.
QString nickKey(const QString &nick);

// Orders nicknames case-insensitively (by key, then by spelling).
bool nickLessThan(const QString &a, const QString &b);

// Translatable explanations (context "Validation"); the server sends them untranslated.
QString describe(const NickResult &result);
QString describe(const TextResult &result);

bool isValidUtf8(QByteArrayView bytes);

} // namespace Validation
