// SPDX-License-Identifier: MIT
// Fuzzes the text-mode input path of a connection: LineReader fed in random
// chunk sizes (with an occasional takePartial(), as after a 200 ms pause),
// then each line through the UTF-8 check and TextCommand::parse, as
// Connection::handleTextLine does.
//
// Invariants:
//  - LineReader gives exactly the lines of a naive reference reader (split at
//    LF, drop one CR before it, stop for good at the first line over the
//    limit), however the stream is cut;
//  - bufferedBytes() is what the reference holds; an overflowed reader gives nothing;
//  - TextCommand::parse never drops a line silently: it gives a frame, or
//    lines to show the user, or both; an ordinary line is said as it is;
//    "//x" says "/x"; a nick or whisper target is never empty and a whisper
//    target never holds a space.
#include "fuzzcheck.h"
#include "linereader.h"
#include "textcommand.h"
#include "validation.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <optional>

using namespace Protocol;
using namespace Qt::StringLiterals;

namespace {

// The obvious, slow line splitter LineReader must agree with.
class ReferenceReader
{
public:
    explicit ReferenceReader(qsizetype maxLineBytes) : m_max(maxLineBytes) {}

    void append(const QByteArray &bytes)
    {
        if (!m_overflowed)
            m_pending += bytes;
    }

    std::optional<QByteArray> takeLine()
    {
        if (m_overflowed)
            return std::nullopt;
        const qsizetype newline = m_pending.indexOf('\n');
        if ((newline < 0 ? m_pending.size() + 1 : newline + 1) > m_max) {
            m_overflowed = true;
            m_pending.clear();
            return std::nullopt;
        }
        if (newline < 0)
            return std::nullopt;
        QByteArray line = m_pending.left(newline);
        m_pending.remove(0, newline + 1);
        return stripCr(line);
    }

    std::optional<QByteArray> takePartial()
    {
        if (m_overflowed || m_pending.isEmpty())
            return std::nullopt;
        QByteArray line = m_pending;
        m_pending.clear();
        return stripCr(line);
    }

    bool overflowed() const { return m_overflowed; }
    qsizetype buffered() const { return m_pending.size(); }

private:
    static QByteArray stripCr(QByteArray line)
    {
        if (line.endsWith('\r'))
            line.chop(1);
        return line;
    }

    QByteArray m_pending;
    qsizetype m_max;
    bool m_overflowed = false;
};

void checkTextCommand(const QByteArray &line)
{
    if (!Validation::isValidUtf8(line))
        return; // the connection answers with an error line and parses nothing
    const QString text = QString::fromUtf8(line);
    const TextCommand::Parsed parsed = TextCommand::parse(text);
    FUZZ_CHECK(parsed.frame || !parsed.reply.isEmpty());

    if (!text.startsWith(u'/')) {
        FUZZ_CHECK(parsed.reply.isEmpty());
        FUZZ_CHECK(parsed.frame && *parsed.frame == ClientFrame(Say{text, false}));
        return;
    }
    if (text.startsWith(u"//")) {
        FUZZ_CHECK(parsed.frame && *parsed.frame == ClientFrame(Say{text.mid(1), false}));
        return;
    }
    if (!parsed.frame)
        return;
    if (const auto *nick = std::get_if<Nick>(&*parsed.frame))
        FUZZ_CHECK(!nick->nick.isEmpty());
    if (const auto *whisper = std::get_if<Whisper>(&*parsed.frame)) {
        FUZZ_CHECK(!whisper->to.isEmpty());
        FUZZ_CHECK(!whisper->to.contains(u' '));
    }
    if (const auto *say = std::get_if<Say>(&*parsed.frame))
        FUZZ_CHECK(say->action && !say->text.isEmpty()); // a "/me" line
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzedDataProvider input(data, size);
    // Small limits reach the overflow paths; the default one the usual case.
    const qsizetype limit =
        input.ConsumeBool() ? Protocol::kDefaultMaxFrameBytes : qsizetype(input.ConsumeIntegralInRange<int>(1, 300));
    LineReader reader(limit);
    ReferenceReader reference(limit);

    while (input.remaining_bytes() > 0) {
        const std::string chunk = input.ConsumeRandomLengthString(64);
        const QByteArray bytes(chunk.data(), qsizetype(chunk.size()));
        reader.append(bytes);
        reference.append(bytes);
        for (;;) {
            const std::optional<QByteArray> line = reader.takeLine();
            const std::optional<QByteArray> expected = reference.takeLine();
            FUZZ_CHECK_EQUAL(line, expected);
            FUZZ_CHECK_EQUAL(reader.hasOverflowed(), reference.overflowed());
            if (!line)
                break;
            checkTextCommand(*line);
        }
        if (!reader.hasOverflowed())
            FUZZ_CHECK_EQUAL(reader.bufferedBytes(), reference.buffered());
        if (input.remaining_bytes() > 0 && input.ConsumeIntegralInRange<int>(0, 7) == 0) {
            const std::optional<QByteArray> partial = reader.takePartial();
            FUZZ_CHECK_EQUAL(partial, reference.takePartial());
            if (partial)
                checkTextCommand(*partial);
        }
    }
    FUZZ_CHECK_EQUAL(reader.takePartial(), reference.takePartial());
    return 0;
}
