// SPDX-License-Identifier: MIT
// Room's `say`: checked at once, then posted at once, or, when the backend
// batches posts (ClusterRoomBackend, one Redis pipeline per call), queued and
// posted with the others of the same batch of requests in one call
// (docs/architecture.md, "Posts in one round trip").
//
// Replies to one connection keep the order of its requests because the
// queue is flushed before anything that is not a member's `say`
// (Room::handle), before a member leaves (removeMember), and after each
// batch (RoomInbox::drain); a queued post's answer (an error, or nothing:
// the message comes back from the backend) is sent at the flush, before any
// later request is handled. When the backend answers a batch later
// (startPostAll), RoomInbox holds back what must come after its answers
// (mustWait) until they were sent. A hello's claim, a whisper, a kick or a
// shared event answered later is the other thing that may be in flight
// (roomanswers.cpp); never both at once.
#include "room.h"

#include "frametypename.h"
#include "timestamp.h"
#include "validation.h"

#include <QLoggingCategory>

#include <utility>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_DECLARE_LOGGING_CATEGORY(lcRoom)

bool Room::isSay(const Wire::Request &request)
{
    const auto *frame = std::get_if<ClientFrame>(&request.body);
    return frame && std::holds_alternative<Say>(*frame);
}

void Room::say(const Requester &from, const Say &say)
{
    // Slow mode's check depends on this connection's previous post having
    // been made (Moderation::posted after it succeeds): when that one is
    // still queued, it is posted first. Nothing else a `say` checks changes
    // between two says of one batch (rooms, mutes and slow mode itself change
    // through other requests or the backend's events, which come after a flush).
    if (m_moderation.slowSeconds() > 0 && (m_queuedFrom.contains(from.id) || m_inFlightFrom.contains(from.id)))
        settlePosts();
    const std::optional<RoomName> room = memberRoomFor(from, say.room, typeName<Say>());
    if (!room || !mayPost(from, typeName<Say>(), true))
        return;
    const Validation::TextResult text = Validation::checkText(say.text);
    if (!text.isValid()) {
        reply(from, Error{ErrorCode::TextInvalid, Validation::describe(text), typeName<Say>()});
        return;
    }
    // Sent to the room when the backend says it was posted (apply()).
    const QString roomName = room->isLobby() ? lobby() : m_members.value(from.id).rooms.value(room->key, room->name);
    const ChatMessage message{0, from.nick, text.text, Timestamp::now(), say.action, roomName};
    if (m_backend->batchesPosts()) {
        queuePost(from, MessageLog::Post{message, Validation::isCid(say.cid) ? say.cid : QString()});
        return;
    }
    answerPost(from, m_backend->post(message));
}

void Room::queuePost(const Requester &from, const MessageLog::Post &post)
{
    m_queuedPosts.append(QueuedPost{from, post});
    m_queuedFrom.insert(from.id);
    if (m_queuedPosts.size() >= kMaxPostsPerFlush) {
        flushPosts();
        return;
    }
    // RoomInbox flushes after its batch; this covers a caller that does not.
    scheduleFlush();
}

void Room::scheduleFlush()
{
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_flushScheduled = false;
            // The answers of the batch or claim in flight schedule this again.
            if (!inFlight())
                flushPosts();
        },
        Qt::QueuedConnection);
}

bool Room::mustWait(Wire::ConnectionId id, Wire::Mode mode, const Wire::Request *request) const
{
    // Everything comes after an answer in flight (roomanswers.cpp): a later
    // request of the same connection must not overtake it (a whisper's
    // no-such-user, a hello's welcome), and the simple rule for all
    // connections keeps the one order obvious. Only another connection's
    // hello may be claimed beside hellos' claims in flight.
    if (m_answersInFlight > 0)
        return !mayOverlapClaims(id, mode, request);
    if (!m_postsInFlight && m_queuedPosts.isEmpty())
        return false;
    // What is not a member's `say` is answered after the posts before it
    // (handle(), removeMember()), and a say in slow mode checks its
    // previous post (say()); a post that fills the queue waits for the batch
    // in flight (flushPosts()).
    if (!request || !isSay(*request) || !m_members.contains(id))
        return true;
    if (m_postsInFlight && m_queuedPosts.size() + 1 >= kMaxPostsPerFlush)
        return true;
    return m_moderation.slowSeconds() > 0 && (m_queuedFrom.contains(id) || m_inFlightFrom.contains(id));
}

void Room::settlePosts()
{
    flushPosts();
    if (m_postsInFlight)
        m_backend->finishPosts();
}

void Room::flushPosts()
{
    // One batch at a time, so the ids follow the order the posts were said.
    if (m_postsInFlight)
        m_backend->finishPosts();
    Q_ASSERT(!m_postsInFlight);
    if (m_queuedPosts.isEmpty())
        return;
    // One thing in flight at a time: a claim's answer first.
    settleAnswer();
    // Taken first: answering may lead back here.
    QList<QueuedPost> posts = std::exchange(m_queuedPosts, {});
    m_queuedFrom.clear();
    QList<MessageLog::Post> batch;
    batch.reserve(posts.size());
    for (const QueuedPost &queued : std::as_const(posts)) {
        batch.append(queued.post);
        m_inFlightFrom.insert(queued.from.id);
    }
    ++m_batchesStarted;
    m_postsInFlight = true;
    const auto answered = [this, posts](const QList<RoomBackend::Posted> &results) {
        m_postsInFlight = false;
        m_inFlightFrom.clear();
        answerPosts(posts, results);
        // Said while this batch was in flight: the next batch.
        if (!m_queuedPosts.isEmpty())
            scheduleFlush();
    };
    if (m_backend->startPostAll(batch, answered))
        return;
    m_postsInFlight = false;
    m_inFlightFrom.clear();
    answerPosts(posts, m_backend->postAll(batch));
}

void Room::answerPosts(const QList<QueuedPost> &posts, const QList<RoomBackend::Posted> &results)
{
    Q_ASSERT(results.size() == posts.size());
    // Also when answered at once: requests counted as waiting for this
    // batch are then counted handled (RoomInbox), wherever the flush ran.
    emit inFlightAnswering();
    for (qsizetype i = 0; i < posts.size(); ++i)
        answerPost(posts.at(i).from, results.at(i));
    ++m_batchesAnswered;
    emit inFlightAnswered();
}

void Room::answerPost(const Requester &from, const RoomBackend::Posted &posted)
{
    if (const auto *failed = std::get_if<RoomBackend::Outcome>(&posted)) {
        if (*failed == RoomBackend::Outcome::NotStored)
            reply(from, Error{ErrorCode::StoreFailed,
                              u"the server could not store your message, so it was not sent; try again later"_s,
                              typeName<Say>()});
        else
            replyUnavailable(from, typeName<Say>());
        return;
    }
    if (const auto *repeated = std::get_if<MessageLog::Repeated>(&posted)) {
        // Posted before (its first attempt's answer was lost): the echo that
        // attempt would have brought, to its author alone.
        reply(from, repeated->message);
        return;
    }
    const ChatMessage &message = std::get<ChatMessage>(posted);
    m_moderation.posted(from.id);
    qCDebug(lcRoom).noquote() << "message" << message.id << "from" << message.from << ":" << message.text;
}
