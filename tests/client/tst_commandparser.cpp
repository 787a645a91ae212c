// SPDX-License-Identifier: MIT
// What a user types, understood the same way in chat-console and chat-gui.
#include "commandgrammar.h"
#include "commandparser.h"
#include "testharness.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace CommandParser;
using namespace Protocol;

namespace {

// The request `command` holds; throws (failing the test) when it holds another.
template<typename Frame> Frame frame(const Command &command)
{
    return std::get<Frame>(std::get<ClientFrame>(command));
}

} // namespace

class TestCommandParser final : public QObject
{
    Q_OBJECT

private slots:
    void plainTextIsAMessageToEveryone();
    void koreanTextIsSentAsIs();
    void blankLinesAreNothing();
    void doubleSlashSendsALiteralSlash();
    void nickChangesTheNickname();
    void nickExplainsWhatIsWrong();
    void msgWhispersTheRestOfTheLine();
    void msgNeedsNickAndText();
    void meIsAnAction();
    void whoHelpQuit();
    void commandsIgnoreCase();
    void unknownCommandPointsToHelp();
    void helpListsEveryCommand();
    void controlCharactersAreRefused();
    void moderationCommands();
    void moderationCommandsNeedTheirArguments();
    void roomCommandsCarryCheckedRoomNames();
    void badRoomNamesAndTopicsAreExplained();
};

void TestCommandParser::plainTextIsAMessageToEveryone()
{
    const Command c = parse(u"  hello there  "_s);
    QVERIFY(request<Say>(c));
    QCOMPARE(frame<Say>(c).text, u"hello there"_s);
    QCOMPARE(frame<Say>(c).action, false);
}

void TestCommandParser::koreanTextIsSentAsIs()
{
    const Command c = parse(u"안녕하세요"_s);
    QVERIFY(request<Say>(c));
    QCOMPARE(frame<Say>(c).text, u"안녕하세요"_s);
}

void TestCommandParser::blankLinesAreNothing()
{
    QVERIFY(std::holds_alternative<Empty>(parse(QString())));
    QVERIFY(std::holds_alternative<Empty>(parse(u"   \t "_s)));
}

void TestCommandParser::doubleSlashSendsALiteralSlash()
{
    const Command c = parse(u"//usr/bin is a path"_s);
    QVERIFY(request<Say>(c));
    QCOMPARE(frame<Say>(c).text, u"/usr/bin is a path"_s);
}

void TestCommandParser::nickChangesTheNickname()
{
    const Command c = parse(u"/nick 민수"_s);
    QVERIFY(request<Nick>(c));
    QCOMPARE(frame<Nick>(c).nick, u"민수"_s);
}

void TestCommandParser::nickExplainsWhatIsWrong()
{
    const Command missing = parse(u"/nick"_s);
    QVERIFY(std::holds_alternative<Invalid>(missing));
    QVERIFY(std::get<Invalid>(missing).message.contains(u"/nick NAME"_s));

    const Command spaced = parse(u"/nick two words"_s);
    QVERIFY(std::holds_alternative<Invalid>(spaced));
    QVERIFY(std::get<Invalid>(spaced).message.contains(u"space"_s));

    const Command tooLong = parse(u"/nick "_s + QString(25, u'a'));
    QVERIFY(std::holds_alternative<Invalid>(tooLong));
    QVERIFY(std::get<Invalid>(tooLong).message.contains(u"24"_s));
}

void TestCommandParser::msgWhispersTheRestOfTheLine()
{
    const Command c = parse(u"/msg bob  see you   at 8 "_s);
    QVERIFY(request<Whisper>(c));
    QCOMPARE(frame<Whisper>(c).to, u"bob"_s);
    QCOMPARE(frame<Whisper>(c).text, u"see you   at 8"_s);
}

void TestCommandParser::msgNeedsNickAndText()
{
    QVERIFY(std::holds_alternative<Invalid>(parse(u"/msg"_s)));
    const Command noText = parse(u"/msg bob"_s);
    QVERIFY(std::holds_alternative<Invalid>(noText));
    QVERIFY(std::get<Invalid>(noText).message.contains(u"/msg NICK TEXT"_s));
}

void TestCommandParser::meIsAnAction()
{
    const Command c = parse(u"/me waves"_s);
    QVERIFY(request<Say>(c));
    QCOMPARE(frame<Say>(c).text, u"waves"_s);
    QCOMPARE(frame<Say>(c).action, true);
    QVERIFY(std::holds_alternative<Invalid>(parse(u"/me"_s)));
}

void TestCommandParser::whoHelpQuit()
{
    QVERIFY(request<Who>(parse(u"/who"_s)));
    QVERIFY(std::holds_alternative<Help>(parse(u"/help"_s)));
    const Command quit = parse(u"/quit see you tomorrow"_s);
    QVERIFY(request<Bye>(quit));
    QCOMPARE(frame<Bye>(quit).reason, u"see you tomorrow"_s);
    QVERIFY(frame<Bye>(parse(u"/quit"_s)).reason.isEmpty());
}

void TestCommandParser::commandsIgnoreCase()
{
    QVERIFY(request<Nick>(parse(u"/NICK alice"_s)));
    QVERIFY(request<Bye>(parse(u"/Quit"_s)));
}

void TestCommandParser::unknownCommandPointsToHelp()
{
    const Command c = parse(u"/dance #general"_s);
    QVERIFY(std::holds_alternative<Invalid>(c));
    QVERIFY(std::get<Invalid>(c).message.contains(u"/dance"_s));
    QVERIFY(std::get<Invalid>(c).message.contains(u"/help"_s));
}

