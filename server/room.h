// SPDX-License-Identifier: MIT
#pragma once

#include "broadcast.h"
#include "messagelog.h"
#include "moderation.h"
#include "replychannel.h"
#include "roombackend.h"
#include "roster.h"
#include "serverconfig.h"
#include "wire.h"

#include <QHash>
#include <QMap>
#include <QObject>
#include <QSet>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <variant>

// The server's single ordering point: who is on the server, under which
// nickname, which rooms they are in (#lobby, where everyone is, and the
// rooms of ROOMS.md), and the one order in which everything happens. It lives in
// the main thread; workers hand it requests through queued signals, and it
// answers through each one's ReplyChannel, so everything reaching one
// connection keeps the order in which the room decided it.
//
// The room decides here (checks, moderation rights); its RoomBackend carries
// it out (nickname claims, messages, events) and tells it what happened, in
// the room's one order: at once for a room of one server, or as read back
// from the Redis stream when a cluster of servers serves it (--redis;
// docs/architecture.md, "Cluster: several servers through Redis"). The room acts on what it
// is told (state, broadcasts), its own events included, the same either way.
class Room final : public QObject
{
    Q_OBJECT

public:
    // The characters (UTF-16 units) of text and sender names a resuming
    // `welcome` carries at most: about 3 MiB of UTF-8 at worst, within the
    // default 4 MiB send queue and the 16 MiB line the project's clients accept.
    static constexpr qsizetype kMaxResumeTextChars = 1024 * 1024;
    // About the largest `welcome` this configuration can send, in bytes: a
    // full history of the longest messages, or the largest resume.
    static qsizetype largestWelcomeBytes(const ServerConfig &config);

    Room(const ServerConfig &config, std::unique_ptr<RoomBackend> backend, QObject *parent = nullptr);
    ~Room() override;

    // Before the server listens: joins the room (with --redis, the
    // cluster's). Why it cannot, as a sentence.
    std::optional<QString> start();
    // At shutdown: this server's users leave the cluster (with --redis).
    void stop();

    // A member's `say` may be queued, not posted at once, when the backend
    // batches posts (roomposts.cpp): flushPosts() then posts it. A `hello`'s
    // nickname claim, a whisper, a kick or a shared event may be answered
    // later (roomanswers.cpp): the request goes on then, between
    // inFlightAnswering() and inFlightAnswered().
    void handle(Wire::ConnectionId id, ReplyChannel *channel, Wire::Mode mode, const Wire::Request &request);
    // Posts the queued `say`s in one backend call and answers each one's
    // requester. RoomInbox calls it after each batch of requests; it also
    // runs on its own from the event loop, so no post waits for long. When
    // the backend posts without waiting (RoomBackend::startPostAll) the
    // answers come later, between inFlightAnswering() and inFlightAnswered();
    // a flush while a batch or an answer is in flight first waits for it.
    void flushPosts();
    bool postsInFlight() const { return m_postsInFlight; }
    bool answerInFlight() const { return m_answersInFlight > 0; }
    // A batch of posts or answers: never both, each settles the other first.
    bool inFlight() const { return m_postsInFlight || m_answersInFlight > 0; }
    // True when `request` of `id` (null: its leave) must be answered after
    // what is queued or in flight: after an answer in flight (a hello's
    // claim, a whisper...), every request (its answer comes first in the
    // room's one order); after posts,
    // all but a member's `say` (and that too when its slow-mode check needs
    // its previous post). Handled now, it would wait for them (settle...()).
    // RoomInbox flushes, and keeps it until inFlightAnswered() when what it
    // waits for went out without waiting.
    bool mustWait(Wire::ConnectionId id, Wire::Mode mode, const Wire::Request *request) const;
    // Batches of posts and claims started, and answered: everything handled
    // so far is answered once batchesAnswered() reaches answeredAfterBatch().
    quint64 answeredAfterBatch() const { return m_batchesStarted + (m_queuedPosts.isEmpty() ? 0 : 1); }
    quint64 batchesAnswered() const { return m_batchesAnswered; }
    // What the backend said that removes a member here (a kick read from the
    // cluster's stream, a nickname lost while Redis was away) waits while
    // posts or an answer are in flight, instead of waiting for them, and so
    // does everything it said after it (roomevents.cpp). RoomInbox applies
    // them before its next request, once nothing is in flight.
    bool eventsWaiting() const { return !m_eventsWaiting.empty(); }
    // Applies what waits, up to the next removal that must wait again.
    void applyWaitingEvents();
    // A connection is leaving on its own (closed, flood, too large, slow).
    void leave(Wire::ConnectionId id, ReplyChannel *channel, Wire::Mode mode, Protocol::LeaveReason reason,
               const Wire::LastWords &last);

