// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"
#include "redisaddress.h"

#include <QHostAddress>
#include <QString>

#include <functional>
#include <optional>

// Everything chat-server can be told, with PROTOCOL.md's defaults.
struct ServerConfig {
    static constexpr qsizetype kDefaultSendQueueBytes = 4 * 1024 * 1024;

    QHostAddress host = QHostAddress::Any;
    quint16 port = Protocol::kDefaultPort;
    int maxClients = 10000;
    int history = Protocol::kDefaultHistory; // messages per room in `welcome` and `room`
    // Rooms (ROOMS.md): rooms a user is in besides #lobby, and rooms with
    // members the server (or the instances sharing a Redis) holds besides #lobby.
    int maxRoomsPerUser = Protocol::kDefaultMaxRoomsPerUser;
    int maxRooms = Protocol::kDefaultMaxRooms;
    qsizetype maxFrameBytes = Protocol::kDefaultMaxFrameBytes;
    double rate = 10.0; // frames per second per connection; 0 turns the limit off
    int burst = 20;
    qsizetype sendQueueBytes = kDefaultSendQueueBytes;
    QString logLevel = QStringLiteral("info");
    int threads = 0; // worker threads; 0 means one per core
    QString store;   // SQLite file for the message log; empty keeps it in memory
    // --redis: a room shared with other instances (issue #8); the messages
    // are then kept in Redis, so it excludes `store`.
    std::optional<RedisAddress> redis;
    int clusterHeartbeatMsecs = 5000;
    int maxPerIp = 0; // open connections per remote address; 0 means no limit
    // Requests of all connections handed to the room and not handled yet
    // beyond which a `say` or `whisper` is refused with `server-busy` (issue
    // #16, "bounded queue"): a room held up by Redis must not make the
    // server queue without end. Not an option; tests set it low.
    static constexpr int kDefaultMaxRequestsInRoom = 10000;
    int maxRequestsInRoom = kDefaultMaxRequestsInRoom;
    // Deadlines against idle and half-open connections (docs/protocol.md,
    // "Deadlines"); 0 turns one off.
    int idleTimeoutMsecs = 60 * 1000;     // first byte that decides the mode
    int registerTimeoutMsecs = 30 * 1000; // from that byte to a successful hello
    int frameTimeoutMsecs = 30 * 1000;    // from a frame's first byte to its LF
    // The operator password for /op; empty turns moderation off.
    QString adminPassword;
    // TLS: a certificate (chain) and key in PEM, or a self-signed pair kept
    // in tlsDirectory (made on first start). Neither: plaintext.
    QString tlsCertificate;
    QString tlsKey;
    bool tlsSelfSigned = false;
    QString tlsDirectory = QStringLiteral(".");
    bool tlsEnabled() const { return tlsSelfSigned || !tlsCertificate.isEmpty(); }
    // Test hooks: how long a silent connection waits for the greeting, and
    // how long a text-mode partial line waits before it counts as a line.
    int greetingDelayMsecs = 1000;
    int partialLineMsecs = 200;
    // Test hook: the monotonic millisecond clock for mutes, slow mode and
    // password retry delays; empty means a real steady clock.
    std::function<qint64()> moderationClock;
    // Test hook: the monotonic millisecond clock of every connection deadline
    // (greeting, idle, register, frame, partial line, linger); empty means a
    // real steady clock. Called on the worker threads: it must be thread-safe.
    // After moving it, ChatServer::checkDeadlines() makes the workers look.
    std::function<qint64()> deadlineClock;
};
