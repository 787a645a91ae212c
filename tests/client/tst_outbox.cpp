// SPDX-License-Identifier: MIT
// The client's queue of messages: nothing typed is lost across reconnects or
// rate limits, nothing is delivered twice when history proves it arrived, and
// a piped file is paced so the server does not refuse it. A fake clock keeps
// these tests free of waiting.
#include "outbox.h"
#include "testharness.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Protocol;

class TestOutbox final : public QObject
{
    Q_OBJECT

private slots:
    void burstThenSteadyRate();
    void controlFramesCountAgainstTheBucket();
    void pacingOffSendsEverythingAtOnce();
    void echoesConfirmInOrder();
    void otherRequestsKeepTheirPlaceButAreNotTracked();
    void rateLimitedFrameIsRetriedAfterAPause();
    void lostConnectionRequeuesInFlightFirst();
    void historyConfirmsWhatArrivedBeforeTheDrop();
    void eachRoomsHistoryConfirmsItsOwnMessages();
    void unavailableSaysAreRetriedInOrderAfterAPause();
    void unavailableRetriesEnd();
    void unavailableSayWithoutCidIsNotRetried();
    void busyMessagesAreRetriedInOrderAfterAPause();
    void busyRetriesEnd();

private:
    static Say say(const QString &text) { return Say{text, false}; }
    static Say sayWithCid(const QString &text) { return Say{text, false, {}, u"c-"_s + text}; }
    static QString textOf(const ClientFrame &frame) { return std::get<Say>(frame).text; }
    Outbox::Clock fakeClock()
    {
        return [this] { return m_now; };
    }

    qint64 m_now = 0;
};

void TestOutbox::burstThenSteadyRate()
{
    m_now = 0;
    Outbox outbox(fakeClock());
    outbox.setRate(10.0, 20);
    for (int i = 0; i < 25; ++i)
        outbox.enqueue(say(QString::number(i)));

    for (int i = 0; i < 20; ++i) {
        QCOMPARE(outbox.msecsUntilNextSend(), 0);
        outbox.takeNextToSend();
        outbox.spendToken();
    }
    // The bucket is empty: one frame per 100 ms from now on.
    QCOMPARE(outbox.msecsUntilNextSend(), 100);
    m_now += 60;
    QCOMPARE(outbox.msecsUntilNextSend(), 40);
    m_now += 40;
    QCOMPARE(outbox.msecsUntilNextSend(), 0);
    QCOMPARE(outbox.size(), 25);
    QCOMPARE(outbox.inFlightCount(), 20);
}

void TestOutbox::controlFramesCountAgainstTheBucket()
{
    m_now = 0;
    Outbox outbox(fakeClock());
    outbox.setRate(10.0, 20);
    // The server counted our hello and a ping too.
    outbox.spendToken();
    outbox.spendToken();
    for (int i = 0; i < 18; ++i)
        outbox.spendToken();
    outbox.enqueue(say(u"one too many"_s));
    QCOMPARE(outbox.msecsUntilNextSend(), 100);
}

void TestOutbox::pacingOffSendsEverythingAtOnce()
{
    m_now = 0;
    Outbox outbox(fakeClock());
    outbox.setRate(0, 0);
    for (int i = 0; i < 100; ++i) {
        outbox.enqueue(say(QString::number(i)));
        outbox.spendToken();
    }
    QCOMPARE(outbox.msecsUntilNextSend(), 0);
}

void TestOutbox::echoesConfirmInOrder()
{
    Outbox outbox(fakeClock());
    outbox.enqueue(say(u"a"_s));
    outbox.enqueue(Whisper{u"bob"_s, u"b"_s});
    outbox.takeNextToSend();
    outbox.takeNextToSend();
    QCOMPARE(outbox.size(), 2);
    // A whisper echo cannot confirm a say.
    QVERIFY(!outbox.confirmFirstInFlight(Outbox::Kind::Whisper));
    QVERIFY(outbox.confirmFirstInFlight(Outbox::Kind::Say));
    QVERIFY(outbox.confirmFirstInFlight(Outbox::Kind::Whisper));
    QVERIFY(outbox.isEmpty());
}

void TestOutbox::otherRequestsKeepTheirPlaceButAreNotTracked()
{
    Outbox outbox(fakeClock());
    outbox.enqueue(say(u"before"_s));
    outbox.enqueue(Nick{u"newname"_s});
    outbox.enqueue(say(u"after"_s));
    QCOMPARE(outbox.size(), 2);
    QCOMPARE(textOf(outbox.takeNextToSend()), u"before"_s);
    // The rename goes out between the two messages, as typed.
    QVERIFY(std::holds_alternative<Nick>(outbox.takeNextToSend()));
    QCOMPARE(outbox.inFlightCount(), 1);
    QCOMPARE(textOf(outbox.takeNextToSend()), u"after"_s);
    QVERIFY(!outbox.hasQueued());
    QCOMPARE(outbox.size(), 2);
}

