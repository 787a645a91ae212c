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

    // The text mode's help, built from CommandGrammar's table, reads as documented.
    void helpReadsAsDocumented()
    {
        const QStringList expected{
            u"* Type a line and press Enter to talk in the current room (#lobby at first). Commands:"_s,
            u"*   /nick NAME                change your nickname"_s,
            u"*   /msg NICK TEXT            whisper to one user"_s,
            u"*   /me ACTION                say what you are doing"_s,
            u"*   /join #ROOM               join a room (made if new) and talk there"_s,
            u"*   /part [#ROOM] [MESSAGE]   leave a room (this one if none is named)"_s,
            u"*   /rooms                    list the rooms"_s,
            u"*   /topic [TEXT]             show this room's topic, or set it"_s,
            u"*   /who [#ROOM]              list the users in this room"_s,
            u"*   /away [MESSAGE]           tell everyone you are away"_s,
            u"*   /back                     you are back"_s,
            u"*   /op PASSWORD              become an operator, who can also use:"_s,
            u"*     /kick NICK [REASON]    disconnect a user"_s,
            u"*     /mute NICK [MINUTES]   silence a user (default 10 minutes; 0 lifts it)"_s,
            u"*     /unmute NICK           lift a mute"_s,
            u"*     /slow SECONDS          one message per SECONDS per user (0 turns it off)"_s,
            u"*   /help                     show this help"_s,
            u"*   /quit [REASON]            leave the chat"_s,
        };
        QCOMPARE(TextCommand::helpLines(), expected);
    }

    // The usage answers name the command's arguments.
    void usageAnswers_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("answer");
        QTest::newRow("/nick") << u"/nick"_s << u"* usage: /nick NAME"_s;
        QTest::newRow("/msg") << u"/msg bob"_s << u"* usage: /msg NICK TEXT"_s;
        QTest::newRow("/me") << u"/me"_s << u"* usage: /me ACTION"_s;
        QTest::newRow("/op") << u"/op"_s << u"* usage: /op PASSWORD"_s;
        QTest::newRow("/kick") << u"/kick"_s << u"* usage: /kick NICK [REASON]"_s;
        QTest::newRow("/mute") << u"/mute bob lots"_s << u"* usage: /mute NICK [MINUTES] (0 minutes lifts the mute)"_s;
        QTest::newRow("/unmute") << u"/unmute bob extra"_s << u"* usage: /unmute NICK"_s;
        QTest::newRow("/slow") << u"/slow"_s << u"* usage: /slow SECONDS (0 turns slow mode off)"_s;
        QTest::newRow("unknown") << u"/DANCE now"_s << u"* error: unknown command /dance (type /help for the list)"_s;
    }

    void usageAnswers()
    {
        QFETCH(QString, line);
        QFETCH(QString, answer);
        QCOMPARE(TextCommand::parse(line).reply, QStringList{answer});
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
