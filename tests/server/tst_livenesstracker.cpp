// SPDX-License-Identifier: MIT
// Which instances a cluster counts as stopped (LivenessTracker): only those
// seen silent across this instance's own successful heartbeats, so that a
// Redis pause, which stops every beat at once, removes nobody.
#include "livenesstracker.h"
#include "testharness.h"

#include <QTest>

using Silent = QList<std::pair<QByteArray, QByteArray>>;
using Counters = QHash<QByteArray, QByteArray>;

class TestLivenessTracker final : public QObject
{
    Q_OBJECT

private slots:
    void silentAfterThreeUnchangedHeartbeats()
    {
        LivenessTracker tracker;
        const Counters counters{{"a", "7"}, {"b", "3"}};
        QCOMPARE(tracker.observe(counters), Silent{}); // first sight
        for (int beat = 1; beat < LivenessTracker::kSilentBeats; ++beat)
            QCOMPARE(tracker.observe(counters), Silent{});
        const Silent silent = tracker.observe(counters);
        QCOMPARE(silent.size(), 2);
        QVERIFY(silent.contains(std::pair<QByteArray, QByteArray>("a", "7")));
        QVERIFY(silent.contains(std::pair<QByteArray, QByteArray>("b", "3")));
    }

    void anInstanceThatBeatsIsNeverSilent()
    {
        LivenessTracker tracker;
        for (int beat = 0; beat < 10; ++beat)
            QCOMPARE(tracker.observe({{"a", QByteArray::number(beat / 2)}}), Silent{}); // beats at half our pace
    }

    void aFailedHeartbeatForgetsWhatWasSeen()
    {
        LivenessTracker tracker;
        const Counters counters{{"a", "7"}};
        for (int beat = 0; beat < LivenessTracker::kSilentBeats; ++beat)
            QCOMPARE(tracker.observe(counters), Silent{});
        // Redis paused: our own beat failed. Its silence may be the pause.
        tracker.forget();
        for (int beat = 0; beat < LivenessTracker::kSilentBeats; ++beat)
            QCOMPARE(tracker.observe(counters), Silent{});
        QCOMPARE(tracker.observe(counters), (Silent{{"a", "7"}}));
    }

    void anInstanceThatNeverBeatIsSilentToo()
    {
        LivenessTracker tracker;
        const Counters counters{{"c", {}}}; // in the instance set, no counter
        for (int beat = 0; beat < LivenessTracker::kSilentBeats; ++beat)
            QCOMPARE(tracker.observe(counters), Silent{});
        QCOMPARE(tracker.observe(counters), (Silent{{"c", {}}}));
    }

    void anInstanceThatComesBackStartsAfresh()
    {
        LivenessTracker tracker;
        for (int beat = 0; beat < LivenessTracker::kSilentBeats; ++beat)
            tracker.observe({{"a", "1"}});
        tracker.observe({}); // gone from the set (it left, or was reaped)
        for (int beat = 0; beat < LivenessTracker::kSilentBeats; ++beat)
            QCOMPARE(tracker.observe({{"a", "1"}}), Silent{});
        tracker.drop("a");
        QCOMPARE(tracker.observe({{"a", "1"}}), Silent{});
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestLivenessTracker)
#include "tst_livenesstracker.moc"
