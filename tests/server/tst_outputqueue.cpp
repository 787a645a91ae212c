// SPDX-License-Identifier: MIT
#include "bytesink.h"
#include "outputqueue.h"
#include "testharness.h"

#include <QTest>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

// A socket stand-in: each write takes at most the next allowance of its
// script (all when the script is empty), and keeps what it took.
class ScriptedSink final : public ByteSink
{
public:
    // How much the next writes take; kRefuse fails with EAGAIN, kFail with EPIPE.
    static constexpr ssize_t kRefuse = -1;
    static constexpr ssize_t kFail = -2;

    std::deque<ssize_t> allowances;
    QByteArray taken;
    int writes = 0;
    qsizetype mostPieces = 0;

    ssize_t write(std::span<const QByteArrayView> pieces) override
    {
        ++writes;
        mostPieces = std::max<qsizetype>(mostPieces, qsizetype(pieces.size()));
        ssize_t allowance = std::numeric_limits<ssize_t>::max();
        if (!allowances.empty()) {
            allowance = allowances.front();
            allowances.pop_front();
        }
        if (allowance == kRefuse || allowance == kFail) {
            errno = allowance == kRefuse ? EAGAIN : EPIPE;
            return -1;
        }
        ssize_t took = 0;
        for (const QByteArrayView piece : pieces) {
            const qsizetype part = std::min<qsizetype>(piece.size(), allowance - took);
            taken.append(piece.first(part));
            took += part;
            if (took == allowance)
                break;
        }
        return took;
    }
};

} // namespace

class TestOutputQueue final : public QObject
{
    Q_OBJECT

private slots:
    void writesEverythingInOrder()
    {
        OutputQueue queue(1024);
        QVERIFY(queue.isEmpty());
        QVERIFY(queue.append("one\n"_ba));  // was empty: the owner schedules a write
        QVERIFY(!queue.append("two\n"_ba)); // already scheduled
        QVERIFY(!queue.append("three\n"_ba));
        QCOMPARE(queue.bytes(), 14);

        ScriptedSink sink;
        QCOMPARE(queue.writeTo(sink), OutputQueue::WriteResult::Empty);
        QCOMPARE(sink.taken, "one\ntwo\nthree\n"_ba);
        QCOMPARE(sink.writes, 1);
        QVERIFY(queue.isEmpty());
        QCOMPARE(queue.bytes(), 0);
    }

    void emptyBytesAreNotQueued()
    {
        OutputQueue queue(1024);
        QVERIFY(!queue.append(QByteArray()));
        QVERIFY(!queue.appendWelcome(QByteArray()));
        QVERIFY(queue.isEmpty());
    }

    void partialWritesKeepTheOrder()
    {
        OutputQueue queue(1024);
        queue.append("abcdef"_ba);
        queue.append("ghi"_ba);
        queue.append("jklmnop"_ba);

        // Into the middle of the first piece, to the end of it, across two pieces.
        ScriptedSink sink;
        sink.allowances = {2, 4, 5, ScriptedSink::kRefuse};
        QCOMPARE(queue.writeTo(sink), OutputQueue::WriteResult::Blocked);
        QCOMPARE(sink.taken, "abcdefghijk"_ba);
        QCOMPARE(queue.bytes(), 5);

        // What comes later goes after what is left of the earlier pieces.
        queue.append("qr"_ba);
        sink.allowances = {1, 1};
        QCOMPARE(queue.writeTo(sink), OutputQueue::WriteResult::Empty);
        QCOMPARE(sink.taken, "abcdefghijklmnopqr"_ba);
        QVERIFY(queue.isEmpty());
    }

    void aWriteThatTakesNothingWaits()
    {
        OutputQueue queue(1024);
        queue.append("hello\n"_ba);
        ScriptedSink sink;
        sink.allowances = {0};
        QCOMPARE(queue.writeTo(sink), OutputQueue::WriteResult::Blocked);
        QCOMPARE(sink.writes, 1); // no spinning on a sink without room
        QCOMPARE(queue.bytes(), 6);
        QCOMPARE(queue.writeTo(sink), OutputQueue::WriteResult::Empty);
        QCOMPARE(sink.taken, "hello\n"_ba);
    }

    void aFailedWriteKeepsTheRest()
    {
        OutputQueue queue(1024);
        queue.append("hello\n"_ba);
        ScriptedSink sink;
        sink.allowances = {2, ScriptedSink::kFail};
        QCOMPARE(queue.writeTo(sink), OutputQueue::WriteResult::Failed);
        QCOMPARE(errno, EPIPE);
        QCOMPARE(queue.bytes(), 4);
        queue.clear();
        QVERIFY(queue.isEmpty());
        QCOMPARE(queue.bytes(), 0);
    }

