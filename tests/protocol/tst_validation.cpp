// SPDX-License-Identifier: MIT
#include "testharness.h"
#include "validation.h"

#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using Validation::NickProblem;
using Validation::TextProblem;

Q_DECLARE_METATYPE(Validation::NickProblem)
Q_DECLARE_METATYPE(Validation::TextProblem)

namespace {

QString repeated(const QString &piece, int times)
{
    return piece.repeated(times);
}

// U+10400 DESERET CAPITAL LETTER LONG I: one letter, one code point, two UTF-16 units.
const QString kAstralLetter = QString::fromUcs4(U"\U00010400", 1);

} // namespace

class TestValidation final : public QObject
{
    Q_OBJECT

private slots:
    void checkNick_data()
    {
        QTest::addColumn<QString>("nick");
        QTest::addColumn<NickProblem>("problem");

        QTest::newRow("ascii") << u"alice"_s << NickProblem::None;
        QTest::newRow("mixed case and digits") << u"Alice99"_s << NickProblem::None;
        QTest::newRow("Korean") << u"민수"_s << NickProblem::None;
        QTest::newRow("Greek") << u"Ωμέγα"_s << NickProblem::None;
        QTest::newRow("Cyrillic") << u"Борис"_s << NickProblem::None;
        QTest::newRow("Arabic") << u"محمد"_s << NickProblem::None;
        QTest::newRow("Japanese") << u"山田さん"_s << NickProblem::None;
        QTest::newRow("Devanagari with vowel signs") << u"हिन्दी"_s << NickProblem::None;
        QTest::newRow("astral-plane letter") << kAstralLetter << NickProblem::None;
        QTest::newRow("digits only") << u"2024"_s << NickProblem::None;
        QTest::newRow("Arabic-Indic digits") << u"علي٣"_s << NickProblem::None;
        QTest::newRow("underscore dash dot") << u"a_b-c.d"_s << NickProblem::None;
        QTest::newRow("only punctuation allowed") << u"_-."_s << NickProblem::None;
        QTest::newRow("one character") << u"x"_s << NickProblem::None;
        QTest::newRow("24 ascii") << repeated(u"a"_s, 24) << NickProblem::None;
        QTest::newRow("24 Korean") << repeated(u"민"_s, 24) << NickProblem::None;
        // Code points, not UTF-16 units: 24 astral letters are 48 units and still fit.
        QTest::newRow("24 astral letters") << repeated(kAstralLetter, 24) << NickProblem::None;
        // Counted after NFC: 24 decomposed é (48 code points) compose to 24.
        QTest::newRow("24 decomposed letters") << repeated(u"e\u0301"_s, 24) << NickProblem::None;

        QTest::newRow("empty") << QString() << NickProblem::Empty;
        QTest::newRow("25 ascii") << repeated(u"a"_s, 25) << NickProblem::TooLong;
        QTest::newRow("25 Korean") << repeated(u"민"_s, 25) << NickProblem::TooLong;
        QTest::newRow("25 astral letters") << repeated(kAstralLetter, 25) << NickProblem::TooLong;
        QTest::newRow("space inside") << u"alice smith"_s << NickProblem::BadCharacter;
        QTest::newRow("leading space") << u" alice"_s << NickProblem::BadCharacter;
        QTest::newRow("trailing space") << u"alice "_s << NickProblem::BadCharacter;
        QTest::newRow("ideographic space") << u"민\u3000수"_s << NickProblem::BadCharacter;
        QTest::newRow("tab") << u"a\tb"_s << NickProblem::BadCharacter;
        QTest::newRow("newline") << u"a\nb"_s << NickProblem::BadCharacter;
        QTest::newRow("NUL") << u"a\u0000b"_s << NickProblem::BadCharacter;
        QTest::newRow("emoji") << u"bob😀"_s << NickProblem::BadCharacter;
        QTest::newRow("only emoji") << u"😀"_s << NickProblem::BadCharacter;
        QTest::newRow("exclamation") << u"bob!"_s << NickProblem::BadCharacter;
        QTest::newRow("at sign") << u"a@b"_s << NickProblem::BadCharacter;
        QTest::newRow("slash") << u"a/b"_s << NickProblem::BadCharacter;
        QTest::newRow("asterisk") << u"*bob*"_s << NickProblem::BadCharacter;
        QTest::newRow("angle brackets") << u"<bob>"_s << NickProblem::BadCharacter;
        QTest::newRow("quote") << u"bob\""_s << NickProblem::BadCharacter;
        QTest::newRow("zero-width space") << u"bo\u200Bb"_s << NickProblem::BadCharacter;
        QTest::newRow("right-to-left override") << u"bo\u202Eb"_s << NickProblem::BadCharacter;
        QTest::newRow("starts with combining mark") << u"\u0301a"_s << NickProblem::StartsWithMark;
    }

