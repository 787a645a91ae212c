// SPDX-License-Identifier: MIT
// Reconnect delays: a crowd of clients dropped by one server restart must come
// back spread out, quickly at first and never slower than every ~30 s.
#include "backoff.h"
#include "testharness.h"

#include <QTest>

class TestBackoff final : public QObject
{
    Q_OBJECT

private slots:
    void doublesFromOneSecondUpToThirty();
    void jitterAddsUpToTheFraction();
    void resetStartsOverAfterASuccess();
    void staysBoundedAfterManyAttempts();
    void defaultRandomStaysInRange();
};

void TestBackoff::doublesFromOneSecondUpToThirty()
{
    Backoff backoff(1000, 30000, 0.2, [] { return 0.0; });
    QList<int> delays;
    for (int i = 0; i < 8; ++i)
        delays.append(backoff.nextDelay());
    QCOMPARE(delays, (QList<int>{1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000}));
    QCOMPARE(backoff.attempts(), 8);
}

void TestBackoff::jitterAddsUpToTheFraction()
{
    double next = 0.5;
    Backoff backoff(1000, 30000, 0.2, [&next] { return next; });
    QCOMPARE(backoff.nextDelay(), 1100); // 1000 + 1000 * 0.2 * 0.5
    next = 0.999;
    QCOMPARE(backoff.nextDelay(), 2399); // 2000 + 2000 * 0.2 * 0.999, just under 20 %
    next = 0.25;
    QCOMPARE(backoff.nextDelay(), 4200);
}

void TestBackoff::resetStartsOverAfterASuccess()
{
    Backoff backoff(1000, 30000, 0.0);
    backoff.nextDelay();
    backoff.nextDelay();
    backoff.nextDelay();
    backoff.reset();
    QCOMPARE(backoff.attempts(), 0);
    QCOMPARE(backoff.nextDelay(), 1000);
}

void TestBackoff::staysBoundedAfterManyAttempts()
{
    Backoff backoff(1000, 30000, 0.2, [] { return 0.99; });
    int last = 0;
    for (int i = 0; i < 10000; ++i)
        last = backoff.nextDelay();
    QVERIFY(last >= 30000);
    QVERIFY(last < 36000);
}

void TestBackoff::defaultRandomStaysInRange()
{
    Backoff backoff; // the defaults the clients use
    for (int i = 0; i < 100; ++i) {
        backoff.reset();
        const int first = backoff.nextDelay();
        QVERIFY2(first >= 1000 && first < 1200, qPrintable(QString::number(first)));
    }
}

QTCHAT_TEST_APPLESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