    void aWriteTakesAtMostTheIoVectorLimit()
    {
        OutputQueue queue(qsizetype{1024} * 1024);
        QByteArray expected;
        for (int i = 0; i < OutputQueue::kMaxPiecesPerWrite + 10; ++i) {
            const QByteArray piece = QByteArray::number(i) + '\n';
            queue.append(piece);
            expected += piece;
        }
        ScriptedSink sink;
        QCOMPARE(queue.writeTo(sink), OutputQueue::WriteResult::Empty);
        QCOMPARE(sink.mostPieces, qsizetype(OutputQueue::kMaxPiecesPerWrite));
        QCOMPARE(sink.writes, 2);
        QCOMPARE(sink.taken, expected);
    }

    void theLimitIsTheUnsentBytes()
    {
        OutputQueue queue(10);
        QVERIFY(queue.fits(10));
        QVERIFY(!queue.fits(11));
        queue.append("123456"_ba);
        QVERIFY(queue.fits(4)); // reaching the limit exactly is allowed
        QVERIFY(!queue.fits(5));

        // What went out no longer counts, even a part of a piece.
        ScriptedSink sink;
        sink.allowances = {3, ScriptedSink::kRefuse};
        QCOMPARE(queue.writeTo(sink), OutputQueue::WriteResult::Blocked);
        QVERIFY(queue.fits(7));
        QVERIFY(!queue.fits(8));
    }

    void aSlowConsumerStaysOverTheBound()
    {
        // A client that reads nothing: the queue cannot drain, so what is
        // queued keeps counting against the bound until nothing more fits.
        OutputQueue queue(16);
        ScriptedSink sink;
        const QByteArray line = "message\n"_ba;
        int queued = 0;
        while (queue.fits(line.size())) {
            queue.append(line);
            ++queued;
            sink.allowances = {ScriptedSink::kRefuse};
            QCOMPARE(queue.writeTo(sink), OutputQueue::WriteResult::Blocked);
        }
        QCOMPARE(queued, 2);
        QCOMPARE(queue.bytes(), 16);
        QVERIFY(sink.taken.isEmpty());

        // Once it reads, there is room again.
        sink.allowances = {8, ScriptedSink::kRefuse};
        QCOMPARE(queue.writeTo(sink), OutputQueue::WriteResult::Blocked);
        QVERIFY(queue.fits(line.size()));
    }

    void theWelcomeIsNotCounted()
    {
        OutputQueue queue(10);
        const QByteArray welcome(100, 'w');
        QVERIFY(queue.appendWelcome(welcome));
        QCOMPARE(queue.bytes(), 100);
        QVERIFY(queue.fits(10)); // what follows the welcome is counted
        QVERIFY(!queue.fits(11));
        queue.append("after\n"_ba);
        QVERIFY(queue.fits(4));
        QVERIFY(!queue.fits(5));
    }

    void theWelcomeCountsOnceWrittenPast()
    {
        // Bytes that went out are taken from the welcome's share first
        // (whatever was queued before it goes out before it): stricter than
        // exact, and a partly written welcome never lets more than the bound wait.
        OutputQueue queue(10);
        queue.append("hi\n"_ba); // a greeting queued before the welcome
        queue.appendWelcome(QByteArray(20, 'w'));
        queue.append("12345"_ba);
        QVERIFY(queue.fits(2)); // the greeting and what follows the welcome count
        QVERIFY(!queue.fits(3));

        ScriptedSink sink;
        sink.allowances = {13, ScriptedSink::kRefuse};
        QCOMPARE(queue.writeTo(sink), OutputQueue::WriteResult::Blocked);
        QCOMPARE(queue.bytes(), 15);
        QVERIFY(queue.fits(2));
        QVERIFY(!queue.fits(3));

        sink.allowances = {10, ScriptedSink::kRefuse};
        QCOMPARE(queue.writeTo(sink), OutputQueue::WriteResult::Blocked);
        QCOMPARE(queue.bytes(), 5);
        QVERIFY(queue.fits(5));
        QVERIFY(!queue.fits(6));
        QCOMPARE(sink.taken, "hi\n"_ba + QByteArray(20, 'w'));
    }
};

QTCHAT_TEST_APPLESS_MAIN(TestOutputQueue)
#include "tst_outputqueue.moc"
