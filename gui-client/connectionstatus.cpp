// SPDX-License-Identifier: MIT
#include "connectionstatus.h"

#include "chatclient.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QToolButton>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

const QColor kOnline(40, 170, 80);
const QColor kBusy(230, 160, 20);
const QColor kOffline(210, 60, 50);
// An away message may have 300 characters: the status bar shows its start.
constexpr qsizetype kAwayShownChars = 40;

} // namespace

ConnectionStatus::ConnectionStatus(ChatClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_dot(new QLabel(u"\u25CF"_s, this))
    , m_label(new QLabel(this))
    , m_lag(new QLabel(this))
    , m_away(new QLabel(this))
    , m_reconnect(new QToolButton(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_dot);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_away);
    layout->addWidget(m_lag);
    layout->addWidget(m_reconnect);

    m_dot->setAccessibleName(tr("Connection state"));
    m_label->setAccessibleName(tr("Connection"));
    m_lag->setAccessibleName(tr("Round-trip time"));
    m_away->setAccessibleName(tr("Presence"));
    m_away->hide();
    m_reconnect->setText(tr("Reconnect &Now"));
    m_reconnect->setAccessibleName(tr("Reconnect now"));
    m_reconnect->hide();

    connect(m_reconnect, &QToolButton::clicked, m_client, &ChatClient::reconnectNow);
    connect(m_client, &ChatClient::stateChanged, this, &ConnectionStatus::refresh);
    // The client's own countdown, so the number shown is the wait it keeps.
    connect(m_client, &ChatClient::reconnectCountdownChanged, this, &ConnectionStatus::refresh);
    connect(m_client, &ChatClient::nickChanged, this, &ConnectionStatus::refresh);
    connect(m_client, &ChatClient::awayUsersChanged, this, &ConnectionStatus::refreshAway);
    connect(m_client, &ChatClient::messageQueued, this, &ConnectionStatus::refresh);
    connect(m_client, &ChatClient::outboxDrained, this, &ConnectionStatus::refresh);
    connect(m_client, &ChatClient::pongReceived, this,
            [this](qint64 msecs) { m_lag->setText(tr("Lag: %1 ms").arg(QLocale().toString(msecs))); });
    refresh();
}

ConnectionStatus::~ConnectionStatus() = default;

QString ConnectionStatus::text() const
{
    return m_label->text();
}

QString ConnectionStatus::awayText() const
{
    return m_away->isVisibleTo(this) ? m_away->text() : QString();
}

void ConnectionStatus::refreshAway()
{
    // Shown while offline too: the client says it again after reconnecting.
    const bool away = m_client->isAway() && m_client->state() != ChatClient::State::Disconnected;
    m_away->setVisible(away);
    if (!away)
        return;
    const QString message = m_client->awayMessage();
    if (message.isEmpty()) {
        m_away->setText(tr("Away"));
        m_away->setToolTip(tr("You are away."));
        return;
    }
    const QString shown = message.size() > kAwayShownChars ? message.left(kAwayShownChars - 1) + u'\u2026' : message;
    m_away->setText(tr("Away: %1").arg(shown));
    m_away->setToolTip(tr("You are away: %1").arg(message));
}

void ConnectionStatus::refresh()
{
    const QString address = u"%1:%2"_s.arg(m_client->host()).arg(m_client->port());
    const ChatClient::State state = m_client->state();
    const bool reconnecting = state == ChatClient::State::Reconnecting;
    m_reconnect->setVisible(reconnecting);
    refreshAway();
    if (state != ChatClient::State::Online)
        m_lag->clear();

    QString text;
    switch (state) {
    case ChatClient::State::Online:
        setDotColor(kOnline);
        text = m_client->isEncrypted() ? tr("Connected to %1 as %2, encrypted (TLS)").arg(address, m_client->nick())
                                       : tr("Connected to %1 as %2").arg(address, m_client->nick());
        break;
    case ChatClient::State::Connecting:
        setDotColor(kBusy);
        text = tr("Connecting to %1…").arg(address);
        break;
    case ChatClient::State::Registering:
        setDotColor(kBusy);
        text = tr("Joining as %1…").arg(m_client->nick());
        break;
    case ChatClient::State::Reconnecting: {
        setDotColor(kOffline);
        const int seconds = std::max(0, m_client->secondsUntilReconnect());
        text = tr("Connection lost. Reconnecting in %n second(s)…", nullptr, seconds);
        break;
    }
    case ChatClient::State::Disconnected:
        setDotColor(palette().color(QPalette::PlaceholderText));
        text = tr("Not connected");
        break;
    }
    const int waiting = m_client->unconfirmedCount();
    if (state != ChatClient::State::Online && waiting > 0)
        text += u"  "_s + tr("(%n message(s) waiting to be sent)", nullptr, waiting);
    m_label->setText(text);
    // The fingerprint, to compare with the one chat-server logs.
    m_label->setToolTip(state == ChatClient::State::Online && m_client->isEncrypted()
                            ? tr("Server certificate SHA-256:\n%1").arg(m_client->serverFingerprint())
                            : QString());
    m_dot->setAccessibleDescription(text);
}

void ConnectionStatus::setDotColor(const QColor &color)
{
    QPalette dotPalette = m_dot->palette();
    dotPalette.setColor(QPalette::WindowText, color);
    m_dot->setPalette(dotPalette);
}
