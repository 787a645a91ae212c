// SPDX-License-Identifier: MIT
#include "inputhistory.h"
#include "tabcompleter.h"
#include "testharness.h"

#include <QTest>

using namespace Qt::StringLiterals;

// The logic behind the message box, without widgets: input history and Tab completion.
class TestInputLogic final : public QObject
{
    Q_OBJECT

private slots:
    void historyRecallsNewestFirstAndKeepsTheDraft()
    {
        InputHistory history;
        history.add(u"one"_s);
        history.add(u"two"_s);
        QCOMPARE(history.previous(u"draft"_s), std::optional<QString>(u"two"_s));
        QCOMPARE(history.previous(u"ignored"_s), std::optional<QString>(u"one"_s));
        QCOMPARE(history.previous(u"ignored"_s), std::nullopt); // oldest reached
        QCOMPARE(history.next(), std::optional<QString>(u"two"_s));
        QCOMPARE(history.next(), std::optional<QString>(u"draft"_s));
        QVERIFY(!history.isBrowsing());
        QCOMPARE(history.next(), std::nullopt);
    }

    void historySkipsBlanksAndRepeats()
    {
        InputHistory history;
        history.add(u"  "_s);
        history.add(u"same"_s);
        history.add(u"same"_s);
        QCOMPARE(history.size(), 1);
    }

    void historyIsBounded()
    {
        InputHistory history;
        QCOMPARE(history.capacity(), 100);
        for (int i = 0; i < 150; ++i)
            history.add(QString::number(i));
        QCOMPARE(history.size(), 100);
        QCOMPARE(history.entries().constFirst(), u"50"_s);
        QCOMPARE(history.entries().constLast(), u"149"_s);
    }

    void completesNickAtLineStartWithColon()
    {
        TabCompleter completer;
        completer.setNicks({u"alice"_s, u"bob"_s, u"Albert"_s});
        const auto result = completer.complete(u"bo"_s, 2);
        QVERIFY(result);
        QCOMPARE(result->text, u"bob: "_s);
        QCOMPARE(result->cursor, 5);
    }

    void completionIsCaseInsensitiveAndCycles()
    {
        TabCompleter completer;
        completer.setNicks({u"alice"_s, u"Albert"_s, u"bob"_s});
        auto result = completer.complete(u"hi AL"_s, 5);
        QVERIFY(result);
        QCOMPARE(result->text, u"hi Albert "_s); // Albert < alice case-insensitively
        result = completer.complete(result->text, result->cursor);
        QCOMPARE(result->text, u"hi alice "_s);
        result = completer.complete(result->text, result->cursor);
        QCOMPARE(result->text, u"hi Albert "_s); // wraps around
        result = completer.complete(result->text, result->cursor, true);
        QCOMPARE(result->text, u"hi alice "_s); // Shift+Tab goes back
    }

    void completesKoreanNicks()
    {
        TabCompleter completer;
        completer.setNicks({u"민지"_s, u"민수"_s, u"bob"_s, u"서연"_s});
        auto result = completer.complete(u"민"_s, 1);
        QVERIFY(result);
        QCOMPARE(result->text, u"민수: "_s);
        result = completer.complete(result->text, result->cursor);
        QCOMPARE(result->text, u"민지: "_s);
        completer.reset();
        result = completer.complete(u"안녕 서"_s, 4);
        QVERIFY(result);
        QCOMPARE(result->text, u"안녕 서연 "_s);
    }

    void completesInTheMiddleOfText()
    {
        TabCompleter completer;
        completer.setNicks({u"carol"_s});
        const auto result = completer.complete(u"ask ca about it"_s, 6);
        QVERIFY(result);
        QCOMPARE(result->text, u"ask carol about it"_s); // a space already follows
        QCOMPARE(result->cursor, 9);
    }

    void completesCommandsAndWhisperTargets()
    {
        TabCompleter completer;
        completer.setNicks({u"민수"_s});
        auto result = completer.complete(u"/ni"_s, 3);
        QVERIFY(result);
        QCOMPARE(result->text, u"/nick "_s);
        completer.reset();
        result = completer.complete(u"/m"_s, 2);
        QCOMPARE(result->text, u"/me "_s);
        result = completer.complete(result->text, result->cursor);
        QCOMPARE(result->text, u"/msg "_s);
        completer.reset();
        result = completer.complete(u"/msg 민"_s, 6);
        QVERIFY(result);
        QCOMPARE(result->text, u"/msg 민수 "_s);
    }

    void neverOffersSelfAndNothingForNoMatch()
    {
        TabCompleter completer;
        completer.setNicks({u"alice"_s, u"alex"_s});
        completer.setSelf(u"Alice"_s);
        QCOMPARE(completer.candidates(u"al"_s, false), QStringList{u"alex"_s});
        QCOMPARE(completer.complete(u"zed"_s, 3), std::nullopt);
        QCOMPARE(completer.complete(QString(), 0), std::nullopt);
        QCOMPARE(completer.complete(u"hello "_s, 6), std::nullopt);
    }
};

QTCHAT_TEST_APPLESS_MAIN(TestInputLogic)
#include "tst_gui_inputlogic.moc"
