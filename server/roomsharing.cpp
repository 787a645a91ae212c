// SPDX-License-Identifier: MIT
// Room's part in a room shared through Redis (--redis; docs/architecture.md,
// "Scale-out through Redis"): joining it, and acting on what the stream says
// happened, in the stream's order.
#include "room.h"

#include "cluster.h"
#include "timestamp.h"
#include "validation.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_DECLARE_LOGGING_CATEGORY(lcRoom)

std::optional<QString> Room::start()
{
    if (!m_cluster)
        return std::nullopt;
    const int capacity = MemoryMessageLog::capacityFor(m_config.history);
    auto joined = m_cluster->join(capacity);
    if (const auto *error = std::get_if<QString>(&joined))
        return *error;
    const Cluster::Snapshot &snapshot = std::get<Cluster::Snapshot>(joined);
    for (const auto &[key, nick] : snapshot.roster)
        m_roster.add(key, nick);
    for (const QString &key : snapshot.ops)
        m_roster.setOp(key);
    m_moderation.setSlowSeconds(snapshot.slowSeconds);
    for (const auto &[key, until] : snapshot.mutes) {
        if (const qint64 left = msecsUntil(until); left > 0)
            m_moderation.mute(key, left);
    }
    m_recent = std::make_unique<MemoryMessageLog>(capacity);
    // The messages up to the snapshot; those after it come from the stream.
    for (const ChatMessage &message : snapshot.recent)
        m_recent->insert(message);
    m_recent->continueFrom(snapshot.newestMessageId + 1);
    m_cluster->follow(snapshot.lastEntryId);
    return std::nullopt;
}

void Room::stop()
{
    if (!m_cluster)
        return;
    for (auto it = m_members.cbegin(); it != m_members.cend(); ++it)
        m_cluster->release(Validation::nickKey(it->nick), Left{it->nick, LeaveReason::Shutdown, Timestamp::now()});
    m_cluster->leaveCluster();
    m_leftCluster = true;
}

QList<std::pair<QString, QString>> Room::localUsers() const
{
    QList<std::pair<QString, QString>> users;
    users.reserve(m_members.size());
    for (const Member &member : m_members)
        users.append({Validation::nickKey(member.nick), member.nick});
    return users;
}

void Room::applyShared(const QList<RoomStream::Entry> &entries)
{
    for (const RoomStream::Entry &entry : entries) {
        switch (entry.kind) {
        case RoomStream::Kind::Message: {
            const auto &message = std::get<ChatMessage>(entry.frame);
            if (message.id < m_recent->nextId())
                break; // already read (the start-up snapshot)
            m_recent->insert(message);
            publish(message);
            break;
        }
        case RoomStream::Kind::Whisper:
            applyWhisper(entry);
            break;
        case RoomStream::Kind::Kick:
            if (const auto *bye = std::get_if<ServerBye>(&entry.frame); bye && m_idByKey.contains(entry.target))
                kickHere(m_idByKey.value(entry.target), *bye);
            break;
        case RoomStream::Kind::Event:
            applyEvent(entry);
            break;
        }
    }
}

void Room::applyEvent(const RoomStream::Entry &entry)
{
    const ServerFrame &frame = entry.frame;
    Wire::ConnectionId except = 0;
    if (const auto *joined = std::get_if<Joined>(&frame)) {
        m_roster.add(Validation::nickKey(joined->nick), joined->nick);
        const auto member = m_members.constFind(entry.connection);
        if (entry.instance == m_cluster->instanceId() && member != m_members.cend() && member->awaitingWelcome) {
            sendWelcome(entry.connection);
            except = entry.connection;
        }
    } else if (const auto *left = std::get_if<Left>(&frame)) {
        m_roster.remove(Validation::nickKey(left->nick));
    } else if (const auto *renamed = std::get_if<Renamed>(&frame)) {
        m_roster.rename(Validation::nickKey(renamed->from), Validation::nickKey(renamed->to), renamed->to);
        m_moderation.renamed(Validation::nickKey(renamed->from), Validation::nickKey(renamed->to));
    } else if (const auto *opped = std::get_if<Opped>(&frame)) {
        m_roster.setOp(Validation::nickKey(opped->nick));
    } else {
        applyModeration(frame);
    }
    publish(frame, except);
}

void Room::sendWelcome(Wire::ConnectionId id)
{
    Member &member = m_members[id];
    member.awaitingWelcome = false;
    queueWelcome(member.worker, id, Wire::encode(member.mode, welcomeFor(member.nick, member.since), member.nick));
    for (const QByteArray &bytes : std::as_const(member.held))
        send(member.worker, id, bytes);
    member.held.clear();
    setMember(member.worker, id, true);
}

void Room::applyWhisper(const RoomStream::Entry &entry)
{
    const auto *whisper = std::get_if<WhisperMessage>(&entry.frame);
    if (!whisper)
        return;
    const Wire::ConnectionId recipient = m_idByKey.value(entry.target);
    if (recipient != 0) {
        const Member &member = m_members[recipient];
        deliver(recipient, member.worker, Wire::encode(member.mode, *whisper, member.nick));
    }
    // The sender's copy, from the stream too: it shows the whisper went out.
    if (entry.instance != m_cluster->instanceId() || entry.connection == recipient)
        return;
    const auto sender = m_members.constFind(entry.connection);
    if (sender != m_members.cend())
        deliver(entry.connection, sender->worker, Wire::encode(sender->mode, *whisper, sender->nick));
}

void Room::dropLostNicknames(const QStringList &keys)
{
    for (const QString &key : keys) {
        const Wire::ConnectionId id = m_idByKey.value(key);
        if (id == 0)
            continue;
        const Member member = m_members.value(id);
        qCWarning(lcRoom).noquote() << member.nick << "lost the nickname to another instance while Redis was away";
        removeMember(id, LeaveReason::Disconnected, {});
        closeAfter(member.worker, id,
                   Wire::encode(member.mode,
                                Error{ErrorCode::NickTaken,
                                      u"while this server could not reach the others, someone else took the "
                                      u"nickname %1; connect again with another one"_s.arg(member.nick),
                                      {}},
                                member.nick));
    }
}
