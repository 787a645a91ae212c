// SPDX-License-Identifier: MIT
#pragma once

#include "memorymessagelog.h"
#include "roombackend.h"

#include <QHash>
#include <QSet>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

// A backend that answers as the test says and hands what happened back to
// the room only when the test delivers it (as a shared room does once it
// reads its stream back).
class ScriptedRoomBackend final : public RoomBackend
{
public:
    Outcome claimOutcome = Outcome::Done;
    Outcome postOutcome = Outcome::Done;
    // batchesPosts(): the Room then queues its posts for postAll().
    bool batches = false;
    // startPostAll() takes the batches (with `batches`): each is answered
    // when the test calls completePosts(), or at finishPosts().
    bool postsLater = false;
    // How many times the Room waited for a batch in flight (finishPosts()).
    int finishes = 0;
    // startClaim() takes the claims: each is answered (as claim() would,
    // with claimOutcome) when the test calls completeAnswer(), or at finishAnswer().
    bool claimsLater = false;
    // startRename(), startSendTo() and startShare() take renames, whispers,
    // kicks and shared events the same way (answered as rename(), sendTo()
    // and share() would).
    bool eventsLater = false;
    // How many times the Room waited for an answer in flight (finishAnswer()).
    int answerFinishes = 0;
    // startRelease() takes the releases the same way (answered once released).
    bool releasesLater = false;
    // overlapsClaims(): several claims may be in flight (with claimsLater).
    bool overlaps = false;
    bool overlapsClaims() const override { return overlaps; }
    // The messages of each postAll() call, in order.
    QList<QList<Protocol::ChatMessage>> postBatches;
    QList<Event> pending;
    // The users the room said it serves, asked while each claim was made
    // (as a cluster repairing its claims after an outage asks).
    QList<QList<std::pair<QString, QString>>> localUsersAtClaims;

    void deliverAll()
    {
        const QList<Event> events = std::exchange(pending, {});
        for (const Event &event : events)
            emit happened(event);
    }

    std::variant<State, QString> start() override { return State{}; }
    void stop() override {}
    const MessageLog &history() const override { return m_log; }

