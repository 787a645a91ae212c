// SPDX-License-Identifier: MIT
#pragma once

#include "backoff.h"
#include "commandparser.h"
#include "protocol.h"

#include <QAbstractSocket>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

class Clock;
class QTcpSocket;
class QTimer;

// The client core both front ends use: one connection to a chat-server in
// JSON mode, registration, typed signals for every event, the user list,
// the rooms one is in (ROOMS.md), liveness pings, reconnection with backoff
// and an outbox that survives it.
//
// Rooms: #lobby always, and the rooms joined since, in joining order. A
// reconnect rejoins all of them through `hello`, each resumed after the last
// message id seen in it, so nothing is missed or shown twice. Everywhere a
// room is asked for, an empty one means #lobby.
//
// It never shows anything itself; front ends turn its signals into lines
// (chat-console) or rows of a model (chat-gui).
class ChatClient final : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Disconnected, // not connected and not trying (start, after quit, a failure before the first welcome)
        Connecting,   // TCP connect under way
        Registering,  // connected, `hello` sent, waiting for `welcome`
        Online,       // registered
        Reconnecting, // lost the connection; a reconnect is scheduled (see msecsUntilReconnect())
    };
    Q_ENUM(State)

    // What submitInput() did with a line the user typed.
    struct InputResult {
        enum class Kind {
            Sent,    // handed to the server (or queued while offline, see `queued`)
            Local,   // answered locally: `text` is for the user (e.g. /help)
            Quit,    // /quit: the client is leaving politely
            Invalid, // not sent: `text` says why (unknown command, bad nick, empty, ...)
        };
        Kind kind = Kind::Sent;
        QString text;
        bool queued = false;
    };

    explicit ChatClient(QObject *parent = nullptr);
    ~ChatClient() override;

    // Connects and registers as `nick`. Calling it again starts over.
    void connectToServer(const QString &host, quint16 port, const QString &nick);
    // After registrationRefused (nick-invalid / nick-taken): try another nickname
    // on the same connection, or reconnect with it if the connection is gone.
    void registerAs(const QString &nick);
    // Sends `bye` (with an optional reason), closes, and stops reconnecting.
    // When online, messages still queued (paced) are sent first, then `bye`.
    void disconnectFromServer(const QString &reason = {});
    // Skips the rest of the backoff wait.
    void reconnectNow();

    // Parses what the user typed (plain text or /nick /msg /me /who /join
    // /part /rooms /topic /help /quit) and acts on it. Front ends call only
    // this for input. `currentRoom` (empty: #lobby) is the room the user
    // talks in: plain lines, /me, /who, /part and /topic without a room go there.
    InputResult submitInput(const QString &line, const QString &currentRoom = {});
    // The same for a line the front end has parsed already (CommandParser::parse).
    InputResult submitCommand(const CommandParser::Command &command, const QString &currentRoom = {});

    // Requests; while offline, say/whisper/me are kept and sent after reconnecting.
    void say(const QString &text, bool action = false, const QString &room = {});
    void whisper(const QString &to, const QString &text);
    void changeNick(const QString &nick);
    void requestUsers(const QString &room = {});
    void ping();

    // Rooms (ROOMS.md). Each returns why nothing was sent, translated, or
    // an empty string. joinRoom() while not online remembers the room, and
    // the next `hello` joins it (so a front end may call it before
    // connectToServer()); partRoom() while not online forgets it.
    QString joinRoom(const QString &room);
    QString partRoom(const QString &room, const QString &message = {});
    // An empty topic clears it. Only while online.
    QString setTopic(const QString &room, const QString &topic);
    // Asks for the list of rooms (roomListReceived()). Only while online.
    QString requestRooms();
    // Moderation (docs/protocol.md); only sent while online.
    void becomeOperator(const QString &password);
    void kick(const QString &nick, const QString &reason = {});
    // No minutes: the server's default; 0 lifts the mute.
    void mute(const QString &nick, std::optional<qint64> minutes = std::nullopt);
    void unmute(const QString &nick);
    void setSlowMode(qint64 seconds);
    // Presence (docs/protocol.md, "Presence"): only sent while online. The
    // away message (empty: none) is validated first; the result is why
    // nothing was sent, translated, or empty. After a reconnect the client
    // says it is away again by itself.
    QString setAway(const QString &message = {});
    QString setBack();

    State state() const;
    QString nick() const;          // the registered nick (or the one being registered)
    QStringList users() const;     // sorted case-insensitively, self included
    QStringList operators() const; // the operators among users()
    bool isOperator(const QString &nick) const;
    // The away users among users(), with their messages ("" when none).
    Protocol::AwayMessages awayUsers() const;
    // This client's user, as the server last said (kept across a reconnect,
    // which says it again); the message is "" when none or not away.
    bool isAway() const;
    QString awayMessage() const;
    qint64 slowModeSeconds() const; // 0 when slow mode is off
    QString host() const;
    quint16 port() const;
    qint64 lastMessageId() const; // highest message id seen in #lobby, 0 if none
    // Rooms: the ones one is in (or will rejoin), #lobby first, in joining order.
    QStringList rooms() const;
    bool isInRoom(const QString &room) const;
    // The room's name as the server spells it ("#Dev" for "#dev"), or empty when one is not in it.
    QString roomName(const QString &room) const;
    QString topic(const QString &room = {}) const;
    QStringList roomUsers(const QString &room = {}) const; // sorted, self included
    qint64 lastMessageId(const QString &room) const;       // highest id seen in that room
    int msecsUntilReconnect() const;                       // -1 unless Reconnecting
    // The same, in the whole seconds a countdown shows (rounded up); -1 unless Reconnecting.
    int secondsUntilReconnect() const;
    // say/whisper frames not yet answered by their echo (or an error), queued ones included.
    int unconfirmedCount() const;

    // Tuning, mainly for tests. Defaults: auto-reconnect on, ping every 30 s,
    // dead after 60 s of silence, backoff 1 s doubling to 30 s with jitter.
    void setAutoReconnect(bool enabled);
    void setPingInterval(int msecs);
    void setIdleTimeout(int msecs);
    void setBackoff(const Backoff &backoff);
    // The clock the reconnect wait is measured on; nullptr: the steady one.
    // Not owned (make it a child of the client). Tests pass a clock they
    // move by hand, so the wait ends exactly when they say.
    void setClock(Clock *clock);
    // Client-side pacing so a burst of input (a pasted file, a pipe) is not
    // refused by the server's rate limit; <= 0 turns pacing off.
    void setSendRate(double framesPerSecond, int burst);
    // The `client` field of `hello`; default "<applicationName>/<applicationVersion>".
    void setClientName(const QString &name);

    // TLS for the next connections. Without `caFile`: trust on first use
    // (see ServerTrust); with it: only certificates that CA signed for the
    // host name. Returns a readable error (unreadable CA file), empty if fine.
    QString setTls(bool enabled, const QString &caFile = {});
    bool usesTls() const;
    // Where the trust-on-first-use pins are kept (an INI file); empty: the
    // shared default, ~/.config/qtchat/known-servers.ini.
    void setPinFile(const QString &path);
    // A changed certificate is accepted (and pinned) instead of refused;
    // certificateChanged() still tells. chat-console's --accept-new-cert.
    void setAcceptChangedCertificate(bool accept);
    // Pins `fingerprint` for host:port, e.g. after the user accepted a changed certificate.
    void trustCertificate(const QString &host, quint16 port, const QString &fingerprint);
    // True while connected through TLS; the fingerprint of the server's certificate then.
    bool isEncrypted() const;
    QString serverFingerprint() const;

    // Why the last connection attempt failed or the connection ended
    // (ConnectionRefusedError, HostNotFoundError, SocketTimeoutError, ...),
    // UnknownSocketError while all is well; front ends choose exit codes by it.
    QAbstractSocket::SocketError lastSocketError() const;
    // True once a `welcome` arrived since connectToServer(). Until then
    // failures are final (state Disconnected); afterwards they are retried.
    bool hasRegistered() const;

