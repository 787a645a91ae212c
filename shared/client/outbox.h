// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QList>

#include <functional>

// The say/whisper frames a ChatClient owes the server: queued ones (not sent
// yet, e.g. typed while offline) and in-flight ones (sent, waiting for their
// echo or an error). Replies on one connection come in request order, so
// in-flight frames are confirmed first in, first out. Other requests typed
// while messages wait (/nick, /who) queue behind them, so nothing overtakes
// what was typed earlier; they are not tracked after sending.
//
// It also paces sending with a token bucket like the server's rate limit, so
// a pasted file or a pipe is not refused as a flood.
//
// QObject-free; the clock is injectable so tests check pacing without waiting.
class Outbox final
{
public:
    enum class Kind { Say, Whisper };
    // Monotonic milliseconds.
    using Clock = std::function<qint64()>;

    explicit Outbox(Clock clock = {});

    // Say and Whisper are tracked until confirmed; other frames only keep their place.
    void enqueue(const Protocol::ClientFrame &frame);

    bool hasQueued() const { return !m_queued.isEmpty(); }
    // Messages queued plus in flight: everything not confirmed yet.
    qsizetype size() const { return m_queuedMessages + m_inFlight.size(); }
    bool isEmpty() const { return size() == 0; }
    qsizetype inFlightCount() const { return m_inFlight.size(); }

    // <= 0 frames per second turns pacing off.
    void setRate(double framesPerSecond, int burst);
    // A new connection starts with a full bucket, as the server's does.
    void resetPacing();
    // Every frame written costs a token, control frames included, because
    // the server counts them all.
    void spendToken();
    // 0 when the next queued frame may go now.
    int msecsUntilNextSend();

    // Takes the first queued frame; a message moves to in flight.
    Protocol::ClientFrame takeNextToSend();
    // The echo (or a refusal) for the oldest in-flight frame arrived.
    // False when the oldest in-flight frame is not of that kind.
    bool confirmFirstInFlight(Kind kind);
    // The server answered `rate-limited`: the oldest in-flight frame goes
    // back to the front of the queue and sending pauses for a moment.
    void retryFirstInFlight(Kind kind);
    // The server answered `cluster-unavailable` to the oldest in-flight
    // `say`: if it carries a cid (so the server will not post it twice,
    // should the refused attempt have been carried out after all) and has
    // been refused fewer than kMaxUnavailableRetries times, it goes back to
    // the front of the queue, perhaps delivered, and sending pauses for
    // kUnavailablePauseMsecs; true then. False: give up and report it.
    bool retryUnavailableFirstInFlight();
    static constexpr int kUnavailablePauseMsecs = 2000;
    // About half a minute: long enough for a Redis failover (seconds),
    // short enough that a user is not left wondering.
    static constexpr int kMaxUnavailableRetries = 15;
    // The server answered `server-busy` to the oldest in-flight frame of
    // `kind`: refused before the room saw it, so certainly not delivered.
    // Fewer than kMaxBusyRetries refusals: back to the front of the queue,
    // sending pauses for kBusyPauseMsecs; true then. False: report it.
    bool retryBusyFirstInFlight(Kind kind);
    static constexpr int kBusyPauseMsecs = 1000;
    // Half a minute, as for cluster-unavailable: a server that stays busy
    // longer has a problem the user should hear of.
    static constexpr int kMaxBusyRetries = 30;
    // The connection is gone: in-flight frames go back to the front of the
    // queue, marked as perhaps delivered.
    void requeueInFlight();
    // A polite quit: frames written before our `bye` are handled by the server.
    void forgetInFlight();
    // After re-registering: perhaps-delivered says to `room` (empty: #lobby)
    // that show up in its history (`welcome`'s, or a rejoined room's `room`
    // frame; from `self`, newer than `afterId`) were delivered and are
    // dropped; the rest are sent again. Whispers have no history and are
    // always sent again (a possible duplicate beats a silent loss).
    void confirmFromHistory(const QList<Protocol::ChatMessage> &history, const QString &self, qint64 afterId,
                            const QString &room = {});

private:
    struct Entry {
        Protocol::ClientFrame frame;
        bool maybeDelivered = false;
        int unavailableRefusals = 0;
        int busyRefusals = 0;
    };

    static bool isKind(const Entry &entry, Kind kind);
    static bool isMessage(const Protocol::ClientFrame &frame);
    // Whether the history of `roomKey` settles the entry: its says to that
    // room, and (for #lobby, told first) everything that is no say.
    static bool isSettledBy(const Entry &entry, const QString &roomKey);
    void refill();
    // Back into the queue from in flight, in the order they were sent.
    void putBack(Entry entry);

    Clock m_clock;
    QList<Entry> m_queued;
    QList<Entry> m_inFlight;
    qsizetype m_queuedMessages = 0; // the Say/Whisper entries of m_queued
    qsizetype m_putBack = 0;        // how many at the front of m_queued were put back from in flight
    double m_rate = 10.0;
    double m_burst = 20.0;
    double m_tokens = 20.0;
    qint64 m_lastRefill = 0;
    qint64 m_holdUntil = 0;
};
