// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QStringList>

class ChatClient;
class QSettings;

// Remembers the rooms one is in, per server and nickname, in chat-gui's
// settings (group "rooms"), and hands them to the client before it
// connects, so the `hello` joins them again (ROOMS.md, hello.rooms).
class RoomMemory final : public QObject
{
    Q_OBJECT

public:
    RoomMemory(ChatClient *client, QSettings *settings, QObject *parent = nullptr);
    ~RoomMemory() override;

    // The rooms remembered for nick@host:port, #lobby left out.
    QStringList rooms(const QString &host, quint16 port, const QString &nick) const;
    // Before connecting (or registering again) as nick@host:port: the
    // client wants exactly the rooms remembered for it.
    void prepare(const QString &host, quint16 port, const QString &nick);

private:
    static QString keyFor(const QString &host, quint16 port, const QString &nick);
    void save();

    ChatClient *m_client;
    QSettings *m_settings;
};