    Outcome claim(const QString &key, const QString &nick, Wire::ConnectionId connection, const QByteArray &) override
    {
        localUsersAtClaims.append(localUsers());
        if (claimOutcome == Outcome::Done) {
            m_claims.insert(key);
            pending.append(Event{
                RoomStream::Kind::Event, Protocol::Joined{nick, QDateTime::currentDateTimeUtc()}, connection, {}});
        }
        return claimOutcome;
    }
    bool startClaim(const QString &key, const QString &nick, Wire::ConnectionId connection, const QByteArray &hash,
                    const OutcomeDone &done) override
    {
        return claimsLater && startLater([=, this] { return claim(key, nick, connection, hash); }, done);
    }
    // takeOver() moves a nickname held elsewhere here when the presented
    // hash is this one, as resume.lua does with the hash kept with the claim.
    QByteArray takeOverHash;
    // The `left` of each take-over made, as the Room named the old holder.
    QList<Protocol::Left> takenOver;
    Outcome takeOver(const QString &key, const QString &nick, const QByteArray &presentedHash, const QByteArray &,
                     const Protocol::Left &left, Wire::ConnectionId connection) override
    {
        if (takeOverHash.isEmpty() || presentedHash != takeOverHash)
            return Outcome::Refused;
        m_claims.insert(key);
        takenOver.append(left);
        pending.append(Event{RoomStream::Kind::Event, left, 0, {}});
        pending.append(
            Event{RoomStream::Kind::Event, Protocol::Joined{nick, QDateTime::currentDateTimeUtc()}, connection, {}});
        return Outcome::Done;
    }
    bool startTakeOver(const QString &key, const QString &nick, const QByteArray &presentedHash,
                       const QByteArray &newHash, const Protocol::Left &left, Wire::ConnectionId connection,
                       const OutcomeDone &done) override
    {
        return claimsLater &&
               startLater([=, this] { return takeOver(key, nick, presentedHash, newHash, left, connection); }, done);
    }
    bool startRename(const QString &oldKey, const QString &newKey, const Protocol::Renamed &renamed,
                     const OutcomeDone &done) override
    {
        return eventsLater && startLater([=, this] { return rename(oldKey, newKey, renamed); }, done);
    }
    bool startSendTo(const QString &key, RoomStream::Kind kind, const Protocol::ServerFrame &frame,
                     Wire::ConnectionId from, const OutcomeDone &done) override
    {
        return eventsLater && startLater([=, this] { return sendTo(key, kind, frame, from); }, done);
    }
    bool startShare(const Protocol::ServerFrame &frame, const OutcomeDone &done) override
    {
        return eventsLater && startLater([=, this] { return share(frame); }, done);
    }
    void finishAnswer() override
    {
        ++answerFinishes;
        while (hasAnswerInFlight())
            completeAnswer();
    }
    bool hasAnswerInFlight() const { return !m_answers.empty(); }
    qsizetype answersInFlight() const { return qsizetype(m_answers.size()); }
    bool isClaimed(const QString &key) const { return m_claims.contains(key); }
    // The claim, whisper, kick or event in flight is made as claim(),
    // sendTo() or share() would (its event pending), and answered with that,
    // or with `answer` instead.
    void completeAnswer(std::optional<Outcome> answer = std::nullopt)
    {
        if (m_answers.empty())
            return;
        // The first one sent first, as one Redis connection answers.
        const auto [later, done] = std::move(m_answers.front());
        m_answers.pop_front();
        const Outcome outcome = later();
        done(answer.value_or(outcome));
    }
    Outcome rename(const QString &oldKey, const QString &newKey, const Protocol::Renamed &renamed) override
    {
        m_claims.remove(oldKey);
        m_claims.insert(newKey);
        pending.append(Event{RoomStream::Kind::Event, renamed, 0, {}});
        return Outcome::Done;
    }
    void release(const QString &key, const Protocol::Left &left) override
    {
        m_claims.remove(key);
        pending.append(Event{RoomStream::Kind::Event, left, 0, {}});
    }
    bool startRelease(const QString &key, const Protocol::Left &left, const OutcomeDone &done) override
    {
        return releasesLater && startLater(
                                    [=, this] {
                                        release(key, left);
                                        return Outcome::Done;
                                    },
                                    done);
    }
    Posted post(const Protocol::ChatMessage &message) override
    {
        if (postOutcome != Outcome::Done)
            return postOutcome;
        const Protocol::ChatMessage stored = std::get<Protocol::ChatMessage>(m_log.append(message));
        pending.append(Event{RoomStream::Kind::Message, stored, 0, {}});
        return stored;
    }
    QList<Posted> postAll(const QList<MessageLog::Post> &posts) override
    {
        recordBatch(posts);
        return RoomBackend::postAll(posts);
    }
    bool startPostAll(const QList<MessageLog::Post> &posts, const PostsDone &done) override
    {
        if (!postsLater)
            return false;
        Q_ASSERT(!m_done);
        Q_ASSERT(m_answers.empty()); // one thing in flight at a time
        recordBatch(posts);
        m_inFlight = posts;
        m_done = done;
        return true;
    }
    void finishPosts() override
    {
        ++finishes;
        completePosts();
    }
    bool hasPostsInFlight() const { return bool(m_done); }
    // The batch in flight is answered as postAll() would, or each post with `outcome`.
    void completePosts(std::optional<Outcome> outcome = std::nullopt)
    {
        if (!m_done)
            return;
        const PostsDone done = std::exchange(m_done, {});
        const QList<MessageLog::Post> posts = std::exchange(m_inFlight, {});
        if (!outcome) {
            done(RoomBackend::postAll(posts));
            return;
        }
        done(QList<Posted>(posts.size(), Posted{*outcome}));
    }
    bool batchesPosts() const override { return batches; }
    Outcome share(const Protocol::ServerFrame &frame) override
    {
        pending.append(Event{RoomStream::Kind::Event, frame, 0, {}});
        return Outcome::Done;
    }
    Outcome sendTo(const QString &key, RoomStream::Kind kind, const Protocol::ServerFrame &frame,
                   Wire::ConnectionId from) override
    {
        if (!m_claims.contains(key))
            return Outcome::Refused;
        pending.append(Event{kind, frame, from, key});
        return Outcome::Done;
    }