    void checkNick()
    {
        QFETCH(QString, nick);
        QFETCH(NickProblem, problem);

        const Validation::NickResult result = Validation::checkNick(nick);
        QCOMPARE(result.problem, problem);
        QCOMPARE(result.isValid(), problem == NickProblem::None);
        QCOMPARE(Validation::describe(result).isEmpty(), problem == NickProblem::None);
    }

    void checkNickNormalizes()
    {
        // Decomposed "José" is shown and stored composed.
        const Validation::NickResult result = Validation::checkNick(u"Jose\u0301"_s);
        QVERIFY(result.isValid());
        QCOMPARE(result.nick, u"José"_s);
        QCOMPARE(result.nick.size(), 4);
    }

    void checkNickNamesTheOffender()
    {
        const Validation::NickResult result = Validation::checkNick(u"bob😀"_s);
        QCOMPARE(result.offending, u"😀"_s);
        QVERIFY(Validation::describe(result).contains(u"😀"_s));
    }

    // Found by fuzz_validation: a message of only U+FEFF passed checkText, but
    // Qt's JSON parser drops a leading U+FEFF, so every client got an empty text.
    void checkTextDropsALeadingByteOrderMark()
    {
        QCOMPARE(Validation::checkText(u"\uFEFF"_s).problem, Validation::TextProblem::Empty);
        QCOMPARE(Validation::checkText(u" \uFEFF\uFEFF hi"_s).text, u"hi"_s);
        QCOMPARE(Validation::checkText(u"a\uFEFFb"_s).text, u"a\uFEFFb"_s);
    }

    // Found by fuzz_validation: QString::fromUcs4() takes a leading U+FEFF for a
    // byte order mark and drops it, which left the offender empty.
    void checkNickNamesAnInvisibleOffender()
    {
        const Validation::NickResult result = Validation::checkNick(u"bob\uFEFF"_s);
        QCOMPARE(result.problem, Validation::NickProblem::BadCharacter);
        QCOMPARE(result.offending, u"\uFEFF"_s);
        QVERIFY(Validation::describe(result).contains(u"\"\uFEFF\""_s));
    }

    void nickKey_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<bool>("same");

