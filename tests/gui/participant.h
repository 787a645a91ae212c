// SPDX-License-Identifier: MIT
#pragma once

#include "chatclient.h"

#include <QString>

#include <memory>

class QWidget;

// Another person in the room for GUI tests: a real ChatClient joined under
// a nickname, waited for without sleeping.
class Participant final
{
public:
    // Connects and waits for `welcome`; check isOnline() afterwards.
    Participant(quint16 port, const QString &nick);
    ~Participant();

    bool isOnline() const;
    ChatClient *client() const { return m_client.get(); }

    // Says something and waits for the server's echo.
    bool say(const QString &text, bool action = false);
    // The same in a room it is in.
    bool sayIn(const QString &room, const QString &text);
    // Joins a room and waits for the server's `room` answer.
    bool join(const QString &room);
    bool whisper(const QString &to, const QString &text);
    // Leaves politely and waits until the connection is closed.
    void leave();

private:
    std::unique_ptr<ChatClient> m_client;
};

// Types `text` into `widget` the way a user would: key clicks for ASCII, and
// input-method commits for everything else (how Hangul arrives from an IME;
// QTest::keyClicks only handles Latin-1).
void typeText(QWidget *widget, const QString &text);
