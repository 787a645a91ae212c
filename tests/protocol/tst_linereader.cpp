// SPDX-License-Identifier: MIT
#include "linereader.h"
#include "testharness.h"

#include "protocol.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kLimit = Protocol::kDefaultMaxFrameBytes; // 65536, LF included

QList<QByteArray> takeAll(LineReader &reader)
{
    QList<QByteArray> lines;
    while (std::optional<QByteArray> line = reader.takeLine())
        lines.append(*line);
    return lines;
}

} // namespace

class TestLineReader final : public QObject
{
    Q_OBJECT

private slots:
    void splitAnywhere_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QList<QByteArray>>("lines");

        QTest::newRow("one frame") << R"({"type":"who"})"
                                      "\n"_ba
                                   << QList<QByteArray>{R"({"type":"who"})"_ba};
        QTest::newRow("three frames") << "a\nbb\nccc\n"_ba << QList<QByteArray>{"a"_ba, "bb"_ba, "ccc"_ba};
        QTest::newRow("CRLF") << "one\r\ntwo\r\n"_ba << QList<QByteArray>{"one"_ba, "two"_ba};
        QTest::newRow("mixed endings") << "one\ntwo\r\nthree\n"_ba << QList<QByteArray>{"one"_ba, "two"_ba, "three"_ba};
        QTest::newRow("empty lines kept for the caller") << "\n\r\nx\n"_ba << QList<QByteArray>{""_ba, ""_ba, "x"_ba};
        QTest::newRow("CR inside a line stays") << "a\rb\n"_ba << QList<QByteArray>{"a\rb"_ba};
        QTest::newRow("only one CR is removed") << "a\r\r\n"_ba << QList<QByteArray>{"a\r"_ba};
        QTest::newRow("Korean") << u"안녕하세요\n민수\n"_s.toUtf8()
                                << QList<QByteArray>{u"안녕하세요"_s.toUtf8(), u"민수"_s.toUtf8()};
        QTest::newRow("astral plane") << u"😀𐐀\n"_s.toUtf8() << QList<QByteArray>{u"😀𐐀"_s.toUtf8()};
        QTest::newRow("trailing partial not taken") << "done\nnot yet"_ba << QList<QByteArray>{"done"_ba};
    }

    // Bytes arrive cut anywhere: inside a UTF-8 sequence, between CR and LF, in the middle of a frame.
    void splitAnywhere()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QList<QByteArray>, lines);

        for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
            LineReader reader(kLimit);
            reader.append(QByteArrayView(stream).first(cut));
            QList<QByteArray> got = takeAll(reader);
            reader.append(QByteArrayView(stream).sliced(cut));
            got += takeAll(reader);
            QVERIFY2(got == lines, qPrintable(u"cut at byte %1"_s.arg(cut)));
            QVERIFY(!reader.hasOverflowed());
        }
    }

    void oneByteAtATime_data() { splitAnywhere_data(); }

    void oneByteAtATime()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QList<QByteArray>, lines);

        LineReader reader(kLimit);
        QList<QByteArray> got;
        for (const char byte : std::as_const(stream)) {
            reader.append(QByteArrayView(&byte, 1));
            got += takeAll(reader);
        }
        QCOMPARE(got, lines);
    }

    void severalFramesInOneRead()
    {
        LineReader reader(kLimit);
        QByteArray stream;
        QList<QByteArray> expected;
        for (int i = 0; i < 5000; ++i) {
            const QByteArray line = R"({"type":"ping","id":)"_ba + QByteArray::number(i) + '}';
            stream += line + '\n';
            expected.append(line);
        }
        reader.append(stream);
        QCOMPARE(takeAll(reader), expected);
        QCOMPARE(reader.bufferedBytes(), 0);
    }

    void limit_data()
    {
        QTest::addColumn<qsizetype>("limit");
        QTest::addColumn<QByteArray>("terminator");
        QTest::addColumn<qsizetype>("payloadBytes");
        QTest::addColumn<bool>("accepted");

        // PROTOCOL.md: at most 65,536 bytes including the LF.
        QTest::newRow("65536 with LF") << kLimit << "\n"_ba << kLimit - 1 << true;
        QTest::newRow("65537 with LF") << kLimit << "\n"_ba << kLimit << false;
        QTest::newRow("65536 with CRLF") << kLimit << "\r\n"_ba << kLimit - 2 << true;
        QTest::newRow("65537 with CRLF") << kLimit << "\r\n"_ba << kLimit - 1 << false;
        QTest::newRow("small limit, fits") << qsizetype(8) << "\n"_ba << qsizetype(7) << true;
        QTest::newRow("small limit, one over") << qsizetype(8) << "\n"_ba << qsizetype(8) << false;
        QTest::newRow("short line") << kLimit << "\n"_ba << qsizetype(1) << true;
    }

    void limit()
    {
        QFETCH(qsizetype, limit);
        QFETCH(QByteArray, terminator);
        QFETCH(qsizetype, payloadBytes);
        QFETCH(bool, accepted);

        const QByteArray payload(payloadBytes, 'x');
        LineReader reader(limit);
        reader.append(QByteArray(payload + terminator + "next\n"_ba));
        const std::optional<QByteArray> line = reader.takeLine();
        QCOMPARE(line.has_value(), accepted);
        QCOMPARE(reader.hasOverflowed(), !accepted);
        if (accepted) {
            QCOMPARE(line->size(), payloadBytes);
            QCOMPARE(reader.takeLine(), std::optional<QByteArray>("next"_ba));
        } else {
            // The stream cannot be framed any more: nothing else comes out.
            QCOMPARE(reader.takeLine(), std::nullopt);
            QCOMPARE(reader.takePartial(), std::nullopt);
        }
    }

    // A client that never sends LF cannot make the reader buffer without end.
    void overflowWithoutLf()
    {
        LineReader reader(kLimit);
        reader.append(QByteArray(kLimit - 1, 'x'));
        QCOMPARE(reader.takeLine(), std::nullopt);
        QVERIFY(!reader.hasOverflowed()); // an LF now would still make a 65,536-byte frame

        reader.append("x"_ba);
        QCOMPARE(reader.takeLine(), std::nullopt);
        QVERIFY(reader.hasOverflowed());
        QCOMPARE(reader.bufferedBytes(), 0);

        reader.append(QByteArray(1 << 20, 'y'));
        QCOMPARE(reader.bufferedBytes(), 0);
        QCOMPARE(reader.takeLine(), std::nullopt);
    }

    void overflowInPieces()
    {
        LineReader reader(kLimit);
        for (int i = 0; i < 64 && !reader.hasOverflowed(); ++i) {
            reader.append(QByteArray(1024, 'z'));
            QCOMPARE(reader.takeLine(), std::nullopt);
        }
        QVERIFY(reader.hasOverflowed());
    }

    void lineBeforeOverflowIsKept()
    {
        LineReader reader(kLimit);
        reader.append(QByteArray("ok\n"_ba + QByteArray(kLimit + 10, 'x')));
        QCOMPARE(reader.takeLine(), std::optional<QByteArray>("ok"_ba));
        QCOMPARE(reader.takeLine(), std::nullopt);
        QVERIFY(reader.hasOverflowed());
    }

    void takePartial_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QList<QByteArray>>("lines");
        QTest::addColumn<QByteArray>("partial");

        QTest::newRow("no LF at all") << "hello"_ba << QList<QByteArray>{} << "hello"_ba;
        QTest::newRow("after complete lines") << "a\nb\nrest"_ba << QList<QByteArray>{"a"_ba, "b"_ba} << "rest"_ba;
        QTest::newRow("trailing CR removed") << "typed\r"_ba << QList<QByteArray>{} << "typed"_ba;
        QTest::newRow("Korean") << u"안녕"_s.toUtf8() << QList<QByteArray>{} << u"안녕"_s.toUtf8();
    }

    // Text mode: a client that never sends a line ending gets its bytes taken as a line.
    void takePartial()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QList<QByteArray>, lines);
        QFETCH(QByteArray, partial);

        LineReader reader(kLimit);
        reader.append(stream);
        QCOMPARE(takeAll(reader), lines);
        QCOMPARE(reader.takePartial(), std::optional<QByteArray>(partial));
        QCOMPARE(reader.bufferedBytes(), 0);
        QCOMPARE(reader.takePartial(), std::nullopt);

        // The reader carries on normally afterwards.
        reader.append("more\n"_ba);
        QCOMPARE(reader.takeLine(), std::optional<QByteArray>("more"_ba));
    }

    void takePartialWhenEmpty()
    {
        LineReader reader(kLimit);
        QCOMPARE(reader.takePartial(), std::nullopt);
        reader.append("line\n"_ba);
        QCOMPARE(reader.takeLine(), std::optional<QByteArray>("line"_ba));
        QCOMPARE(reader.takePartial(), std::nullopt);
    }
};

QTCHAT_TEST_APPLESS_MAIN(TestLineReader)
#include "tst_linereader.moc"
