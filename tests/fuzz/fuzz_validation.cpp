// SPDX-License-Identifier: MIT
// Fuzzes Validation: the nickname and text rules the server enforces on
// everything a client asks for. Strings come either from UTF-8 (what text
// mode reads) or from raw UTF-16 code units (what a JSON "\uXXXX" escape can
// carry, unpaired surrogates included).
//
// Invariants:
//  - checkNick gives the NFC form; a valid nick has 1 to 24 code points, is
//    valid UTF-16, is still valid and unchanged when checked again, survives
//    UTF-8 and back, and its key (NFC + case folding) is non-empty and a fixed
//    point (nickKey(nickKey(n)) == nickKey(n)); a refused nick names its
//    offending character when that is the problem;
//  - checkText gives the trimmed text (less a leading U+FEFF); a valid text has 1 to 4000 code points,
//    is valid UTF-16 without control characters other than TAB and LF, is
//    still valid and unchanged when checked again, and the `message` frame the
//    server would broadcast is one line of valid UTF-8 carrying it exactly;
//  - describe() explains every problem and says nothing for valid input;
//  - nickLessThan is a strict weak ordering.
#include "framecodec.h"
#include "fuzzcheck.h"
#include "validation.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>

using namespace Protocol;
using namespace Validation;

namespace {

QString takeString(FuzzedDataProvider &input, bool utf16)
{
    const std::string bytes = input.ConsumeRandomLengthString(200);
    if (!utf16)
        return QString::fromUtf8(bytes.data(), qsizetype(bytes.size()));
    return QString(reinterpret_cast<const QChar *>(bytes.data()), qsizetype(bytes.size() / 2));
}

qsizetype codePoints(const QString &s)
{
    return s.toUcs4().size();
}

void checkNickRules(const QString &nick)
{
    const NickResult result = checkNick(nick);
    FUZZ_CHECK_EQUAL(result.nick, nick.normalized(QString::NormalizationForm_C));
    FUZZ_CHECK_EQUAL(describe(result).isEmpty(), result.isValid());
    if (result.problem == NickProblem::BadCharacter) {
        FUZZ_CHECK(!result.offending.isEmpty());
        FUZZ_CHECK(result.nick.contains(result.offending) || !QStringView(result.nick).isValidUtf16());
    }
    if (!result.isValid())
        return;

    FUZZ_CHECK(codePoints(result.nick) >= 1 && codePoints(result.nick) <= kMaxNickLength);
    FUZZ_CHECK(QStringView(result.nick).isValidUtf16());
    const NickResult again = checkNick(result.nick);
    FUZZ_CHECK(again.isValid());
    FUZZ_CHECK_EQUAL(again.nick, result.nick);
    FUZZ_CHECK_EQUAL(QString::fromUtf8(result.nick.toUtf8()), result.nick);

    const QString key = nickKey(result.nick);
    FUZZ_CHECK(!key.isEmpty());
    FUZZ_CHECK_EQUAL(nickKey(nick), key);
    FUZZ_CHECK_EQUAL(nickKey(key), key);
}

void checkTextRules(const QString &text)
{
    const TextResult result = checkText(text);
    // Trimmed, and without the leading U+FEFF that Qt's JSON parser would drop.
    QString expected = text.trimmed();
    while (expected.startsWith(QChar(0xFEFF)))
        expected = expected.sliced(1).trimmed();
    FUZZ_CHECK_EQUAL(result.text, expected);
    FUZZ_CHECK_EQUAL(describe(result).isEmpty(), result.isValid());
    if (!result.isValid())
        return;

    FUZZ_CHECK(codePoints(result.text) >= 1 && codePoints(result.text) <= kMaxTextLength);
    FUZZ_CHECK(QStringView(result.text).isValidUtf16());
    FUZZ_CHECK_EQUAL(result.text, result.text.trimmed());
    for (const char32_t c : result.text.toUcs4())
        FUZZ_CHECK(c == U'\n' || c == U'\t' || QChar::category(c) != QChar::Other_Control);
    const TextResult again = checkText(result.text);
    FUZZ_CHECK(again.isValid());
    FUZZ_CHECK_EQUAL(again.text, result.text);

    ChatMessage message;
    message.id = 1;
    message.from = QStringLiteral("fuzz");
    message.text = result.text;
    message.ts = QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
    const QByteArray line = FrameCodec::encode(ServerFrame{message});
    FUZZ_CHECK(line.endsWith('\n'));
    FUZZ_CHECK_EQUAL(line.count('\n'), 1);
    FUZZ_CHECK(isValidUtf8(line));
    const auto decoded = FrameCodec::decodeServerFrame(QByteArrayView(line).chopped(1));
    const auto *frame = std::get_if<ServerFrame>(&decoded);
    if (!frame || *frame != ServerFrame{message}) {
        qWarning() << "text:" << result.text << "line:" << line;
        FUZZ_CHECK(frame && *frame == ServerFrame{message});
    }
}

void checkOrdering(const QString &a, const QString &b, const QString &c)
{
    FUZZ_CHECK(!nickLessThan(a, a));
    if (nickLessThan(a, b))
        FUZZ_CHECK(!nickLessThan(b, a));
    if (nickLessThan(a, b) && nickLessThan(b, c))
        FUZZ_CHECK(nickLessThan(a, c));
    // Equivalent (neither before the other) means the same nick key and spelling.
    if (!nickLessThan(a, b) && !nickLessThan(b, a))
        FUZZ_CHECK_EQUAL(a, b);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzedDataProvider input(data, size);
    const bool utf16 = input.ConsumeBool();
    const QString a = takeString(input, utf16);
    const QString b = takeString(input, utf16);
    const QString c = takeString(input, utf16);
    for (const QString &s : {a, b, c}) {
        checkNickRules(s);
        checkTextRules(s);
    }
    checkOrdering(a, b, c);
    return 0;
}
