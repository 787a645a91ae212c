// SPDX-License-Identifier: MIT
#include "clusterheartbeat.h"

#include "handoff.h"

#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcHeartbeat, "qtchat.server.cluster.heartbeat")

namespace {
// HINCRBY and SADD, answered together by EXEC.
constexpr qsizetype kBeatCommands = 2;
} // namespace

ClusterHeartbeat::ClusterHeartbeat(const RedisAddress &address, RoomStream::Keys keys, QByteArray instance,
                                   int intervalMsecs)
    : m_keys(std::move(keys))
    , m_instance(std::move(instance))
    , m_redis(address)
    , m_timer(this) // moves to the heartbeat's thread with this object
{
    m_timer.setInterval(intervalMsecs);
    connect(&m_timer, &QTimer::timeout, this, &ClusterHeartbeat::beat);
}

ClusterHeartbeat::~ClusterHeartbeat()
{
    // Destroyed in its own thread when the thread ends; the Cluster called in
    // (forgetInstances) until it stopped the thread (Handoff::send there).
    Handoff::receive(this);
}

void ClusterHeartbeat::start()
{
    m_timer.start();
    beat();
}

void ClusterHeartbeat::forgetInstances(const QList<QByteArray> &instances)
{
    Handoff::receive(this);
    for (const QByteArray &instance : instances)
        m_liveness.drop(instance);
}

void ClusterHeartbeat::beat()
{
    std::optional<QHash<QByteArray, QByteArray>> seen;
    if (countBeat())
        seen = counters();
    if (!seen) {
        // What was seen before may be Redis's pause, not the others' silence.
        m_liveness.forget();
        return;
    }
    const Silent silent = m_liveness.observe(*seen);
    if (silent.isEmpty())
        return;
    qCDebug(lcHeartbeat) << silent.size() << "instances stopped beating";
    Handoff::send(this);
    emit silentFound(silent);
}

bool ClusterHeartbeat::countBeat()
{
    // Paced by the beats, not by the connection's growing retry delay: after
    // a failover this instance must be beating again within one interval of
    // the others, or they count it silent and reap its users (three beats).
    if (!m_redis.isConnected() && !m_redis.connectNow())
        return false;
    // One transaction in one round trip: whoever sees the counter moved
    // (another instance, a test) sees the listing done too, and a FLUSHALL
    // cannot fall between them.
    const QList<RedisConnection::Result> results = m_redis.pipeline(
        {{"MULTI"}, {"HINCRBY", m_keys.beats(), m_instance, "1"}, {"SADD", m_keys.instances(), m_instance}, {"EXEC"}});
    for (const RedisConnection::Result &result : results) {
        if (!RedisConnection::errorOf(result).isEmpty())
            return false;
    }
    const QList<RedisReply> &executed = std::get<RedisReply>(results.constLast()).elements;
    if (executed.size() != kBeatCommands ||
        std::any_of(executed.cbegin(), executed.cend(), [](const RedisReply &reply) { return reply.isError(); }))
        return false;
    // Listed anew: another instance reaped this one (it judged it silent,
    // for example while this one was still reconnecting), so its users'
    // claims are gone from Redis although they are still here.
    if (executed.constLast().integer == 1) {
        qCWarning(lcHeartbeat) << "this instance had been removed from the cluster; claiming its users again";
        emit relisted();
    }
    return true;
}

std::optional<QHash<QByteArray, QByteArray>> ClusterHeartbeat::counters()
{
    const RedisConnection::Result listed = m_redis.command({"SMEMBERS", m_keys.instances()});
    const RedisConnection::Result counted = m_redis.command({"HGETALL", m_keys.beats()});
    if (!RedisConnection::errorOf(listed).isEmpty() || !RedisConnection::errorOf(counted).isEmpty())
        return std::nullopt;
    QHash<QByteArray, QByteArray> beats;
    const QList<RedisReply> &pairs = std::get<RedisReply>(counted).elements;
    for (qsizetype i = 0; i + 1 < pairs.size(); i += 2)
        beats.insert(pairs.at(i).string, pairs.at(i + 1).string);
    QHash<QByteArray, QByteArray> others;
    for (const RedisReply &instance : std::get<RedisReply>(listed).elements) {
        if (instance.string != m_instance)
            others.insert(instance.string, beats.value(instance.string));
    }
    return others;
}