    // Everyone on the server, that is #lobby's members.
    QStringList users() const;
    // The operators among users(), in the same order.
    QStringList operators() const;
    // The members of a room other than #lobby (sorted like users()); empty
    // when it has none this server knows of.
    QStringList roomUsers(const QString &roomKey) const;
    int memberCount() const { return int(m_members.size()); }
    qint64 lastMessageId() const { return history().nextId() - 1; }

signals:
    void published(const BroadcastPtr &event);
    // Around the answers of each batch of posts (later, with startPostAll),
    // and of each claim answered later (startClaim).
    void inFlightAnswering();
    void inFlightAnswered();

private:
    friend struct RoomRequestVisitor;

    struct Member {
        QString nick;
        ReplyChannel *channel = nullptr;
        Wire::Mode mode = Wire::Mode::Json;
        // Admitted (nickname claimed) but its `joined` event not back from
        // the backend yet. Replies wait in `held` until its welcome.
        bool awaitingWelcome = false;
        std::optional<qint64> since;
        QList<QByteArray> held;
        // Its requests after its claim was answered and before its `joined`
        // came back: handled after the welcome, so that they see the room as
        // the welcome shows it (a `who` lists the member itself).
        QList<Wire::Request> deferred = {};
        // Rooms besides #lobby (room key -> name), from the moment the
        // backend took the join: what `say`, `part` and the limits check.
        // QMap, not QHash: a member is in a few rooms, and a QHash's first
        // entry allocates room for dozens (2.3 KiB per member, measured).
        QMap<QString, QString> rooms = {};
        // Rooms of `hello.rooms` whose `room` frame is still to come, with their `since`.
        QMap<QString, std::optional<qint64>> roomSince = {};
        // Text mode: the room a plain line goes to (a room key; empty: #lobby).
        QString current = {};
        // JSON mode: the token its welcome hands out (roomresume.cpp); only
        // its hash is kept with the claim.
        QString resumeToken = {};
    };
    // A room other than #lobby as this server follows it: what the backend
    // said, and which of this server's connections are in it.
    struct RoomMirror {
        QString name;
        QString topic;
        QMap<QString, QString> members; // nick key -> nick, sorted like Roster
        QSet<Wire::ConnectionId> local;
    };
    // A room a request names: its key and name as asked (validated), or the lobby.
    struct RoomName {
        QString key;
        QString name;
        bool isLobby() const;
    };
    enum class Admission { Admitted, Taken, Unavailable };
    struct Requester {
        Wire::ConnectionId id;
        ReplyChannel *channel;
        Wire::Mode mode;
        QString nick; // empty until registered
    };

    // A `say` waiting in m_queuedPosts for flushPosts().
    struct QueuedPost {
        Requester from;
        MessageLog::Post post;
    };
    // At most this many posts go to the backend in one call (one Redis
    // pipeline): a flood of one batch is flushed in parts.
    static constexpr qsizetype kMaxPostsPerFlush = 256;
    // Hellos' claims in flight at once (a reconnect storm's): one Redis pipeline each.
    static constexpr int kMaxClaimsInFlight = 64;

