// SPDX-License-Identifier: MIT
#pragma once

#include "desktopnotifier.h"

#include <QList>

// A DesktopNotifier for the tests: records what would have been shown and
// how often the taskbar was alerted; click() is the user clicking a notification.
class FakeNotifier final : public DesktopNotifier
{
    Q_OBJECT

public:
    struct Shown {
        QString title;
        QString body;
        QString conversation;
    };

    // `withTray` false: as on a desktop without a tray, nothing can be shown.
    explicit FakeNotifier(bool withTray = true, QObject *parent = nullptr);
    ~FakeNotifier() override;

    bool canShow() const override { return m_withTray; }
    void show(const QString &title, const QString &body, const QString &conversation) override;
    void alert() override { ++m_alerts; }

    const QList<Shown> &shown() const { return m_shown; }
    int alerts() const { return m_alerts; }
    // The user clicks notification `index`.
    void click(qsizetype index);

private:
    bool m_withTray;
    QList<Shown> m_shown;
    int m_alerts = 0;
};