void TestOutbox::rateLimitedFrameIsRetriedAfterAPause()
{
    m_now = 0;
    Outbox outbox(fakeClock());
    outbox.setRate(10.0, 20);
    outbox.enqueue(say(u"first"_s));
    outbox.enqueue(say(u"second"_s));
    outbox.takeNextToSend();
    outbox.spendToken();

    outbox.retryFirstInFlight(Outbox::Kind::Say);
    QCOMPARE(outbox.size(), 2);
    QCOMPARE(outbox.inFlightCount(), 0);
    QVERIFY(outbox.msecsUntilNextSend() >= 1000);
    m_now += 1000;
    QCOMPARE(outbox.msecsUntilNextSend(), 0);
    QCOMPARE(textOf(outbox.takeNextToSend()), u"first"_s);
}

void TestOutbox::lostConnectionRequeuesInFlightFirst()
{
    Outbox outbox(fakeClock());
    outbox.enqueue(say(u"sent"_s));
    outbox.enqueue(say(u"typed later"_s));
    outbox.takeNextToSend();
    outbox.requeueInFlight();
    QCOMPARE(outbox.inFlightCount(), 0);
    // Nothing in the (empty) history: both go again, in the original order.
    outbox.confirmFromHistory({}, u"alice"_s, 0);
    QCOMPARE(outbox.size(), 2);
    QCOMPARE(textOf(outbox.takeNextToSend()), u"sent"_s);
    QCOMPARE(textOf(outbox.takeNextToSend()), u"typed later"_s);
}

void TestOutbox::historyConfirmsWhatArrivedBeforeTheDrop()
{
    Outbox outbox(fakeClock());
    outbox.enqueue(say(u"made it"_s));
    outbox.enqueue(say(u"lost on the wire"_s));
    outbox.enqueue(say(u"typed while offline"_s));
    outbox.takeNextToSend();
    outbox.takeNextToSend();
    outbox.requeueInFlight();

    const QList<ChatMessage> history{
        {4, u"alice"_s, u"made it"_s, {}, false},        // older than what we saw: ignored
        {7, u"bob"_s, u"lost on the wire"_s, {}, false}, // someone else's
        {8, u"Alice"_s, u"made it"_s, {}, false},        // ours (nicks compare case-insensitively)
    };
    outbox.confirmFromHistory(history, u"alice"_s, 5);
    QCOMPARE(outbox.size(), 2);
    QCOMPARE(textOf(outbox.takeNextToSend()), u"lost on the wire"_s);
    QCOMPARE(textOf(outbox.takeNextToSend()), u"typed while offline"_s);
}

void TestOutbox::eachRoomsHistoryConfirmsItsOwnMessages()
{
    Outbox outbox(fakeClock());
    outbox.enqueue(Say{u"same words"_s, false, u"#dev"_s});
    outbox.enqueue(Say{u"same words"_s, false, QString()});
    outbox.enqueue(Say{u"lost in #dev"_s, false, u"#dev"_s});
    outbox.takeNextToSend();
    outbox.takeNextToSend();
    outbox.takeNextToSend();
    outbox.requeueInFlight();

    // #lobby's history (welcome) knows only its own: the #dev one with the same words stays.
    const QList<ChatMessage> lobbyHistory{{8, u"alice"_s, u"same words"_s, {}, false, u"#lobby"_s}};
    outbox.confirmFromHistory(lobbyHistory, u"alice"_s, 5);
    QCOMPARE(outbox.size(), 2);
    // Then #dev's `room` frame, in the server's spelling.
    const QList<ChatMessage> devHistory{{9, u"alice"_s, u"same words"_s, {}, false, u"#Dev"_s}};
    outbox.confirmFromHistory(devHistory, u"alice"_s, 3, u"#Dev"_s);
    QCOMPARE(outbox.size(), 1);
    const auto last = std::get<Say>(outbox.takeNextToSend());
    QCOMPARE(last.text, u"lost in #dev"_s);
    QCOMPARE(last.room, u"#dev"_s);
}