    // handle() once `from` is who sent it (a guest admitted first, if need be).
    void handleFrom(const Requester &from, const Wire::Request &request);
    void dispatch(const Requester &from, const Protocol::ClientFrame &frame);
    static bool isSay(const Wire::Request &request);
    void queuePost(const Requester &from, const MessageLog::Post &post);
    void scheduleFlush();
    // flushPosts(), then waits for the batch's answers if they come later.
    void settlePosts();
    void answerPosts(const QList<QueuedPost> &posts, const QList<RoomBackend::Posted> &results);
    // What the backend said of one post, told to its requester.
    void answerPost(const Requester &from, const RoomBackend::Posted &posted);
    void hello(const Requester &from, const Protocol::Hello &hello);
    // A `hello` whose claim is asked, or, with the resume token of a nickname
    // another server holds, whose take-over (`takeOver`): answered later when
    // the backend can (startClaim, startTakeOver), else at once. roomanswers.cpp.
    struct HelloClaim {
        Requester from;
        QString nick; // as checked
        QList<RoomName> rooms;
        Protocol::Hello hello;
    };
    enum class Claiming { Claim, TakeOver };
    void claimForHello(const HelloClaim &claim, Claiming claiming = Claiming::Claim);
    // What a hello's claim decided: welcome to come and its rooms, or the error.
    void continueHello(const HelloClaim &claim, Admission admission);
    // Asks the backend without waiting when it can (`start`, as
    // RoomBackend::startClaim: true when sent), else at once (`now`); hands
    // the outcome to `answer`, later between inFlightAnswering() and
    // inFlightAnswered(), or before this returns. roomanswers.cpp.
    using AnswerStart = std::function<bool(const RoomBackend::OutcomeDone &)>;
    // WithClaims: a hello's claim, which may be in flight beside others.
    enum class Overlap { Alone, WithClaims };
    void askBackend(const AnswerStart &start, const std::function<RoomBackend::Outcome()> &now,
                    const RoomBackend::OutcomeDone &answer, Overlap overlap = Overlap::Alone);
    // Whether `request` of `id` is a hello whose claim may go out beside the
    // claims in flight (then it need not wait for them).
    bool mayOverlapClaims(Wire::ConnectionId id, Wire::Mode mode, const Wire::Request *request) const;
    // Whether a hello asks for rooms besides #lobby.
    static bool namesRooms(const Protocol::Hello &hello);
    // Waits for the answer in flight, if any, which is given before this returns.
    void settleAnswer();
    void say(const Requester &from, const Protocol::Say &say);
    void whisper(const Requester &from, const Protocol::Whisper &whisper);
    void rename(const Requester &from, const Protocol::Nick &nick);
    // What the backend said of a rename, told to `from` (and the member renamed here).
    void answerRename(const Requester &from, const QString &nick, RoomBackend::Outcome outcome);
    void renameHere(Wire::ConnectionId id, const QString &from, const QString &to);
    void bye(const Requester &from, const Protocol::Bye &bye);
    // Moderation (docs/protocol.md); state in m_moderation.
    void op(const Requester &from, const Protocol::Op &op);
    void kick(const Requester &from, const Protocol::Kick &kick);
    void mute(const Requester &from, const Protocol::Mute &mute);
    void unmute(const Requester &from, const Protocol::Unmute &unmute);
    void slow(const Requester &from, const Protocol::Slow &slow);
    // Presence (docs/protocol.md, "Presence"), roompresence.cpp; state in m_roster.
    void away(const Requester &from, const Protocol::SetAway &away);
    void back(const Requester &from);
    void applyPresence(const Protocol::ServerFrame &frame);
    // Rooms (ROOMS.md), roomjoins.cpp.
    void join(const Requester &from, const Protocol::Join &join);
    void part(const Requester &from, const Protocol::Part &part);
    void setTopic(const Requester &from, const Protocol::SetTopic &topic);
    void listRooms(const Requester &from);
    void answerRooms(const Requester &from, QList<Protocol::RoomInfo> rooms);
    void who(const Requester &from, const Protocol::Who &who);
    void showTopic(const Requester &from);
    // The rooms of a `hello`, checked before anything is claimed; false when
    // the hello is refused (error sent).
    bool checkHelloRooms(const Requester &from, const Protocol::Hello &hello, QList<RoomName> &rooms);
    // The rooms of a hello that are not there yet, counted against
    // --max-rooms (answered later when the backend can), then admitHello().
    void countHelloRooms(const HelloClaim &claim);
    // A checked hello: the old connection dropped if it resumes one here,
    // then its claim or take-over.
    void admitHello(const HelloClaim &claim);
    // The rooms from `first` on; each join may be answered later, and the
    // next one is then asked from its answer.
    void joinHelloRooms(const Requester &from, const QList<RoomName> &rooms, const Protocol::Hello &hello,
                        qsizetype first = 0);
    // Resume tokens (docs/protocol.md, "Taking a nickname back"),
    // roomresume.cpp. Whom a `hello` with its token takes the nickname
    // over from: a connection here, or another server of the cluster.
    struct Resumption {
        Wire::ConnectionId here = 0;
        bool elsewhere = false;
        bool any() const { return here != 0 || elsewhere; }
    };
    Resumption resumptionFor(const Requester &from, const Protocol::Hello &hello);
    // The old connection leaves (`left` as for a lost connection) and is
    // told why (`bye` reason resumed); `thenClaim` once its release is
    // answered (later, for a member of rooms), so the new one claims the
    // nickname after it.
    void dropResumed(Wire::ConnectionId holder, const std::function<void()> &thenClaim = {});
    // A kick entry of a take-over through another server: the old connection here goes.
    void applyResumedKick(const RoomBackend::Event &event);
    // The room `requested` names (empty: the lobby, or a text user's current
    // room), or an error to `from` (room-invalid) and nullopt.
    std::optional<RoomName> roomFor(const Requester &from, const QString &requested, const QString &ref);
    // Like roomFor, and `from` must be in it (not-in-room).
    std::optional<RoomName> memberRoomFor(const Requester &from, const QString &requested, const QString &ref);
    // `room` with its name as created, if `from` is in it; else not-in-room and nullopt.
    std::optional<RoomName> requireMember(const Requester &from, RoomName room, const QString &ref);
    // Asks the backend to join, and answers `join` when its answer comes
    // (at once when it cannot answer later); `then` gets whether it was joined (the error was sent if not).
    void joinLater(const Requester &from, const RoomName &room, std::function<void(bool joined)> then);
    // Before the backend is asked: a member of the room from here on, as
    // its `joined` event may come back before the answer.
    Protocol::Joined startJoin(const Requester &from, const RoomName &room);
    // The backend's answer: true when joined, else the error to `from`.
    bool joinAnswered(const Requester &from, const RoomName &room, const QString &ref, RoomBackend::Outcome outcome);
    Protocol::RoomState roomStateFor(const QString &roomKey, std::optional<qint64> since) const;
    QString lobbyTopic() const;
    // Room events the backend says happened.
    void applyRoomJoined(const RoomBackend::Event &event, const Protocol::Joined &joined);
    void applyRoomLeft(const Protocol::Left &left);
    void applyTopic(const Protocol::TopicChanged &topic);
    void leaveAllRooms(const QString &nickKey);
    void renameInRooms(const QString &oldKey, const QString &newKey, const QString &nick);
    RoomMirror &mirror(const QString &roomKey, const QString &name);
    // To the members of a room here (all members for #lobby).
    // `json`: the frame's JSON line when it came encoded (RoomBackend::Event::json).
    void publishToRoom(const QString &room, const Protocol::ServerFrame &frame, Wire::ConnectionId except = 0,
                       const QByteArray &json = {});
    bool checkOperator(const Requester &from, const QString &ref);
    // For /kick, /mute, /unmute: the user called `nick` if `from` is an
    // operator (as findUser), or an error to `from` and nullopt.
    std::optional<std::pair<QString, QString>> operatorTarget(const Requester &from, const QString &nick,
                                                              const QString &ref);
    // Refuses (and returns false) when a mute or slow mode forbids `from` to post now.
    bool mayPost(const Requester &from, const QString &ref, bool slowModeApplies);
    void kickHere(Wire::ConnectionId id, const Protocol::ServerBye &bye);
    // An op, mute, unmute, slow mode, away or back, for everyone; `from`
    // hears why not if it cannot be shared. roomanswers.cpp.
    void share(const Requester &from, const Protocol::ServerFrame &frame, const QString &ref);
    void applyModeration(const Protocol::ServerFrame &frame);

