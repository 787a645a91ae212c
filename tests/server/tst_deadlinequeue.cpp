// SPDX-License-Identifier: MIT
#include "deadlinequeue.h"
#include "testharness.h"

#include <QTest>

#include <functional>
#include <utility>
#include <vector>

namespace {

using Fired = std::vector<std::pair<Wire::ConnectionId, qint64>>;

// A DeadlineQueue on a clock that moves only when the test sets `now`,
// recording each deadline it fires; `react` stands in for the connection's
// onDeadline(), which usually schedules its next deadline (or none).
struct RecordingQueue {
    qint64 now = 0;
    Fired fired;
    std::function<void(DeadlineQueue &queue, Wire::ConnectionId id, qint64 at)> react;
    DeadlineQueue queue{[this] { return now; },
                        [this](Wire::ConnectionId id, qint64 at) {
                            fired.emplace_back(id, at);
                            if (react)
                                react(queue, id, at);
                        }};
};

void removeWhenFired(DeadlineQueue &queue, Wire::ConnectionId id, qint64)
{
    queue.remove(id);
}

} // namespace

// The tests move time by hand and call fireDue() as the timer would, except
// where the timer itself is the point.
class TestDeadlineQueue final : public QObject
{
    Q_OBJECT

private slots:
    void firesWhatIsDueEarliestFirst()
    {
        RecordingQueue deadlines;
        deadlines.react = removeWhenFired;
        deadlines.queue.schedule(1, 300);
        deadlines.queue.schedule(2, 100);
        deadlines.queue.schedule(3, 200);
        QCOMPARE(deadlines.queue.earliest(), 100);

        deadlines.now = 99;
        deadlines.queue.fireDue();
        QVERIFY(deadlines.fired.empty());

        deadlines.now = 250;
        deadlines.queue.fireDue();
        QCOMPARE(deadlines.fired, (Fired{{2, 250}, {3, 250}}));
        QCOMPARE(deadlines.queue.earliest(), 300);
        QCOMPARE(deadlines.queue.scheduled(2), -1);
        QCOMPARE(deadlines.queue.scheduled(1), 300);
    }

    void oneDeadlinePerConnection()
    {
        RecordingQueue deadlines;
        deadlines.queue.schedule(7, 100);
        deadlines.queue.schedule(7, 500); // replaces the first
        QCOMPARE(deadlines.queue.scheduled(7), 500);
        QCOMPARE(deadlines.queue.earliest(), 500);

        deadlines.now = 200;
        deadlines.queue.fireDue();
        QVERIFY(deadlines.fired.empty());

        deadlines.queue.schedule(7, 150); // earlier again, and already due
        deadlines.queue.fireDue();
        QCOMPARE(deadlines.fired, (Fired{{7, 200}}));
    }

    void removedDeadlinesDoNotFire()
    {
        RecordingQueue deadlines;
        deadlines.queue.schedule(1, 100);
        deadlines.queue.schedule(2, 100);
        deadlines.queue.remove(1);
        deadlines.queue.schedule(2, -1); // -1 is "none" too
        QCOMPARE(deadlines.queue.earliest(), -1);
        QCOMPARE(deadlines.queue.scheduled(1), -1);

        deadlines.now = 1000;
        deadlines.queue.fireDue();
        QVERIFY(deadlines.fired.empty());
    }

    void handlersMayReschedule()
    {
        // As a connection does in onDeadline(): its next deadline, or another's.
        RecordingQueue deadlines;
        deadlines.react = [](DeadlineQueue &queue, Wire::ConnectionId id, qint64 at) {
            queue.schedule(id, at + 1000);
            if (id == 1)
                queue.remove(3);
        };
        deadlines.queue.schedule(1, 10);
        deadlines.queue.schedule(2, 20);
        deadlines.queue.schedule(3, 5000);

        deadlines.now = 20;
        deadlines.queue.fireDue();
        QCOMPARE(deadlines.fired, (Fired{{1, 20}, {2, 20}}));
        QCOMPARE(deadlines.queue.scheduled(1), 1020);
        QCOMPARE(deadlines.queue.scheduled(2), 1020);
        QCOMPARE(deadlines.queue.scheduled(3), -1);
        QCOMPARE(deadlines.queue.earliest(), 1020);
    }

    void theTimerFiresWhatIsDue()
    {
        RecordingQueue deadlines;
        deadlines.react = removeWhenFired;
        deadlines.now = 1000;
        deadlines.queue.schedule(4, 900); // overdue: the timer runs at once
        QTRY_COMPARE(deadlines.fired, (Fired{{4, 1000}}));
        QCOMPARE(deadlines.queue.earliest(), -1);
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestDeadlineQueue)
#include "tst_deadlinequeue.moc"