void TestOutbox::busyMessagesAreRetriedInOrderAfterAPause()
{
    m_now = 0;
    Outbox outbox(fakeClock());
    outbox.setRate(0, 1);
    outbox.enqueue(say(u"one"_s)); // no cid needed: a busy refusal was never posted
    outbox.enqueue(Whisper{u"bob"_s, u"two"_s});
    outbox.enqueue(say(u"three"_s));
    for (int i = 0; i < 3; ++i)
        outbox.takeNextToSend();
    QVERIFY(outbox.retryBusyFirstInFlight(Outbox::Kind::Say));
    QVERIFY(!outbox.retryBusyFirstInFlight(Outbox::Kind::Say)); // the oldest is the whisper
    QVERIFY(outbox.retryBusyFirstInFlight(Outbox::Kind::Whisper));
    QVERIFY(outbox.retryBusyFirstInFlight(Outbox::Kind::Say));
    QCOMPARE(outbox.inFlightCount(), 0);
    QCOMPARE(outbox.size(), 3);
    QCOMPARE(outbox.msecsUntilNextSend(), Outbox::kBusyPauseMsecs);
    m_now += Outbox::kBusyPauseMsecs;
    QCOMPARE(outbox.msecsUntilNextSend(), 0);
    QCOMPARE(outbox.takeNextToSend(), ClientFrame(say(u"one"_s)));
    QCOMPARE(outbox.takeNextToSend(), ClientFrame(Whisper{u"bob"_s, u"two"_s}));
    QCOMPARE(outbox.takeNextToSend(), ClientFrame(say(u"three"_s)));
}

void TestOutbox::busyRetriesEnd()
{
    m_now = 0;
    Outbox outbox(fakeClock());
    outbox.setRate(0, 1);
    outbox.enqueue(say(u"patient"_s));
    for (int refusal = 0; refusal < Outbox::kMaxBusyRetries; ++refusal) {
        outbox.takeNextToSend();
        QVERIFY(outbox.retryBusyFirstInFlight(Outbox::Kind::Say));
        m_now += Outbox::kBusyPauseMsecs;
    }
    outbox.takeNextToSend();
    // Reported to the user now; the caller confirms (drops) it.
    QVERIFY(!outbox.retryBusyFirstInFlight(Outbox::Kind::Say));
    QCOMPARE(outbox.inFlightCount(), 1);
}

QTCHAT_TEST_APPLESS_MAIN(TestOutbox)
#include "tst_outbox.moc"

void TestOutbox::unavailableSaysAreRetriedInOrderAfterAPause()
{
    m_now = 0;
    Outbox outbox(fakeClock());
    outbox.setRate(0, 1);
    for (const QString &text : {u"one"_s, u"two"_s, u"three"_s})
        outbox.enqueue(sayWithCid(text));
    for (int i = 0; i < 3; ++i)
        outbox.takeNextToSend();
    // Redis went away: every message in flight is refused, oldest first.
    for (int i = 0; i < 3; ++i)
        QVERIFY(outbox.retryUnavailableFirstInFlight());
    QCOMPARE(outbox.inFlightCount(), 0);
    QCOMPARE(outbox.size(), 3);
    QCOMPARE(outbox.msecsUntilNextSend(), Outbox::kUnavailablePauseMsecs);
    m_now += Outbox::kUnavailablePauseMsecs;
    QCOMPARE(outbox.msecsUntilNextSend(), 0);
    // The same frames, cids included, in the order they were typed.
    QCOMPARE(outbox.takeNextToSend(), ClientFrame(sayWithCid(u"one"_s)));
    QCOMPARE(outbox.takeNextToSend(), ClientFrame(sayWithCid(u"two"_s)));
    QCOMPARE(outbox.takeNextToSend(), ClientFrame(sayWithCid(u"three"_s)));
}

void TestOutbox::unavailableRetriesEnd()
{
    Outbox outbox(fakeClock());
    outbox.setRate(0, 1);
    outbox.enqueue(sayWithCid(u"patient"_s));
    for (int refusal = 0; refusal < Outbox::kMaxUnavailableRetries; ++refusal) {
        outbox.takeNextToSend();
        QVERIFY(outbox.retryUnavailableFirstInFlight());
        m_now += Outbox::kUnavailablePauseMsecs;
    }
    outbox.takeNextToSend();
    // Reported to the user now; the caller confirms (drops) it.
    QVERIFY(!outbox.retryUnavailableFirstInFlight());
    QCOMPARE(outbox.inFlightCount(), 1);
}

void TestOutbox::unavailableSayWithoutCidIsNotRetried()
{
    Outbox outbox(fakeClock());
    outbox.enqueue(say(u"old client"_s));
    outbox.takeNextToSend();
    QVERIFY(!outbox.retryUnavailableFirstInFlight());
    outbox.enqueue(Whisper{u"bob"_s, u"psst"_s});
    outbox.confirmFirstInFlight(Outbox::Kind::Say);
    outbox.takeNextToSend();
    QVERIFY(!outbox.retryUnavailableFirstInFlight());
}