    // A nickname claimed in two halves, around the backend's claim (a
    // hello's, a guest's): `from` is a member awaiting its welcome from the first (it returns the resume token's
    // hash to claim with), and is taken out again by the second when the
    // claim failed.
    QByteArray enterClaiming(const Requester &from, const QString &nick, std::optional<qint64> since);
    Admission claimed(const Requester &from, const QString &nick, RoomBackend::Outcome outcome);
    // A text-mode user's guest nickname claimed (the first free number after
    // `after`; the next one when another server took it meanwhile), then
    // `request`, the line that made them a guest, handled as theirs; or the
    // error, when none could be.
    void admitGuest(const Requester &from, const Wire::Request &request, int after = 0, int attempt = 0);
    Protocol::Welcome welcomeFor(const QString &nick, std::optional<qint64> since) const;
    // A room's history for a `welcome` or `room`: the newest, or those after `since`, bounded.
    MessageLog::Page historyFor(const QString &roomKey, std::optional<qint64> since) const;
    // `released`: called once the release is answered (at once, or later
    // for a member of rooms; at once when the member was not there).
    void removeMember(Wire::ConnectionId id, Protocol::LeaveReason reason, const QString &message,
                      const QString &by = {}, const std::function<void()> &released = {});
    QString freeGuestNick(int after = 0) const;
    // The user called `nick` anywhere in the room, as (nick key, nick); or
    // an error to `from` and nullopt.
    std::optional<std::pair<QString, QString>> findUser(const Requester &from, const QString &nick, const QString &ref);
    std::optional<QString> checkNickFor(const Requester &from, const QString &nick, const QString &ref);
    void reply(const Requester &to, const Protocol::ServerFrame &frame);
    // To one connection, after its welcome if that is still to come.
    void deliver(Wire::ConnectionId id, ReplyChannel *channel, const QByteArray &bytes);
    void replyUnavailable(const Requester &to, const QString &ref);
    // A whisper or kick for the user `to` (nick key, nick as asked),
    // wherever they are; `from` hears why not if it cannot be sent.
    // roomanswers.cpp.
    void sendToUser(const Requester &from, const std::pair<QString, QString> &to, RoomStream::Kind kind,
                    const Protocol::ServerFrame &frame, const QString &ref);

