// SPDX-License-Identifier: MIT
#include "participant.h"

#include <QCoreApplication>
#include <QInputMethodEvent>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr int kTimeoutMsecs = 5000;

} // namespace

Participant::Participant(quint16 port, const QString &nick) : m_client(std::make_unique<ChatClient>())
{
    m_client->setClientName(u"tst-participant"_s);
    m_client->setSendRate(0, 0);
    QSignalSpy registered(m_client.get(), &ChatClient::registered);
    m_client->connectToServer(u"127.0.0.1"_s, port, nick);
    registered.wait(kTimeoutMsecs);
}

Participant::~Participant() = default;

bool Participant::isOnline() const
{
    return m_client->state() == ChatClient::State::Online;
}

bool Participant::say(const QString &text, bool action)
{
    QSignalSpy echo(m_client.get(), &ChatClient::messageReceived);
    m_client->say(text, action);
    return echo.wait(kTimeoutMsecs);
}

bool Participant::sayIn(const QString &room, const QString &text)
{
    QSignalSpy echo(m_client.get(), &ChatClient::messageReceived);
    m_client->say(text, false, room);
    return echo.wait(kTimeoutMsecs);
}

bool Participant::join(const QString &room)
{
    QSignalSpy entered(m_client.get(), &ChatClient::roomEntered);
    if (!m_client->joinRoom(room).isEmpty())
        return false;
    return entered.wait(kTimeoutMsecs);
}

bool Participant::whisper(const QString &to, const QString &text)
{
    QSignalSpy echo(m_client.get(), &ChatClient::whisperReceived);
    m_client->whisper(to, text);
    return echo.wait(kTimeoutMsecs);
}

void Participant::leave()
{
    QSignalSpy closed(m_client.get(), &ChatClient::closed);
    m_client->disconnectFromServer();
    closed.wait(kTimeoutMsecs);
}

void typeText(QWidget *widget, const QString &text)
{
    QString ascii;
    const auto flushAscii = [&] {
        if (!ascii.isEmpty())
            QTest::keyClicks(widget, ascii);
        ascii.clear();
    };
    for (const QChar c : text) {
        if (c.unicode() < 0x80) {
            ascii += c;
            continue;
        }
        flushAscii();
        QInputMethodEvent commit;
        commit.setCommitString(QString(c));
        QCoreApplication::sendEvent(widget, &commit);
    }
    flushAscii();
}