void TestCommandParser::helpListsEveryCommand()
{
    const QString help = helpText();
    for (const auto *command :
         {"/nick", "/msg", "/me", "/who", "/help", "/quit", "/op", "/kick", "/mute", "/unmute", "/slow"})
        QVERIFY2(help.contains(QLatin1StringView(command)), command);
    // The same table as the server's text mode, between a title and how to send plain text.
    const QStringList lines = help.split(u'\n');
    QCOMPARE(lines.first(), u"Commands:"_s);
    QCOMPARE(lines.mid(1, lines.size() - 2), CommandGrammar::helpRows());
    QVERIFY(lines.last().contains(u"//"_s));
}

void TestCommandParser::controlCharactersAreRefused()
{
    QVERIFY(std::holds_alternative<Invalid>(parse(u"bell\u0007"_s)));
    QVERIFY(std::holds_alternative<Invalid>(parse(QString(4001, u'x'))));
}

void TestCommandParser::moderationCommands()
{
    QCOMPARE(frame<Op>(parse(u"/op  my secret "_s)).password, u"my secret"_s);
    const Command kick = parse(u"/kick bob stop   spamming"_s);
    QCOMPARE(frame<Kick>(kick).nick, u"bob"_s);
    QCOMPARE(frame<Kick>(kick).reason, u"stop   spamming"_s);
    QVERIFY(frame<Kick>(parse(u"/KICK bob"_s)).reason.isEmpty());
    QCOMPARE(frame<Mute>(parse(u"/mute bob"_s)).minutes, std::nullopt);
    QCOMPARE(frame<Mute>(parse(u"/mute 민수 15"_s)).minutes, 15);
    QCOMPARE(frame<Mute>(parse(u"/mute bob 0"_s)).minutes, 0);
    QCOMPARE(frame<Unmute>(parse(u"/unmute bob"_s)).nick, u"bob"_s);
    QCOMPARE(frame<Slow>(parse(u"/slow 30"_s)).seconds, 30);
    QCOMPARE(frame<Slow>(parse(u"/slow 0"_s)).seconds, 0);
}

void TestCommandParser::moderationCommandsNeedTheirArguments()
{
    for (const QString &line : {u"/op"_s, u"/kick"_s, u"/mute"_s, u"/mute bob soon"_s, u"/mute bob -3"_s, u"/unmute"_s,
                                u"/unmute bob extra"_s, u"/slow"_s, u"/slow fast"_s, u"/slow -1"_s}) {
        const Command c = parse(line);
        QVERIFY2(std::holds_alternative<Invalid>(c), qPrintable(line));
        QVERIFY2(std::get<Invalid>(c).message.startsWith(u"Usage: /"_s), qPrintable(line));
    }
}

void TestCommandParser::roomCommandsCarryCheckedRoomNames()
{
    QCOMPARE(frame<Join>(parse(u"/join #수학-2반"_s)).room, u"#수학-2반"_s);
    QCOMPARE(frame<Join>(parse(u"/join dev"_s)).room, u"#dev"_s);
    // Without a room: the current one, which the client fills in.
    QCOMPARE(frame<Part>(parse(u"/part"_s)), (Part{}));
    QCOMPARE(frame<Part>(parse(u"/part  see you "_s)), (Part{QString(), u"see you"_s}));
    QCOMPARE(frame<Part>(parse(u"/part #dev bye all"_s)), (Part{u"#dev"_s, u"bye all"_s}));
    QCOMPARE(frame<SetTopic>(parse(u"/topic  release on Friday "_s)), (SetTopic{QString(), u"release on Friday"_s}));
    QVERIFY(std::holds_alternative<ShowTopic>(parse(u"/topic"_s)));
    QVERIFY(request<ListRooms>(parse(u"/rooms"_s)));
    QCOMPARE(frame<Who>(parse(u"/who"_s)).room, QString());
    QCOMPARE(frame<Who>(parse(u"/who #dev"_s)).room, u"#dev"_s);
    // A plain line and /me go to the current room as well.
    QVERIFY(frame<Say>(parse(u"hello"_s)).room.isEmpty());
    QVERIFY(frame<Say>(parse(u"/me waves"_s)).room.isEmpty());
}

void TestCommandParser::badRoomNamesAndTopicsAreExplained()
{
    const Command spaced = parse(u"/join #a/b"_s);
    QVERIFY(std::holds_alternative<Invalid>(spaced));
    QVERIFY2(std::get<Invalid>(spaced).message.contains(u"\"/\""_s), qPrintable(std::get<Invalid>(spaced).message));
    const Command tooLong = parse(u"/join #"_s + QString(33, u'a'));
    QVERIFY(std::holds_alternative<Invalid>(tooLong));
    QVERIFY(std::get<Invalid>(tooLong).message.contains(u"32"_s));
    QVERIFY(std::holds_alternative<Invalid>(parse(u"/who #a/b"_s)));
    QVERIFY(std::holds_alternative<Invalid>(parse(u"/part #"_s)));
    QVERIFY(std::get<Invalid>(parse(u"/join"_s)).message.startsWith(u"Usage: /join"_s));

    const Command longTopic = parse(u"/topic "_s + QString(301, u't'));
    QVERIFY(std::holds_alternative<Invalid>(longTopic));
    QVERIFY(std::get<Invalid>(longTopic).message.contains(u"300"_s));
    QVERIFY(std::holds_alternative<Invalid>(parse(u"/topic tab\there"_s)));
}

QTCHAT_TEST_APPLESS_MAIN(TestCommandParser)
#include "tst_commandparser.moc"
