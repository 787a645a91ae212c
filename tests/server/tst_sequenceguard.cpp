// SPDX-License-Identifier: MIT
// SequenceGuard: when what Redis says of the shared id sequence means Redis
// was rolled back (issue #16, rollback detection).
#include "sequenceguard.h"
#include "testharness.h"

#include <QTest>

using Verdict = SequenceGuard::Verdict;

class TestSequenceGuard final : public QObject
{
    Q_OBJECT

private slots:
    void firstLookAdoptsWhateverRedisHas()
    {
        SequenceGuard guard;
        QCOMPARE(guard.judge("e1", 40), Verdict::Started);
        QCOMPARE(guard.judge({}, 0), Verdict::Started);
        QVERIFY(!SequenceGuard::isRollback(Verdict::Started));
    }

    void sameEpochAndSequenceAtOrAboveDeliveredIsSteady()
    {
        SequenceGuard guard;
        guard.adopt("e1");
        guard.delivered(12);
        QCOMPARE(guard.judge("e1", 12), Verdict::Steady);
        QCOMPARE(guard.judge("e1", 30), Verdict::Steady);
        QVERIFY(!SequenceGuard::isRollback(Verdict::Steady));
    }

    void missingEpochIsARollback()
    {
        SequenceGuard guard;
        guard.adopt("e1");
        guard.delivered(5);
        QCOMPARE(guard.judge({}, 0), Verdict::EpochMissing);
        // Even when the sequence happens to be above what was delivered.
        QCOMPARE(guard.judge({}, 99), Verdict::EpochMissing);
        QVERIFY(SequenceGuard::isRollback(Verdict::EpochMissing));
    }

    void anotherEpochIsARollback()
    {
        SequenceGuard guard;
        guard.adopt("e1");
        guard.delivered(5);
        QCOMPARE(guard.judge("e2", 50), Verdict::EpochChanged);
        QVERIFY(SequenceGuard::isRollback(Verdict::EpochChanged));
    }

    void sequenceBelowDeliveredIsARollback()
    {
        SequenceGuard guard;
        guard.adopt("e1");
        guard.delivered(20);
        QCOMPARE(guard.judge("e1", 19), Verdict::SequenceBehind);
        QCOMPARE(guard.judge("e1", 0), Verdict::SequenceBehind);
        QVERIFY(SequenceGuard::isRollback(Verdict::SequenceBehind));
    }

    void highWaterOnlyRises()
    {
        SequenceGuard guard;
        QCOMPARE(guard.highWater(), 0);
        guard.delivered(7);
        guard.delivered(3); // an older message read again (a room's history)
        QCOMPARE(guard.highWater(), 7);
        guard.delivered(8);
        QCOMPARE(guard.highWater(), 8);
    }

    void adoptingTheNewEpochMakesItSteadyAgain()
    {
        SequenceGuard guard;
        guard.adopt("e1");
        guard.delivered(9);
        QCOMPARE(guard.judge("e2", 9), Verdict::EpochChanged);
        guard.adopt("e2");
        QCOMPARE(guard.judge("e2", 9), Verdict::Steady);
        QCOMPARE(guard.epoch(), QByteArray("e2"));
    }

    // The periodic check's answer comes later; meanwhile this instance may
    // deliver ids above the sequence the script read. Only the epochs the
    // script returned say whether it found (and repaired) a rollback.
    void aCheckAnsweredLaterIsJudgedByTheEpochsTheScriptReturned()
    {
        SequenceGuard guard;
        guard.adopt("e1");
        guard.delivered(100);
        // Sent at 100; the script read the sequence at 100. Then 101 was delivered.
        guard.delivered(101);
        QCOMPARE(guard.judge("e1", 100), SequenceGuard::Verdict::SequenceBehind);
        QCOMPARE(SequenceGuard::foundByScript(guard.epoch(), "e1", "e1"), SequenceGuard::Verdict::Steady);
        // The script made a new epoch: the sequence was behind when it looked.
        QCOMPARE(SequenceGuard::foundByScript("e1", "e1", "e2"), SequenceGuard::Verdict::SequenceBehind);
        // Redis had lost the epoch (the script made one), or another instance
        // made one: said as such in the log, not as the sequence behind.
        QCOMPARE(SequenceGuard::foundByScript("e1", "", "e2"), SequenceGuard::Verdict::EpochMissing);
        QCOMPARE(SequenceGuard::foundByScript("e1", "e2", "e2"), SequenceGuard::Verdict::EpochChanged);
        // Knowing none yet: whatever Redis has is the start.
        QCOMPARE(SequenceGuard::foundByScript("", "", "e1"), SequenceGuard::Verdict::Started);
        QCOMPARE(SequenceGuard::foundByScript("", "e1", "e1"), SequenceGuard::Verdict::Started);
    }
};

QTCHAT_TEST_APPLESS_MAIN(TestSequenceGuard)
#include "tst_sequenceguard.moc"
