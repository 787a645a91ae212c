// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class ChatClient;
class QLabel;
class QToolButton;

// The connection as the status bar shows it: a coloured dot, "Connected to
// host:port as alice", the round-trip time of the last ping, and while the
// connection is down a countdown to the next attempt with "Reconnect now";
// while the user is away, "Away: lunch" (the whole message as its tooltip).
class ConnectionStatus final : public QWidget
{
    Q_OBJECT

public:
    explicit ConnectionStatus(ChatClient *client, QWidget *parent = nullptr);
    ~ConnectionStatus() override;

    QString text() const;
    QString awayText() const; // empty when not away
    QToolButton *reconnectButton() const { return m_reconnect; }

private:
    void refresh();
    void refreshAway();
    void setDotColor(const QColor &color);

    ChatClient *m_client;
    QLabel *m_dot;
    QLabel *m_label;
    QLabel *m_lag;
    QLabel *m_away;
    QToolButton *m_reconnect;
};
