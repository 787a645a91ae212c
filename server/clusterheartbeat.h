// SPDX-License-Identifier: MIT
#pragma once

#include "livenesstracker.h"
#include "redisaddress.h"
#include "redisconnection.h"
#include "roomstream.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <optional>
#include <utility>

// This instance's heartbeat in a cluster (--redis), on a thread and a Redis
// connection of its own (issue #16). Each beat adds one to this instance's
// counter in the `beats` hash, reads every other instance's counter and lets
// the LivenessTracker judge them; the silent ones go to the Cluster, which
// reaps them on the room's thread.
//
// Why a thread: the room's writes are synchronous round trips that may
// wait for Redis (up to RedisConnection's timeouts, and its retry delay
// after a failure). On the room's thread a few such waits in a row would
// hold up as many beats, and the others would count this instance as
// stopped while its users are still here. Beats on their own thread go on
// whatever the room waits for; they stop only when Redis does, or the
// process.
class ClusterHeartbeat final : public QObject
{
    Q_OBJECT

public:
    // Instances found silent, with the counter that was seen.
    using Silent = QList<std::pair<QByteArray, QByteArray>>;

    ClusterHeartbeat(const RedisAddress &address, RoomStream::Keys keys, QByteArray instance, int intervalMsecs);
    ~ClusterHeartbeat() override;

    // Called in the heartbeat's thread (queued): beats now and then every interval.
    void start();
    // Called in the heartbeat's thread (queued) once the room reaped them.
    void forgetInstances(const QList<QByteArray> &instances);

signals:
    void silentFound(const ClusterHeartbeat::Silent &silent);
    // This instance was no longer listed (another instance reaped it): its
    // users must be claimed again.
    void relisted();

private:
    void beat();
    // Adds one to this instance's counter and lists the instance; false when
    // Redis could not be reached.
    bool countBeat();
    // Every other instance's beat counter ('' for none); nullopt when Redis
    // could not be reached.
    std::optional<QHash<QByteArray, QByteArray>> counters();

    RoomStream::Keys m_keys;
    QByteArray m_instance;
    RedisConnection m_redis;
    LivenessTracker m_liveness;
    QTimer m_timer;
};
