// SPDX-License-Identifier: MIT
#pragma once

#include "chatserver.h"
#include "redisprocess.h"
#include "testclient.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QStringList>

#include <memory>
#include <tuple>
#include <vector>

inline constexpr int kInstances = 3;
// Short, so that a dead instance is noticed within a test's patience.
inline constexpr int kHeartbeatMsecs = 200;
inline constexpr int kWaitMsecs = 10000;

// Sends `request`, and again after each `cluster-unavailable` refusal,
// until a frame of type `wanted` or another error comes (QTRY polls it, with
// the event loop running between polls, so a refused request is retried at
// the poll rate); other frames are skipped (after an outage the room may
// hear of users leaving and coming back). Once true it stays true, as QTRY
// needs; `answer` is the frame that came.
class UntilAvailable final
{
public:
    UntilAvailable(TestClient &client, QJsonObject request, QString wanted)
        : m_client(client), m_request(std::move(request)), m_wanted(std::move(wanted))
    {}

    bool operator()();

    QJsonObject answer;

private:
    TestClient &m_client;
    QJsonObject m_request;
    QString m_wanted;
    bool m_awaiting = false;
};

// What the cluster suites share (tst_server_cluster: the room across
// instances; tst_server_cluster_outages: instances and Redis going away):
// a private redis-server, kInstances ChatServers on it, and helpers.
// Its slots are the suites' set-up: Qt Test finds initTestCase(), init()
// and cleanup() through the suite's meta-object, which includes these. A
// suite that needs more declares its own slot of the same name and calls
// the one here from it.
class ClusterTest : public QObject
{
    Q_OBJECT

protected slots:
    void initTestCase();
    void init();
    void cleanup();

protected:
    bool setUpRedis();
    bool startInstances();

    ServerConfig config() const;

    // Starts one more instance on the room; its index (-1 if it did not start).
    int startInstance();

    quint16 port(int instance) const { return m_servers.at(size_t(instance))->serverPort(); }

    // A client joined on `instance` (nullptr when it could not join).
    std::unique_ptr<TestClient> joinOn(int instance, const QString &nick);

    // The next `message` frames on `client`, as (id, from, text).
    static QList<std::tuple<qint64, QString, QString>> messages(TestClient &client, int count);

    // What `client` got for the `say` of `text` it just sent: the error's
    // code, or "posted" when the message came back; anything else is shown.
    static QString answerTo(TestClient &client, const QString &text);

    std::unique_ptr<RedisProcess> m_redis;
    std::vector<std::unique_ptr<ChatServer>> m_servers;
    int m_heartbeatMsecs = kHeartbeatMsecs; // for the instances started next
};