    // What the backend says happened, in the room's order.
    void apply(const RoomBackend::Event &event);
    void applyEvent(const RoomBackend::Event &event);
    void applyWhisper(const RoomBackend::Event &event);
    void sendWelcome(Wire::ConnectionId id, const QString &joinedAs);
    // Every member is sent a `room` frame for #lobby and each of its rooms,
    // with `truncated` (docs/protocol.md, "Rollback detection").
    void tellHistoryLost();
    void dropLostNicknames(const QStringList &keys);
    void dropLostNickname(const QString &key);
    // A nickname the backend said this server no longer holds.
    struct LostNickname {
        QString key;
    };
    using BackendNews = std::variant<RoomBackend::Event, LostNickname>;
    // Applied now, or after what waits (eventsWaiting()).
    void take(BackendNews news);
    bool removesMember(const BackendNews &news) const;
    void applyNow(const BackendNews &news);
    void applyRead(const RoomBackend::Event &event);
    QList<std::pair<QString, QString>> localUsers() const;
    const MessageLog &history() const { return m_backend->history(); }
    void publish(const Protocol::ServerFrame &frame, Wire::ConnectionId except = 0,
                 const std::optional<QSet<Wire::ConnectionId>> &audience = std::nullopt, const QByteArray &json = {});
    // A mute's end is wall-clock time, so a mute learnt later (read back from
    // the stream, or from the start-up snapshot) still ends when it was meant to.
    static qint64 msecsUntil(const QDateTime &until);

    const ServerConfig &m_config;
    QHash<Wire::ConnectionId, Member> m_members;
    QHash<QString, Wire::ConnectionId> m_idByKey; // by Validation::nickKey
    int m_textMembers = 0;
    // Nick keys released here whose `left` has not been read back yet: the
    // roster still lists them, but a hello for one is asked of the backend
    // (the release went first on its connection) instead of refused here.
    QSet<QString> m_released;
    QSet<Wire::ConnectionId> m_claiming; // in m_members while their nicknames are being claimed
    // A rename asked of the backend, until its answer or its `renamed` read
    // back (the stream reader has its own connection), whichever comes first.
    struct Renaming {
        Wire::ConnectionId id = 0;
        QString nick;
    };
    std::optional<Renaming> m_renaming;
    std::unique_ptr<RoomBackend> m_backend;
    std::deque<BackendNews> m_eventsWaiting;
    Moderation m_moderation;
    // Everyone on the server, here and on other instances, as the backend said.
    Roster m_roster;
    // The rooms besides #lobby with members here (all of them without --redis), by room key.
    QHash<QString, RoomMirror> m_rooms;
    QString m_lobbyTopic; // as the backend said
    // Posts not yet handed to a batching backend, in the order they were said.
    QList<QueuedPost> m_queuedPosts;
    QSet<Wire::ConnectionId> m_queuedFrom; // whose posts are among them
    bool m_flushScheduled = false;
    // A batch sent with startPostAll() whose answers have not come yet.
    bool m_postsInFlight = false;
    QSet<Wire::ConnectionId> m_inFlightFrom; // whose posts are in it
    // Requests sent with askBackend() whose answers have not come yet (a
    // hello's claim: its connection is in m_claiming); several only when
    // all are hellos' claims (mayOverlapClaims()).
    int m_answersInFlight = 0;
    int m_claimsInFlight = 0;
    quint64 m_batchesStarted = 0; // of posts, and answers that come later
    quint64 m_batchesAnswered = 0;
    // Inside an answer of askBackend(): how many answers of its request's
    // batch are still to come, that one included.
    std::shared_ptr<int> m_answeringBatch;
};
