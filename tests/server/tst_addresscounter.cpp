// SPDX-License-Identifier: MIT
#include "addresscounter.h"
#include "testharness.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestAddressCounter final : public QObject
{
    Q_OBJECT

private slots:
    void refusesOverTheLimit()
    {
        AddressCounter counter(2);
        const QHostAddress a(u"192.0.2.1"_s);
        QVERIFY(counter.tryAcquire(a));
        QVERIFY(counter.tryAcquire(a));
        QVERIFY(!counter.tryAcquire(a));
        QCOMPARE(counter.count(a), 2); // the refusal counted nothing
    }

    void addressesAreCountedApart()
    {
        AddressCounter counter(1);
        QVERIFY(counter.tryAcquire(QHostAddress(u"192.0.2.1"_s)));
        QVERIFY(counter.tryAcquire(QHostAddress(u"192.0.2.2"_s)));
        QVERIFY(counter.tryAcquire(QHostAddress(u"2001:db8::1"_s)));
        QVERIFY(!counter.tryAcquire(QHostAddress(u"2001:db8::1"_s)));
        QCOMPARE(counter.addressCount(), 3);
    }

    void releaseMakesRoomAgain()
    {
        AddressCounter counter(1);
        const QHostAddress a(u"192.0.2.1"_s);
        QVERIFY(counter.tryAcquire(a));
        QVERIFY(!counter.tryAcquire(a));
        counter.release(a);
        QCOMPARE(counter.count(a), 0);
        QVERIFY(counter.tryAcquire(a));
    }

    void forgetsAddressesAtZero()
    {
        AddressCounter counter(3);
        for (int i = 0; i < 100; ++i) {
            const QHostAddress a(u"10.0.0.%1"_s.arg(i));
            QVERIFY(counter.tryAcquire(a));
            counter.release(a);
        }
        QCOMPARE(counter.addressCount(), 0);
    }

    void releaseOfUnknownAddressIsHarmless()
    {
        AddressCounter counter(1);
        counter.release(QHostAddress(u"192.0.2.9"_s));
        QCOMPARE(counter.addressCount(), 0);
        QVERIFY(counter.tryAcquire(QHostAddress(u"192.0.2.9"_s)));
    }

    // A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d.
    void mappedIPv4IsTheSameHost()
    {
        AddressCounter counter(1);
        QVERIFY(counter.tryAcquire(QHostAddress(u"::ffff:192.0.2.1"_s)));
        QVERIFY(!counter.tryAcquire(QHostAddress(u"192.0.2.1"_s)));
        counter.release(QHostAddress(u"192.0.2.1"_s));
        QCOMPARE(counter.addressCount(), 0);
        QCOMPARE(AddressCounter::normalized(QHostAddress(u"::ffff:127.0.0.1"_s)),
                 QHostAddress(QHostAddress::LocalHost));
    }

    void zeroMeansNoLimit()
    {
        AddressCounter counter(0);
        QVERIFY(!counter.isEnabled());
        const QHostAddress a(u"192.0.2.1"_s);
        for (int i = 0; i < 1000; ++i)
            QVERIFY(counter.tryAcquire(a));
        QCOMPARE(counter.addressCount(), 0); // nothing is kept when off
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestAddressCounter)
#include "tst_addresscounter.moc"