    // Rooms: what was asked is queued like everything else, as a cluster
    // hears its own room events back later.
    Outcome joinRoom(const QString &roomKey, const QString &nickKey, const Protocol::Joined &joined,
                     Wire::ConnectionId connection, int maxRooms) override
    {
        if (!m_rooms.contains(roomKey) && m_rooms.size() >= maxRooms)
            return Outcome::Refused;
        auto &room = m_rooms[roomKey];
        if (room.record.name.isEmpty())
            room.record.name = joined.room;
        room.members.append({nickKey, joined.nick});
        Protocol::Joined event = joined;
        event.room = room.record.name;
        pending.append(Event{RoomStream::Kind::Event, event, connection, {}});
        return Outcome::Done;
    }
    Outcome partRoom(const QString &roomKey, const QString &nickKey, const Protocol::Left &left) override
    {
        auto &members = m_rooms[roomKey].members;
        members.removeIf([&nickKey](const auto &member) { return member.first == nickKey; });
        if (members.isEmpty())
            m_rooms.remove(roomKey);
        pending.append(Event{RoomStream::Kind::Event, left, 0, {}});
        return Outcome::Done;
    }
    Outcome setTopic(const QString &roomKey, const Protocol::TopicChanged &topic) override
    {
        m_rooms[roomKey].record.topic = topic.topic;
        pending.append(Event{RoomStream::Kind::Event, topic, 0, {}});
        return Outcome::Done;
    }
    // With eventsLater, joins, parts and topics are taken as whispers are.
    bool startJoinRoom(const QString &roomKey, const QString &nickKey, const Protocol::Joined &joined,
                       Wire::ConnectionId connection, int maxRooms, const OutcomeDone &done) override
    {
        return eventsLater &&
               startLater([=, this] { return joinRoom(roomKey, nickKey, joined, connection, maxRooms); }, done);
    }
    bool startPartRoom(const QString &roomKey, const QString &nickKey, const Protocol::Left &left,
                       const OutcomeDone &done) override
    {
        return eventsLater && startLater([=, this] { return partRoom(roomKey, nickKey, left); }, done);
    }
    bool startSetTopic(const QString &roomKey, const Protocol::TopicChanged &topic, const OutcomeDone &done) override
    {
        return eventsLater && startLater([=, this] { return setTopic(roomKey, topic); }, done);
    }
    // With eventsLater, a hello's rooms are counted later too (the count as
    // countRooms() makes it when answered).
    bool startCountRooms(const QStringList &roomKeys, const CountDone &done) override
    {
        auto count = std::make_shared<RoomCount>();
        return eventsLater && startLater(
                                  [=, this] {
                                      *count = countRooms(roomKeys);
                                      return Outcome::Done;
                                  },
                                  [count, done](Outcome) { done(*count); });
    }
    std::optional<RoomSnapshot> room(const QString &roomKey) const override
    {
        if (!m_rooms.contains(roomKey))
            return std::nullopt;
        return m_rooms.value(roomKey);
    }
    QList<Protocol::RoomInfo> rooms() const override
    {
        QList<Protocol::RoomInfo> list;
        for (const RoomSnapshot &room : m_rooms)
            list.append(Protocol::RoomInfo{room.record.name, int(room.members.size()), room.record.topic});
        return list;
    }

private:
    bool startLater(std::function<Outcome()> later, const OutcomeDone &done)
    {
        Q_ASSERT(m_answers.empty() || overlaps);
        Q_ASSERT(!m_done); // one thing in flight at a time
        m_answers.emplace_back(std::move(later), done);
        return true;
    }
    void recordBatch(const QList<MessageLog::Post> &posts)
    {
        QList<Protocol::ChatMessage> messages;
        for (const MessageLog::Post &post : posts)
            messages.append(post.message);
        postBatches.append(messages);
    }

    MemoryMessageLog m_log{MemoryMessageLog::capacityFor(Protocol::kDefaultHistory)};
    QSet<QString> m_claims;
    QHash<QString, RoomSnapshot> m_rooms;
    QList<MessageLog::Post> m_inFlight;
    PostsDone m_done;
    std::deque<std::pair<std::function<Outcome()>, OutcomeDone>> m_answers; // in flight, in the order sent
};
