// SPDX-License-Identifier: MIT
// The one grammar of slash commands, before either side words its answers.
#include "commandgrammar.h"
#include "testharness.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Protocol;
using CommandGrammar::Command;

class TestCommandGrammar final : public QObject
{
    Q_OBJECT

private slots:
    void plainLinesAreMessagesAsTyped();
    void commandsBecomeRequests();
    void missingArgumentsNameTheCommand();
    void unknownCommandsKeepTheWordAsTyped();
    void everyCommandHasOneRow();
    void helpRowsLineUpTheSummaries();
    void usageNamesTheArgumentsAndTheNote();
};

void TestCommandGrammar::plainLinesAreMessagesAsTyped()
{
    // Not trimmed: the server validates what it receives, the clients trim first.
    QCOMPARE(CommandGrammar::parse(u" hi "_s), (CommandGrammar::Result{ClientFrame{Say{u" hi "_s, false}}}));
    QCOMPARE(CommandGrammar::parse(u" /who"_s), (CommandGrammar::Result{ClientFrame{Say{u" /who"_s, false}}}));
    QCOMPARE(CommandGrammar::parse(u"//etc"_s), (CommandGrammar::Result{ClientFrame{Say{u"/etc"_s, false}}}));
}

void TestCommandGrammar::commandsBecomeRequests()
{
    const auto request = [](const QString &line) { return std::get<ClientFrame>(CommandGrammar::parse(line)); };
    QCOMPARE(request(u"/NICK 민수"_s), (ClientFrame{Nick{u"민수"_s}}));
    QCOMPARE(request(u"/msg bob  see you"_s), (ClientFrame(Whisper{u"bob"_s, u"see you"_s})));
    QCOMPARE(request(u"/me waves"_s), (ClientFrame(Say{u"waves"_s, true})));
    QCOMPARE(request(u"/who"_s), (ClientFrame{Who{}}));
    QCOMPARE(request(u"/who #dev"_s), (ClientFrame{Who{u"#dev"_s}}));
    // Rooms: "dev" is "#dev"; what names no room means the current one.
    QCOMPARE(request(u"/join #수학-2반"_s), (ClientFrame{Join{u"#수학-2반"_s}}));
    QCOMPARE(request(u"/JOIN dev"_s), (ClientFrame{Join{u"#dev"_s}}));
    QCOMPARE(request(u"/part"_s), (ClientFrame{Part{}}));
    QCOMPARE(request(u"/part #dev see you"_s), (ClientFrame{Part{u"#dev"_s, u"see you"_s}}));
    QCOMPARE(request(u"/part see you"_s), (ClientFrame{Part{{}, u"see you"_s}}));
    QCOMPARE(request(u"/rooms"_s), (ClientFrame{ListRooms{}}));
    QCOMPARE(request(u"/topic release on Friday"_s), (ClientFrame{SetTopic{{}, u"release on Friday"_s}}));
    QVERIFY(std::holds_alternative<CommandGrammar::ShowTopic>(CommandGrammar::parse(u"/topic"_s)));
    QCOMPARE(request(u"/quit good night"_s), (ClientFrame{Bye{u"good night"_s}}));
    QCOMPARE(request(u"/op pass word"_s), (ClientFrame{Op{u"pass word"_s}}));
    QCOMPARE(request(u"/kick bob cool off"_s), (ClientFrame(Kick{u"bob"_s, u"cool off"_s})));
    QCOMPARE(request(u"/mute bob"_s), (ClientFrame(Mute{u"bob"_s, std::nullopt})));
    QCOMPARE(request(u"/mute bob 0"_s), (ClientFrame(Mute{u"bob"_s, 0})));
    QCOMPARE(request(u"/unmute bob"_s), (ClientFrame{Unmute{u"bob"_s}}));
    QCOMPARE(request(u"/slow 30"_s), (ClientFrame{Slow{30}}));
    // Presence: the message is the rest of the line; none is allowed.
    QCOMPARE(request(u"/away  out for lunch "_s), (ClientFrame{SetAway{u"out for lunch"_s}}));
    QCOMPARE(request(u"/away"_s), (ClientFrame{SetAway{}}));
    QCOMPARE(request(u"/back"_s), (ClientFrame{SetBack{}}));
    QVERIFY(std::holds_alternative<CommandGrammar::Help>(CommandGrammar::parse(u"/help"_s)));
}

