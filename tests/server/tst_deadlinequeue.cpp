// SPDX-License-Identifier: MIT
#include "deadlinequeue.h"
#include "testharness.h"

#include <QTest>

#include <utility>
#include <vector>

namespace {

using Fired = std::vector<std::pair<Wire::ConnectionId, qint64>>;

} // namespace

// The queue runs on an injected clock: the tests move time by hand and call
// fireDue() as the timer would, except where the timer itself is the point.
class TestDeadlineQueue final : public QObject
{
    Q_OBJECT

private slots:
    void firesWhatIsDueEarliestFirst()
    {
        qint64 now = 0;
        Fired fired;
        DeadlineQueue queue([&now] { return now; },
                            [&](Wire::ConnectionId id, qint64 at) {
                                fired.emplace_back(id, at);
                                queue.remove(id);
                            });
        queue.schedule(1, 300);
        queue.schedule(2, 100);
        queue.schedule(3, 200);
        QCOMPARE(queue.earliest(), 100);

        now = 99;
        queue.fireDue();
        QVERIFY(fired.empty());

        now = 250;
        queue.fireDue();
        QCOMPARE(fired, (Fired{{2, 250}, {3, 250}}));
        QCOMPARE(queue.earliest(), 300);
        QCOMPARE(queue.scheduled(2), -1);
        QCOMPARE(queue.scheduled(1), 300);
    }

    void oneDeadlinePerConnection()
    {
        qint64 now = 0;
        Fired fired;
        DeadlineQueue queue([&now] { return now; },
                            [&](Wire::ConnectionId id, qint64 at) { fired.emplace_back(id, at); });
        queue.schedule(7, 100);
        queue.schedule(7, 500); // replaces the first
        QCOMPARE(queue.scheduled(7), 500);
        QCOMPARE(queue.earliest(), 500);

        now = 200;
        queue.fireDue();
        QVERIFY(fired.empty());

        queue.schedule(7, 150); // earlier again, and already due
        queue.fireDue();
        QCOMPARE(fired, (Fired{{7, 200}}));
    }

    void removedDeadlinesDoNotFire()
    {
        qint64 now = 0;
        Fired fired;
        DeadlineQueue queue([&now] { return now; },
                            [&](Wire::ConnectionId id, qint64 at) { fired.emplace_back(id, at); });
        queue.schedule(1, 100);
        queue.schedule(2, 100);
        queue.remove(1);
        queue.schedule(2, -1); // -1 is "none" too
        QCOMPARE(queue.earliest(), -1);
        QCOMPARE(queue.scheduled(1), -1);

        now = 1000;
        queue.fireDue();
        QVERIFY(fired.empty());
    }

    void handlersMayReschedule()
    {
        // As a connection does in onDeadline(): its next deadline, or another's.
        qint64 now = 0;
        Fired fired;
        DeadlineQueue queue([&now] { return now; },
                            [&](Wire::ConnectionId id, qint64 at) {
                                fired.emplace_back(id, at);
                                queue.schedule(id, at + 1000);
                                if (id == 1)
                                    queue.remove(3);
                            });
        queue.schedule(1, 10);
        queue.schedule(2, 20);
        queue.schedule(3, 5000);

        now = 20;
        queue.fireDue();
        QCOMPARE(fired, (Fired{{1, 20}, {2, 20}}));
        QCOMPARE(queue.scheduled(1), 1020);
        QCOMPARE(queue.scheduled(2), 1020);
        QCOMPARE(queue.scheduled(3), -1);
        QCOMPARE(queue.earliest(), 1020);
    }

    void theTimerFiresWhatIsDue()
    {
        qint64 now = 1000;
        Fired fired;
        DeadlineQueue queue([&now] { return now; },
                            [&](Wire::ConnectionId id, qint64 at) {
                                fired.emplace_back(id, at);
                                queue.remove(id);
                            });
        queue.schedule(4, 900); // overdue: the timer runs at once
        QTRY_COMPARE(fired, (Fired{{4, 1000}}));
        QCOMPARE(queue.earliest(), -1);
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestDeadlineQueue)
#include "tst_deadlinequeue.moc"