signals:
    void stateChanged(ChatClient::State state);
    // A reconnect will be tried in `msecs`; front ends show a countdown.
    void reconnectScheduled(int msecs);
    // The whole seconds until the scheduled reconnect changed: the first
    // value comes just before state Reconnecting, then one per second down to 1.
    void reconnectCountdownChanged(int seconds);
    // Human-readable and translated: connection refused, unknown host, timed out...
    void connectionError(const QString &message);
    // TLS trust on first use: host:port presented a certificate other than the
    // pinned one. The connection is refused (connectionError() follows, no
    // reconnecting) unless setAcceptChangedCertificate(true).
    void certificateChanged(const QString &host, quint16 port, const QString &pinnedFingerprint,
                            const QString &presentedFingerprint);
    // The first TLS connection to host:port pinned its certificate.
    void certificatePinned(const QString &host, quint16 port, const QString &fingerprint);

    void registered(const Protocol::Welcome &welcome);             // every (re)registration
    void registrationRefused(const Protocol::Error &error);        // nick-invalid, nick-taken, server-full
    void messageReceived(const Protocol::ChatMessage &message);    // live messages, not history
    void whisperReceived(const Protocol::WhisperMessage &whisper); // received and echoed
    // `room` empty: someone registered / left the server (and so every
    // room); otherwise joined or left (reason Part) that room. Our own part
    // comes as userLeft() too, followed by roomLeft().
    void userJoined(const Protocol::Joined &joined);
    void userLeft(const Protocol::Left &left);
    void userRenamed(const Protocol::Renamed &renamed);
    void usersChanged(const QStringList &users); // the users of #lobby (everyone online)
    // The server's answer to requestUsers() (/who), so a front end can show
    // it; `room` is the room asked about, #lobby for the lobby.
    void userListReceived(const QStringList &users, const QString &room);
    // Rooms. A room was entered: the answer to joinRoom(), and after every
    // (re)registration once for each room rejoined, with what was missed.
    void roomEntered(const Protocol::RoomState &room);
    // We left `room` (our own `left` with reason part, or partRoom() while offline).
    void roomLeft(const QString &room);
    // rooms() changed: entered, left, or spelled otherwise by the server.
    void roomsChanged(const QStringList &rooms);
    void roomUsersChanged(const QString &room, const QStringList &users);
    void topicChanged(const Protocol::TopicChanged &topic);
    void roomListReceived(const Protocol::RoomList &list);
    void nickChanged(const QString &nick);
    void errorReceived(const Protocol::Error &error); // errors after registration
    void pongReceived(qint64 roundTripMsecs);
    void serverClosing(const QString &reason); // the server's `bye`
    // An operator kicked us (the server's `bye` "kicked"); no reconnect follows.
    void kicked(const QString &by, const QString &reason);
    void operatorsChanged(const QStringList &operators);
    void userOpped(const Protocol::Opped &opped);
    void userMuted(const Protocol::Muted &muted);
    void userUnmuted(const Protocol::Unmuted &unmuted);
    void slowModeChanged(const Protocol::SlowMode &slowMode);
    // Presence (docs/protocol.md, "Presence").
    void userAway(const Protocol::Away &away);
    void userBack(const Protocol::Back &back);
    // The away users changed (any of the above, a welcome, a rename, a leave).
    void awayUsersChanged(const Protocol::AwayMessages &away);
    void frameReceived(const QByteArray &line); // every JSON line, raw (for --json)
    // A say/whisper was handed to the outbox (sent at once or kept while
    // offline): unconfirmedCount() grew to `unconfirmed`.
    void messageQueued(int unconfirmed);
    // Every say/whisper sent so far is confirmed (unconfirmedCount() == 0).
    void outboxDrained();
    // After disconnectFromServer(): the `bye` has been handed over and the
    // connection is closed (or given up after a short deadline), so a program
    // may exit now without losing it. Always follows the call, never inside it.
    void closed();

private:
    static InputResult roomResult(const QString &error, bool queued);
    InputResult showTopic(const QString &room) const;

    struct Private;
    std::unique_ptr<Private> d;
};