void TestCommandGrammar::missingArgumentsNameTheCommand()
{
    const QList<std::pair<QString, Command>> cases{
        {u"/nick"_s, Command::Nick},
        {u"/msg bob"_s, Command::Msg},
        {u"/me"_s, Command::Me},
        {u"/op"_s, Command::Op},
        {u"/join"_s, Command::Join},
        {u"/join #a #b"_s, Command::Join},
        {u"/who #a b"_s, Command::Who},
        {u"/kick"_s, Command::Kick},
        {u"/mute bob soon"_s, Command::Mute},
        {u"/mute bob -3"_s, Command::Mute},
        {u"/unmute bob x"_s, Command::Unmute},
        {u"/slow"_s, Command::Slow},
        {u"/slow fast"_s, Command::Slow},
        {u"/back from lunch"_s, Command::Back},
    };
    for (const auto &[line, command] : cases)
        QCOMPARE(CommandGrammar::parse(line), (CommandGrammar::Result{CommandGrammar::Usage{command}}));
}

void TestCommandGrammar::unknownCommandsKeepTheWordAsTyped()
{
    QCOMPARE(CommandGrammar::parse(u"/Dance now"_s), (CommandGrammar::Result{CommandGrammar::Unknown{u"Dance"_s}}));
    QCOMPARE(CommandGrammar::parse(u"/"_s), (CommandGrammar::Result{CommandGrammar::Unknown{}}));
}

void TestCommandGrammar::everyCommandHasOneRow()
{
    QStringList names;
    for (const CommandGrammar::Entry &entry : CommandGrammar::commands()) {
        QVERIFY(!names.contains(entry.name.toString()));
        names.append(entry.name.toString());
        QCOMPARE(CommandGrammar::entry(entry.command).name, entry.name);
        QVERIFY(entry.summary != nullptr && *entry.summary != 0);
    }
    QCOMPARE(names.size(), 17);
}

void TestCommandGrammar::helpRowsLineUpTheSummaries()
{
    const QStringList rows = CommandGrammar::helpRows();
    QCOMPARE(rows.size(), qsizetype(CommandGrammar::commands().size()));
    // Each group's summaries start in one column, after its longest synopsis.
    QCOMPARE(rows.at(0), u"  /nick NAME                change your nickname"_s);
    QCOMPARE(rows.at(11), u"    /kick NICK [REASON]    disconnect a user"_s);
    QCOMPARE(rows.last(), u"  /quit [REASON]            leave the chat"_s);
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const CommandGrammar::Entry &entry = CommandGrammar::commands()[std::size_t(i)];
        const qsizetype column = entry.operatorOnly ? 27 : 28;
        QCOMPARE(rows.at(i).mid(column), QString::fromUtf8(entry.summary));
        QVERIFY2(rows.at(i).at(column - 1) == u' ' && rows.at(i).at(column - 2) == u' ', qPrintable(rows.at(i)));
    }
}

void TestCommandGrammar::usageNamesTheArgumentsAndTheNote()
{
    QCOMPARE(CommandGrammar::usage(Command::Kick), u"/kick NICK [REASON]"_s);
    QCOMPARE(CommandGrammar::usage(Command::Slow), u"/slow SECONDS (0 turns slow mode off)"_s);
    QCOMPARE(CommandGrammar::usage(Command::Who), u"/who [#ROOM]"_s);
    QCOMPARE(CommandGrammar::usage(Command::Join), u"/join #ROOM"_s);
}

QTCHAT_TEST_APPLESS_MAIN(TestCommandGrammar)
#include "tst_commandgrammar.moc"
