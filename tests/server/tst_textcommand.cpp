// SPDX-License-Identifier: MIT
#include "testharness.h"
#include "textcommand.h"

#include "framecodec.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestTextCommand final : public QObject
{
    Q_OBJECT

private slots:
    // What a netcat user types becomes the request a JSON client would send.
    void parse_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QJsonObject>("request"); // empty: nothing goes to the room
        QTest::addColumn<bool>("replied");        // a line shown only to the user

        const auto say = [](const QString &text) { return QJsonObject{{u"type"_s, u"say"_s}, {u"text"_s, text}}; };
        QTest::newRow("plain line") << u"hello all"_s << say(u"hello all"_s) << false;
        QTest::newRow("Korean") << u"안녕하세요"_s << say(u"안녕하세요"_s) << false;
        QTest::newRow("double slash is a message") << u"//not a command"_s << say(u"/not a command"_s) << false;
        QTest::newRow("/nick") << u"/nick 민수"_s << QJsonObject{{u"type"_s, u"nick"_s}, {u"nick"_s, u"민수"_s}}
                               << false;
        QTest::newRow("/NICK any case") << u"/NICK bob"_s << QJsonObject{{u"type"_s, u"nick"_s}, {u"nick"_s, u"bob"_s}}
                                        << false;
        QTest::newRow("/msg") << u"/msg bob see you at 5"_s
                              << QJsonObject{{u"type"_s, u"whisper"_s},
                                             {u"to"_s, u"bob"_s},
                                             {u"text"_s, u"see you at 5"_s}}
                              << false;
        QTest::newRow("/me") << u"/me waves"_s
                             << QJsonObject{{u"type"_s, u"say"_s}, {u"text"_s, u"waves"_s}, {u"action"_s, true}}
                             << false;
        QTest::newRow("/who") << u"/who"_s << QJsonObject{{u"type"_s, u"who"_s}} << false;
        QTest::newRow("/quit") << u"/quit"_s << QJsonObject{{u"type"_s, u"bye"_s}} << false;
        QTest::newRow("/quit with reason")
            << u"/quit time for bed"_s << QJsonObject{{u"type"_s, u"bye"_s}, {u"reason"_s, u"time for bed"_s}} << false;
        QTest::newRow("/help") << u"/help"_s << QJsonObject() << true;
        QTest::newRow("/nick without name") << u"/nick"_s << QJsonObject() << true;
        QTest::newRow("/msg without text") << u"/msg bob"_s << QJsonObject() << true;
        QTest::newRow("/me without action") << u"/me"_s << QJsonObject() << true;
        QTest::newRow("unknown command") << u"/dance"_s << QJsonObject() << true;
        QTest::newRow("/op") << u"/op pass word"_s << QJsonObject{{u"type"_s, u"op"_s}, {u"password"_s, u"pass word"_s}}
                             << false;
        QTest::newRow("/kick with reason")
            << u"/kick bob cool off"_s
            << QJsonObject{{u"type"_s, u"kick"_s}, {u"nick"_s, u"bob"_s}, {u"reason"_s, u"cool off"_s}} << false;
        QTest::newRow("/kick") << u"/kick bob"_s << QJsonObject{{u"type"_s, u"kick"_s}, {u"nick"_s, u"bob"_s}} << false;
        QTest::newRow("/mute") << u"/mute bob"_s << QJsonObject{{u"type"_s, u"mute"_s}, {u"nick"_s, u"bob"_s}} << false;
        QTest::newRow("/mute minutes") << u"/mute bob 5"_s
                                       << QJsonObject{{u"type"_s, u"mute"_s}, {u"nick"_s, u"bob"_s}, {u"minutes"_s, 5}}
                                       << false;
        QTest::newRow("/unmute") << u"/unmute bob"_s << QJsonObject{{u"type"_s, u"unmute"_s}, {u"nick"_s, u"bob"_s}}
                                 << false;
        QTest::newRow("/slow") << u"/slow 20"_s << QJsonObject{{u"type"_s, u"slow"_s}, {u"seconds"_s, 20}} << false;
        QTest::newRow("/op without password") << u"/op"_s << QJsonObject() << true;
        QTest::newRow("/kick without nick") << u"/kick"_s << QJsonObject() << true;
        QTest::newRow("/mute bad minutes") << u"/mute bob lots"_s << QJsonObject() << true;
        QTest::newRow("/slow without seconds") << u"/slow"_s << QJsonObject() << true;
    }

    void parse()
    {
        QFETCH(QString, line);
        QFETCH(QJsonObject, request);
        QFETCH(bool, replied);

        const TextCommand::Parsed parsed = TextCommand::parse(line);
        QCOMPARE(parsed.frame.has_value(), !request.isEmpty());
        if (parsed.frame)
            QCOMPARE(FrameCodec::toJson(*parsed.frame), request);
        QCOMPARE(!parsed.reply.isEmpty(), replied);
        for (const QString &reply : parsed.reply)
            QVERIFY2(reply.startsWith(u"* "_s), qPrintable(reply));
    }

    void helpListsEveryCommand()
    {
        const QString help = TextCommand::helpLines().join(u'\n');
        for (const QString &command : {u"/nick"_s, u"/msg"_s, u"/me"_s, u"/who"_s, u"/help"_s, u"/quit"_s})
            QVERIFY2(help.contains(command), qPrintable(command));
    }
};

QTCHAT_TEST_APPLESS_MAIN(TestTextCommand)
#include "tst_textcommand.moc"
