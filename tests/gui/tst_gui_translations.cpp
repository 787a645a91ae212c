// SPDX-License-Identifier: MIT
#include "commandparser.h"
#include "connectdialog.h"
#include "eventtext.h"
#include "testharness.h"
#include "translations.h"
#include "validation.h"

#include <QFile>
#include <QLibraryInfo>
#include <QProcess>
#include <QPushButton>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace {

constexpr int kProcessTimeoutMsecs = 20000;

// chat-gui --help in a child process, with the given extra arguments and environment.
QString helpOutput(const QStringList &arguments, const QStringList &environment)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    for (const QString &assignment : environment)
        env.insert(assignment.section(u'=', 0, 0), assignment.section(u'=', 1));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(QTCHAT_GUI_BINARY), arguments + QStringList{u"--help"_s});
    if (!process.waitForFinished(kProcessTimeoutMsecs))
        return {};
    return QString::fromUtf8(process.readAllStandardOutput());
}

} // namespace

// The user interface languages: Korean under --lang ko or a Korean system
// locale, English plural forms, Qt's own Korean strings, and a Korean .ts
// with nothing left untranslated.
class TestTranslations final : public QObject
{
    Q_OBJECT

private slots:
    void shipsEnglishAndKorean()
    {
        const QStringList languages = Translations::available();
        QVERIFY2(languages.contains(u"en"_s) && languages.contains(u"ko"_s), qPrintable(languages.join(u' ')));
    }

    void koreanStringsAppear()
    {
        QCOMPARE(Translations::install(qApp, u"ko"_s), u"ko_KR"_s);
        QCOMPARE(QCoreApplication::translate("ConnectDialog", "&Connect"), u"연결(&C)"_s);

        ConnectDialog dialog(nullptr);
        QCOMPARE(dialog.connectButton()->text(), u"연결(&C)"_s);
        QCOMPARE(dialog.windowTitle(), u"연결 — qtchat"_s);

        // Strings of the shared layer, in their contexts.
        Validation::NickResult tooLong = Validation::checkNick(QString(30, u'a'));
        QCOMPARE(Validation::describe(tooLong), u"닉네임은 최대 24자입니다."_s);
        QCOMPARE(Validation::describe(Validation::checkRoom(QString(40, u'a').prepend(u'#'))),
                 u"방 이름은 # 뒤에 최대 32자입니다."_s);
        QCOMPARE(EventText::leaveReasonText(Protocol::LeaveReason::Quit), u"나감"_s);
        // One sentence, for the GUI's rows and the console's "* " lines alike.
        QCOMPARE(EventText::kickedSentence(u"alice"_s, {}), u"alice님이 당신을 강퇴했습니다."_s);
        QCOMPARE(EventText::kickedText(u"alice"_s, {}), u"* alice님이 당신을 강퇴했습니다."_s);
        // A session taken over with its resume token says why it does not reconnect.
        Protocol::ServerBye resumed;
        resumed.reason = Protocol::kResumedByeReason.toString();
        QCOMPARE(
            EventText::goodbyeSentence(resumed),
            u"다른 연결이 이 세션의 재개 토큰으로 닉네임을 되찾았습니다. 이 연결은 닫히며 다시 연결하지 않습니다."_s);
        // Moderation notices of the GUI and the console's lines, from the same sentence.
        const Protocol::Muted muted{u"bob"_s, u"alice"_s, 5, {}, {}};
        QCOMPARE(EventText::mutedSentence(muted), u"alice님이 bob님을 5분 동안 음소거했습니다"_s);
        // The help is CommandGrammar's table, arguments and summaries translated.
        const QString help = CommandParser::helpText();
        QVERIFY2(help.contains(u"  /nick 이름"_s) && help.contains(u"닉네임 바꾸기"_s), qPrintable(help));
        QVERIFY2(help.startsWith(u"명령어:\n"_s), qPrintable(help));
        QCOMPARE(QCoreApplication::translate("NewMessagesButton", "%n new message(s)", nullptr, 3), u"새 메시지 3개"_s);
    }

    void qtsOwnKoreanStringsWhenInstalled()
    {
        const QString qtbase = QLibraryInfo::path(QLibraryInfo::TranslationsPath) + u"/qtbase_ko.qm"_s;
        QTCHAT_REQUIRE(QFile::exists(qtbase), "Qt's own Korean translations (Debian package qt6-translations-l10n)");
        Translations::install(qApp, u"ko"_s);
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), u"취소"_s);
    }

    void englishHasPluralForms()
    {
        Translations::install(qApp, u"en"_s);
        QCOMPARE(QCoreApplication::translate("NewMessagesButton", "%n new message(s)", nullptr, 1), u"1 new message"_s);
        QCOMPARE(QCoreApplication::translate("NewMessagesButton", "%n new message(s)", nullptr, 2),
                 u"2 new messages"_s);
        QCOMPARE(QCoreApplication::translate("ConnectDialog", "&Connect"), u"&Connect"_s);
    }

    void replacingTheLanguageRemovesTheOldOne()
    {
        Translations::install(qApp, u"ko"_s);
        Translations::install(qApp, u"en"_s);
        QCOMPARE(QCoreApplication::translate("ConnectDialog", "&Connect"), u"&Connect"_s);
    }

    void langOptionForcesKorean()
    {
        const QString help = helpOutput({u"--lang"_s, u"ko"_s}, {u"LC_ALL=C.UTF-8"_s, u"LANG=C.UTF-8"_s});
        QVERIFY2(help.contains(u"미리 채울 서버 호스트입니다."_s), qPrintable(help));
    }

    void followsTheSystemLocale()
    {
        const QString korean = helpOutput({}, {u"LC_ALL=ko_KR.UTF-8"_s, u"LANG=ko_KR.UTF-8"_s});
        QVERIFY2(korean.contains(u"미리 채울 서버 호스트입니다."_s), qPrintable(korean));
        const QString english = helpOutput({}, {u"LC_ALL=C.UTF-8"_s, u"LANG=C.UTF-8"_s});
        QVERIFY2(english.contains(u"Server host to fill in."_s), qPrintable(english));
    }

    void koreanTranslationIsComplete()
    {
        QFile file(QStringLiteral(QTCHAT_KO_TS));
        QVERIFY(file.open(QIODevice::ReadOnly));
        // Every <message> needs a finished, non-empty <translation> (or numerus forms).
        QXmlStreamReader xml(&file);
        QStringList missing;
        int messages = 0;
        QString source;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == u"message") {
                ++messages;
            } else if (xml.name() == u"source") {
                source = xml.readElementText();
            } else if (xml.name() == u"translation") {
                const bool unfinished = xml.attributes().value(u"type"_s) == u"unfinished";
                const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                if (unfinished || text.trimmed().isEmpty())
                    missing.append(source);
            }
        }
        QVERIFY(!xml.hasError());
        QVERIFY(messages > 100);
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(u" | "_s)));
    }
};

QTCHAT_TEST_MAIN(TestTranslations)
#include "tst_gui_translations.moc"
