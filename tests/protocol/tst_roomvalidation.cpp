// SPDX-License-Identifier: MIT
// Room names and topics as ../shared/ROOMS.md defines them, checked before
// any room exists: the server refuses with room-invalid / topic-invalid,
// the clients explain the same rules before sending.
#include "protocol.h"
#include "testharness.h"
#include "validation.h"

#include <QTest>

using namespace Qt::StringLiterals;
using Validation::RoomProblem;
using Validation::TopicProblem;

Q_DECLARE_METATYPE(Validation::RoomProblem)
Q_DECLARE_METATYPE(Validation::TopicProblem)

class TestRoomValidation final : public QObject
{
    Q_OBJECT

private slots:
    void checkRoom_data()
    {
        QTest::addColumn<QString>("room");
        QTest::addColumn<RoomProblem>("problem");
        // The examples of ROOMS.md, "Names".
        QTest::newRow("#dev") << u"#dev"_s << RoomProblem::None;
        QTest::newRow("#로비") << u"#로비"_s << RoomProblem::None;
        QTest::newRow("#수학-2반") << u"#수학-2반"_s << RoomProblem::None;
        QTest::newRow("dev") << u"dev"_s << RoomProblem::NoHash;
        QTest::newRow("#") << u"#"_s << RoomProblem::Empty;
        QTest::newRow("#a b") << u"#a b"_s << RoomProblem::BadCharacter;
        QTest::newRow("#a/b") << u"#a/b"_s << RoomProblem::BadCharacter;
        // Around them.
        QTest::newRow("the lobby") << QString::fromUtf16(Protocol::kLobby) << RoomProblem::None;
        QTest::newRow("underscore dash dot") << u"#a_b-c.d"_s << RoomProblem::None;
        QTest::newRow("32 Korean") << u"#"_s + u"방"_s.repeated(32) << RoomProblem::None;
        QTest::newRow("33 Korean") << u"#"_s + u"방"_s.repeated(33) << RoomProblem::TooLong;
        // 32 code points even where one is two UTF-16 units.
        QTest::newRow("32 astral letters")
            << u"#"_s + QString::fromUcs4(U"\U00010400", 1).repeated(32) << RoomProblem::None;
        QTest::newRow("empty") << QString() << RoomProblem::NoHash;
        QTest::newRow("two hashes") << u"##dev"_s << RoomProblem::BadCharacter;
        QTest::newRow("trailing space") << u"#dev "_s << RoomProblem::BadCharacter;
        QTest::newRow("emoji") << u"#😀"_s << RoomProblem::BadCharacter;
        QTest::newRow("combining mark first") << u"#\u0301a"_s << RoomProblem::StartsWithMark;
    }

    void checkRoom()
    {
        QFETCH(QString, room);
        QFETCH(RoomProblem, problem);
        const Validation::RoomResult result = Validation::checkRoom(room);
        QCOMPARE(result.problem, problem);
        QCOMPARE(result.isValid(), problem == RoomProblem::None);
        QCOMPARE(Validation::describe(result).isEmpty(), result.isValid());
    }

    void refusalNamesTheCharacter()
    {
        const Validation::RoomResult spaced = Validation::checkRoom(u"#a b"_s);
        QCOMPARE(spaced.offending, u" "_s);
        QVERIFY2(Validation::describe(spaced).contains(u"space"_s), qPrintable(Validation::describe(spaced)));
        QCOMPARE(Validation::checkRoom(u"#a/b"_s).offending, u"/"_s);
    }

    void namesCompareLikeNicknames()
    {
        QCOMPARE(Validation::roomKey(u"#Dev"_s), Validation::roomKey(u"#dev"_s));
        QCOMPARE(Validation::roomKey(u"#DEV"_s), Validation::roomKey(u"#dev"_s));
        // NFC: a decomposed é is the composed one.
        QCOMPARE(Validation::roomKey(u"#cafe\u0301"_s), Validation::roomKey(u"#caf\u00e9"_s));
        QVERIFY(Validation::roomKey(u"#dev"_s) != Validation::roomKey(u"#dev2"_s));
        // Frames carry the name as spelled, in NFC.
        QCOMPARE(Validation::checkRoom(u"#Cafe\u0301"_s).room, u"#Caf\u00e9"_s);
    }

    void checkTopic_data()
    {
        QTest::addColumn<QString>("topic");
        QTest::addColumn<TopicProblem>("problem");
        QTest::addColumn<QString>("kept");
        QTest::newRow("plain") << u"release on Friday"_s << TopicProblem::None << u"release on Friday"_s;
        QTest::newRow("Korean, trimmed") << u"  금요일 배포  "_s << TopicProblem::None << u"금요일 배포"_s;
        QTest::newRow("empty clears") << QString() << TopicProblem::None << QString();
        QTest::newRow("blank clears") << u"   "_s << TopicProblem::None << QString();
        QTest::newRow("300") << u"x"_s.repeated(300) << TopicProblem::None << u"x"_s.repeated(300);
        QTest::newRow("301") << u"x"_s.repeated(301) << TopicProblem::TooLong << u"x"_s.repeated(301);
        // Unlike a message, a topic is one line: TAB and LF are refused too.
        QTest::newRow("tab inside") << u"a\tb"_s << TopicProblem::ControlCharacter << u"a\tb"_s;
        QTest::newRow("newline inside") << u"a\nb"_s << TopicProblem::ControlCharacter << u"a\nb"_s;
        QTest::newRow("bell") << u"a\u0007"_s << TopicProblem::ControlCharacter << u"a\u0007"_s;
        QTest::newRow("unpaired surrogate")
            << QString(QChar(0xD800)) << TopicProblem::NotUnicode << QString(QChar(0xD800));
    }

    void checkTopic()
    {
        QFETCH(QString, topic);
        QFETCH(TopicProblem, problem);
        QFETCH(QString, kept);
        const Validation::TopicResult result = Validation::checkTopic(topic);
        QCOMPARE(result.problem, problem);
        QCOMPARE(result.topic, kept);
        QCOMPARE(Validation::describe(result).isEmpty(), result.isValid());
    }
};

QTCHAT_TEST_APPLESS_MAIN(TestRoomValidation)
#include "tst_roomvalidation.moc"
