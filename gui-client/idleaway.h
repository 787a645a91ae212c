// SPDX-License-Identifier: MIT
#pragma once

#include "clock.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

class ChatClient;

// Auto-away (docs/gui.md, "Presence"): after a stretch without keyboard or
// mouse input anywhere in the application, says the user is away ("Idle"),
// and says they are back at the next input. Only an away it set itself is
// ended by input: one the user asked for (/away, the menu) stays until /back.
class IdleAway final : public QObject
{
    Q_OBJECT

public:
    // Watches the application's input (an event filter on qApp).
    explicit IdleAway(ChatClient *client, QObject *parent = nullptr);
    ~IdleAway() override;

    // Not owned; it must outlive this or be destroyed after it stops being
    // used. nullptr: the steady clock. Idle time counts from now.
    void setClock(Clock *clock);
    // 0 turns auto-away off.
    void setIdleMsecs(int msecs);
    int idleMsecs() const { return m_idleMsecs; }
    // Whether the current away was set here (and input will end it).
    bool isAutomatic() const { return m_automatic; }
    // The message an automatic away carries, in the user's language.
    static QString idleMessage();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    qint64 now() const;
    // Away once idle long enough; until then, wakes up when it would be.
    void check();
    void goAway();
    void onInput();

    ChatClient *m_client;
    Clock m_steady;
    QPointer<Clock> m_clock;
    // Armed for the end of the idle time as of when it was armed; input does
    // not re-arm it (mouse moves come by the hundred), check() does.
    QTimer m_wake;
    qint64 m_lastInput = 0;
    int m_idleMsecs = 0;
    bool m_automatic = false;
};
