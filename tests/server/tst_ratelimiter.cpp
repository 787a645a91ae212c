// SPDX-License-Identifier: MIT
#include "ratelimiter.h"
#include "testharness.h"

#include <QTest>

using namespace Qt::StringLiterals;

// One step of a script: at `at` ms, try to take a token; expect `granted`.
struct Attempt {
    qint64 at;
    bool granted;
};
Q_DECLARE_METATYPE(QList<Attempt>)

class TestRateLimiter final : public QObject
{
    Q_OBJECT

private slots:
    void script_data()
    {
        QTest::addColumn<double>("rate");
        QTest::addColumn<int>("burst");
        QTest::addColumn<QList<Attempt>>("attempts");

        QTest::newRow("burst then refused")
            << 10.0 << 3 << QList<Attempt>{{0, true}, {0, true}, {0, true}, {0, false}, {0, false}};
        QTest::newRow("refills at the rate")
            << 10.0 << 2
            << QList<Attempt>{{0, true}, {0, true}, {0, false}, {99, false}, {100, true}, {100, false}, {200, true}};
        QTest::newRow("refill is capped at the burst")
            << 10.0 << 2 << QList<Attempt>{{0, true}, {0, true}, {60000, true}, {60000, true}, {60000, false}};
        QTest::newRow("partial tokens add up")
            << 4.0 << 1 << QList<Attempt>{{0, true}, {125, false}, {250, true}, {250, false}};
        QTest::newRow("steady pace at the rate is never refused")
            << 10.0 << 1 << QList<Attempt>{{0, true}, {100, true}, {200, true}, {300, true}, {400, true}, {500, true}};
        QTest::newRow("default 10/s burst 20") << 10.0 << 20 << [] {
            QList<Attempt> attempts(20, Attempt{5, true});
            attempts.append({5, false});
            attempts.append({105, true});
            attempts.append({105, false});
            return attempts;
        }();
        QTest::newRow("fractional rate") << 0.5 << 1
                                         << QList<Attempt>{{0, true}, {1999, false}, {2000, true}, {2001, false}};
        QTest::newRow("rate 0 is no limit") << 0.0 << 1 << QList<Attempt>(1000, Attempt{0, true});
        QTest::newRow("burst below 1 counts as 1") << 10.0 << 0 << QList<Attempt>{{0, true}, {0, false}};
        QTest::newRow("refused attempts cost nothing")
            << 1.0 << 1 << QList<Attempt>{{0, true}, {500, false}, {500, false}, {1000, true}};
    }

    void script()
    {
        QFETCH(double, rate);
        QFETCH(int, burst);
        QFETCH(QList<Attempt>, attempts);

        RateLimiter limiter(rate, burst);
        for (qsizetype i = 0; i < attempts.size(); ++i) {
            const Attempt &attempt = attempts.at(i);
            QVERIFY2(limiter.tryAcquire(attempt.at) == attempt.granted,
                     qPrintable(u"attempt %1 at %2 ms"_s.arg(i).arg(attempt.at)));
        }
    }
};

QTCHAT_TEST_APPLESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
