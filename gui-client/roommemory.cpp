// SPDX-License-Identifier: MIT
#include "roommemory.h"

#include "chatclient.h"
#include "conversationlistmodel.h"
#include "validation.h"

#include <QSettings>

using namespace Qt::StringLiterals;

RoomMemory::RoomMemory(ChatClient *client, QSettings *settings, QObject *parent)
    : QObject(parent), m_client(client), m_settings(settings)
{
    connect(m_client, &ChatClient::roomsChanged, this, &RoomMemory::save);
    connect(m_client, &ChatClient::registered, this, &RoomMemory::save);
}

RoomMemory::~RoomMemory() = default;

QString RoomMemory::keyFor(const QString &host, quint16 port, const QString &nick)
{
    // One entry per server and identity, "rooms/localhost_55555_alice"
    // ("/" would open a group; hosts and nicks have none).
    return u"rooms/%1_%2_%3"_s.arg(host.toLower()).arg(port).arg(Validation::nickKey(nick));
}

QStringList RoomMemory::rooms(const QString &host, quint16 port, const QString &nick) const
{
    if (!m_settings)
        return {};
    return m_settings->value(keyFor(host, port, nick)).toStringList();
}

void RoomMemory::prepare(const QString &host, quint16 port, const QString &nick)
{
    const QStringList wanted = rooms(host, port, nick);
    QStringList wantedKeys;
    for (const QString &room : wanted)
        wantedKeys.append(ConversationListModel::keyFor(room));
    // Rooms of another server or nickname are not carried over.
    const QStringList current = m_client->rooms();
    for (const QString &room : current.mid(1)) {
        if (!wantedKeys.contains(ConversationListModel::keyFor(room)))
            m_client->partRoom(room);
    }
    for (const QString &room : wanted) {
        if (!m_client->isInRoom(room))
            m_client->joinRoom(room);
    }
}

void RoomMemory::save()
{
    // Only what the server agreed to: while offline the list is a wish.
    if (!m_settings || m_client->state() != ChatClient::State::Online)
        return;
    const QStringList rooms = m_client->rooms().mid(1);
    const QString key = keyFor(m_client->host(), m_client->port(), m_client->nick());
    if (rooms.isEmpty())
        m_settings->remove(key);
    else
        m_settings->setValue(key, rooms);
}
