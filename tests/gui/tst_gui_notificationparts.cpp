// SPDX-License-Identifier: MIT
#include "chatclient.h"
#include "fakenotifier.h"
#include "notificationlevelmenu.h"
#include "notificationpolicy.h"
#include "notificationsettings.h"
#include "testharness.h"
#include "translations.h"
#include "unreadbadge.h"

#include <QAction>
#include <QApplication>
#include <QImage>
#include <QPixmap>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr int kIconSize = 64;

QIcon plainIcon(const QColor &color)
{
    QPixmap pixmap(kIconSize, kIconSize);
    pixmap.fill(color);
    return QIcon(pixmap);
}

// Some of the top right quarter is the badge's red.
bool hasBadge(const QImage &image)
{
    for (int y = 0; y < image.height() / 2; ++y) {
        for (int x = image.width() / 2; x < image.width(); ++x) {
            const QColor color = image.pixelColor(x, y);
            if (color.red() > 180 && color.green() < 90 && color.blue() < 90)
                return true;
        }
    }
    return false;
}

} // namespace

// The parts of desktop notifications that need no server: the badge on the
// tray icon, NotificationPolicy's bursts and rechecks, the level menu, and
// the choices without a settings file.
class TestGuiNotificationParts final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QCOMPARE(Translations::install(qApp, u"en"_s), u"en_US"_s); }

    void theBadgeShowsTheCount()
    {
        QCOMPARE(UnreadBadge::text(0), QString());
        QCOMPARE(UnreadBadge::text(7), u"7"_s);
        QCOMPARE(UnreadBadge::text(99), u"99"_s);
        QCOMPARE(UnreadBadge::text(100), u"99+"_s);

        const QIcon base = plainIcon(Qt::blue);
        QCOMPARE(UnreadBadge::icon(base, 0).cacheKey(), base.cacheKey());
        for (const int count : {3, 42, 1000}) {
            const QImage image = UnreadBadge::icon(base, count).pixmap(kIconSize, kIconSize).toImage();
            QCOMPARE(image.width(), kIconSize);
            // The badge in the top right corner, the icon elsewhere.
            QVERIFY2(hasBadge(image), qPrintable(QString::number(count)));
            QCOMPARE(image.pixelColor(2, kIconSize - 3), QColor(Qt::blue));
        }
        QVERIFY(!hasBadge(base.pixmap(kIconSize, kIconSize).toImage()));
        // Small tray sizes get their own pixmap with the badge.
        const QImage small = UnreadBadge::icon(base, 5).pixmap(16, 16).toImage();
        QCOMPARE(small.width(), 16);
        QVERIFY(hasBadge(small));
    }

    void aBurstIsOneNotification()
    {
        ChatClient client;
        NotificationSettings settings(&client, nullptr);
        NotificationPolicy policy(&client, &settings);
        FakeNotifier notifier;
        policy.setNotifier(&notifier);
        policy.consider({u"#dev"_s, u"bob"_s, u"alice: first"_s, true, false});
        policy.consider({u"#dev"_s, u"carol"_s, u"plain, not for a mentions-only room"_s, false, false});
        policy.consider({u"carol"_s, u"carol"_s, u"and a whisper"_s, false, true});
        policy.consider({u"#dev"_s, u"carol"_s, QString(500, u'x'), true, false});
        QTRY_COMPARE(notifier.shown().size(), 1);
        const FakeNotifier::Shown &shown = notifier.shown().constFirst();
        QCOMPARE(shown.title, u"3 new messages"_s);
        QVERIFY(shown.body.startsWith(u"carol in #dev: xxx"_s));
        QVERIFY(shown.body.endsWith(u"x…"_s)); // long texts are cut
        QCOMPARE(shown.conversation, u"#dev"_s);
        QCOMPARE(notifier.alerts(), 1);
    }

    void whatChangesBeforeTheBurstIsSentCounts()
    {
        ChatClient client;
        NotificationSettings settings(&client, nullptr);
        NotificationPolicy policy(&client, &settings);
        FakeNotifier notifier;
        policy.setNotifier(&notifier);
        bool active = false;
        policy.setWindowActive([&active] { return active; });

        policy.consider({u"bob"_s, u"bob"_s, u"one"_s, false, true});
        settings.setDoNotDisturb(true); // before the end of the event-loop turn
        policy.consider({u"bob"_s, u"bob"_s, u"two"_s, false, true});
        settings.setDoNotDisturb(false);
        policy.consider({u"bob"_s, u"bob"_s, u"three"_s, false, true});
        active = true;
        QCoreApplication::processEvents();
        QVERIFY(notifier.shown().isEmpty());
        QCOMPARE(notifier.alerts(), 0);

        active = false;
        policy.consider({u"bob"_s, u"bob"_s, u"four"_s, false, true});
        QTRY_COMPARE(notifier.shown().size(), 1);
        QCOMPARE(notifier.shown().constFirst().title, u"bob whispers"_s);
        QCOMPARE(notifier.shown().constFirst().body, u"four"_s);
    }

    void theLevelMenuShowsAndStoresTheChoice()
    {
        ChatClient client;
        NotificationSettings settings(&client, nullptr); // choices last for the session
        NotificationLevelMenu room(u"#dev"_s, &settings);
        QCOMPARE(room.title(), u"&Notifications"_s);
        QVERIFY(room.actionFor(NotificationLevel::MentionsOnly)->isChecked());
        QVERIFY(!room.actionFor(NotificationLevel::AllMessages)->isChecked());
        room.actionFor(NotificationLevel::Nothing)->trigger();
        QCOMPARE(settings.level(u"#dev"_s), NotificationLevel::Nothing);
        QVERIFY(room.actionFor(NotificationLevel::Nothing)->isChecked());
        QVERIFY(!room.actionFor(NotificationLevel::MentionsOnly)->isChecked());

        const NotificationLevelMenu person(u"bob"_s, &settings);
        QVERIFY(person.actionFor(NotificationLevel::AllMessages)->isChecked());

        QVERIFY(!settings.doNotDisturb());
        settings.doNotDisturbAction()->trigger();
        QVERIFY(settings.doNotDisturb());
        settings.setDoNotDisturb(false);
        QVERIFY(!settings.doNotDisturbAction()->isChecked());
    }
};

QTCHAT_TEST_MAIN(TestGuiNotificationParts)
#include "tst_gui_notificationparts.moc"