        QTest::newRow("Alice alice") << u"Alice"_s << u"alice"_s << true;
        QTest::newRow("ALICE alice") << u"ALICE"_s << u"alice"_s << true;
        QTest::newRow("aLiCe Alice") << u"aLiCe"_s << u"Alice"_s << true;
        QTest::newRow("composed vs decomposed") << u"José"_s << u"Jose\u0301"_s << true;
        QTest::newRow("decomposed upper vs composed lower") << u"JOSE\u0301"_s << u"josé"_s << true;
        QTest::newRow("Greek case") << u"ΣΩΚΡΆΤΗΣ"_s << u"σωκράτης"_s << true;
        QTest::newRow("Greek final sigma") << u"σωκράτης"_s << u"σωκράτησ"_s << true;
        QTest::newRow("Cyrillic case") << u"БОРИС"_s << u"борис"_s << true;
        QTest::newRow("capital sharp s") << u"STRAẞE"_s << u"straße"_s << true;
        // As implemented: QString::toCaseFolded() is Unicode *simple* case folding,
        // under which ß stays ß. Full folding would make these equal.
        QTest::newRow("sharp s vs ss (simple folding)") << u"straße"_s << u"strasse"_s << false;
        QTest::newRow("Korean is caseless") << u"민수"_s << u"민수"_s << true;
        QTest::newRow("different nicks") << u"alice"_s << u"alicia"_s << false;
        QTest::newRow("dot matters") << u"a.b"_s << u"ab"_s << false;
        QTest::newRow("e vs é") << u"jose"_s << u"josé"_s << false;
    }

    void nickKey()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(bool, same);
        QCOMPARE(Validation::nickKey(a) == Validation::nickKey(b), same);
    }

    void nickKeyOfAsciiIsItsLowerCase()
    {
        // ASCII takes a shortcut past the normalizations: the same key as the full path's.
        QCOMPARE(Validation::nickKey(u"Alice_42-[x]{Z}|^`"_s), u"alice_42-[x]{z}|^`"_s);
        QCOMPARE(Validation::nickKey(u"#Lobby"_s), u"#lobby"_s);
        QCOMPARE(Validation::nickKey(u"bob"_s), u"bob"_s);
        QCOMPARE(Validation::nickKey(u"Bob\u00C9"_s), u"bob\u00E9"_s);
    }

    void nickLessThan()
    {
        QStringList nicks{u"carol"_s, u"Bob"_s, u"alice2"_s, u"Dave"_s, u"alice"_s, u"민수"_s, u"ALICE"_s};
        std::sort(nicks.begin(), nicks.end(), Validation::nickLessThan);
        // Case-insensitive, ties broken by spelling so the order is total.
        QCOMPARE(nicks, (QStringList{u"ALICE"_s, u"alice"_s, u"alice2"_s, u"Bob"_s, u"carol"_s, u"Dave"_s, u"민수"_s}));
        QVERIFY(!Validation::nickLessThan(u"bob"_s, u"bob"_s));
    }

    void checkText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<TextProblem>("problem");
        QTest::addColumn<QString>("trimmed");

        QTest::newRow("plain") << u"hello"_s << TextProblem::None << u"hello"_s;
        QTest::newRow("Korean") << u"안녕하세요"_s << TextProblem::None << u"안녕하세요"_s;
        QTest::newRow("emoji with ZWJ") << u"👩‍💻 ok"_s << TextProblem::None << u"👩‍💻 ok"_s;
        QTest::newRow("surrounding spaces trimmed") << u"  hi there  "_s << TextProblem::None << u"hi there"_s;
        QTest::newRow("surrounding newlines trimmed") << u"\n\nhi\n"_s << TextProblem::None << u"hi"_s;
        QTest::newRow("LF inside allowed") << u"line one\nline two"_s << TextProblem::None << u"line one\nline two"_s;
        QTest::newRow("TAB inside allowed") << u"a\tb"_s << TextProblem::None << u"a\tb"_s;
        QTest::newRow("4000 characters") << repeated(u"x"_s, 4000) << TextProblem::None << repeated(u"x"_s, 4000);
        QTest::newRow("4000 after trimming")
            << u"  "_s + repeated(u"x"_s, 4000) + u"\n"_s << TextProblem::None << repeated(u"x"_s, 4000);
        QTest::newRow("4000 Korean") << repeated(u"한"_s, 4000) << TextProblem::None << repeated(u"한"_s, 4000);
        QTest::newRow("4000 astral (8000 UTF-16 units)")
            << repeated(u"😀"_s, 4000) << TextProblem::None << repeated(u"😀"_s, 4000);

        QTest::newRow("empty") << QString() << TextProblem::Empty << QString();
        QTest::newRow("spaces only") << u"   "_s << TextProblem::Empty << QString();
        QTest::newRow("whitespace only") << u" \t\n\r "_s << TextProblem::Empty << QString();
        QTest::newRow("4001 characters") << repeated(u"x"_s, 4001) << TextProblem::TooLong << repeated(u"x"_s, 4001);
        QTest::newRow("4001 astral") << repeated(u"😀"_s, 4001) << TextProblem::TooLong << repeated(u"😀"_s, 4001);
        QTest::newRow("CR inside") << u"a\rb"_s << TextProblem::ControlCharacter << u"a\rb"_s;
        QTest::newRow("CRLF inside") << u"a\r\nb"_s << TextProblem::ControlCharacter << u"a\r\nb"_s;
        QTest::newRow("NUL") << u"a\u0000b"_s << TextProblem::ControlCharacter << u"a\u0000b"_s;
        QTest::newRow("ESC") << u"\u001b[31mred"_s << TextProblem::ControlCharacter << u"\u001b[31mred"_s;
        QTest::newRow("BEL") << u"ding\u0007dong"_s << TextProblem::ControlCharacter << u"ding\u0007dong"_s;
        QTest::newRow("DEL") << u"a\u007fb"_s << TextProblem::ControlCharacter << u"a\u007fb"_s;
        QTest::newRow("C1 control") << u"a\u009bb"_s << TextProblem::ControlCharacter << u"a\u009bb"_s;
        QTest::newRow("vertical tab") << u"a\u000bb"_s << TextProblem::ControlCharacter << u"a\u000bb"_s;
        // JSON can spell an unpaired surrogate ("\ud800"), which is no character at all.
        const QString loneHigh = u"a"_s + QChar(0xD800) + u"b"_s;
        const QString loneLow = u"a"_s + QChar(0xDC00);
        QTest::newRow("unpaired high surrogate") << loneHigh << TextProblem::NotUnicode << loneHigh;
        QTest::newRow("unpaired low surrogate") << loneLow << TextProblem::NotUnicode << loneLow;
    }

    void checkText()
    {
        QFETCH(QString, text);
        QFETCH(TextProblem, problem);
        QFETCH(QString, trimmed);

        const Validation::TextResult result = Validation::checkText(text);
        QCOMPARE(result.problem, problem);
        QCOMPARE(result.isValid(), problem == TextProblem::None);
        QCOMPARE(result.text, trimmed);
        QCOMPARE(Validation::describe(result).isEmpty(), problem == TextProblem::None);
    }

    void isValidUtf8_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("valid");

        QTest::newRow("empty") << QByteArray() << true;
        QTest::newRow("ascii") << "hello"_ba << true;
        QTest::newRow("Korean") << u"안녕하세요"_s.toUtf8() << true;
        QTest::newRow("emoji") << u"😀"_s.toUtf8() << true;
        QTest::newRow("U+10FFFF") << "\xf4\x8f\xbf\xbf"_ba << true;
        QTest::newRow("lone continuation byte") << "a\x80z"_ba << false;
        QTest::newRow("0xFF") << "\xff"_ba << false;
        QTest::newRow("0xFE") << "\xfe"_ba << false;
        QTest::newRow("truncated 3-byte sequence") << "\xec\x95"_ba << false;
        QTest::newRow("truncated at end") << "ok\xf0\x9f\x98"_ba << false;
        QTest::newRow("overlong slash") << "\xc0\xaf"_ba << false;
        QTest::newRow("overlong NUL") << "\xc0\x80"_ba << false;
        QTest::newRow("overlong 3-byte") << "\xe0\x80\xaf"_ba << false;
        QTest::newRow("UTF-16 surrogate") << "\xed\xa0\x80"_ba << false;
        QTest::newRow("beyond U+10FFFF") << "\xf4\x90\x80\x80"_ba << false;
        QTest::newRow("Latin-1 text") << "caf\xe9"_ba << false;
    }

    void isValidUtf8()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, valid);
        QCOMPARE(Validation::isValidUtf8(bytes), valid);
    }
};

QTCHAT_TEST_APPLESS_MAIN(TestValidation)
#include "tst_validation.moc"
