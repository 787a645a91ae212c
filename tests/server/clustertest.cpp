// SPDX-License-Identifier: MIT
#include "clustertest.h"

#include "spec.h"
#include "testharness.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

bool UntilAvailable::operator()()
{
    if (!answer.isEmpty())
        return true;
    if (!m_awaiting) {
        m_client.sendJson(m_request);
        m_awaiting = true;
    }
    while (m_client.pendingLines() > 0) {
        const QJsonObject frame = m_client.nextFrame(0);
        if (Spec::type(frame) == u"error"_s && frame.value(u"code"_s).toString() == u"cluster-unavailable"_s) {
            m_awaiting = false;
            return false;
        }
        if (Spec::type(frame) == m_wanted || Spec::type(frame) == u"error"_s) {
            answer = frame;
            return true;
        }
    }
    return false;
}

void ClusterTest::initTestCase()
{
    QTCHAT_REQUIRE(!RedisProcess::program().isEmpty(), "redis-server (Debian package redis-server)");
    QVERIFY2(setUpRedis(), "cannot start redis-server");
}

void ClusterTest::init()
{
    QVERIFY(startInstances());
}

void ClusterTest::cleanup()
{
    m_servers.clear();
}

bool ClusterTest::setUpRedis()
{
    TestServer::quietLogs();
    m_redis = std::make_unique<RedisProcess>();
    return m_redis->start();
}

bool ClusterTest::startInstances()
{
    if (!(m_redis->isRunning() || m_redis->start()) || !m_redis->flush())
        return false;
    for (int i = 0; i < kInstances; ++i) {
        m_servers.push_back(TestServer::start(config()));
        if (!m_servers.back())
            return false;
    }
    return true;
}

ServerConfig ClusterTest::config() const
{
    ServerConfig c = TestServer::config();
    c.threads = 2;
    c.rate = 0;
    c.redis = m_redis->address();
    c.clusterHeartbeatMsecs = m_heartbeatMsecs;
    c.adminPassword = u"secret"_s;
    // Frozen: every post is "within" a slow-mode interval, whatever the machine's pace.
    c.moderationClock = [] { return qint64(0); };
    return c;
}

int ClusterTest::startInstance()
{
    m_servers.push_back(TestServer::start(config()));
    return m_servers.back() ? int(m_servers.size()) - 1 : -1;
}

std::unique_ptr<TestClient> ClusterTest::joinOn(int instance, const QString &nick)
{
    auto client = std::make_unique<TestClient>();
    if (client->join(port(instance), nick).isEmpty())
        return nullptr;
    return client;
}

QList<std::tuple<qint64, QString, QString>> ClusterTest::messages(TestClient &client, int count)
{
    QList<std::tuple<qint64, QString, QString>> result;
    for (int i = 0; i < count; ++i) {
        const QJsonObject m = client.waitForFrame(u"message"_s, kWaitMsecs);
        if (m.isEmpty())
            break;
        result.append({m.value(u"id"_s).toInteger(), m.value(u"from"_s).toString(), m.value(u"text"_s).toString()});
    }
    return result;
}

QString ClusterTest::answerTo(TestClient &client, const QString &text)
{
    const QJsonObject reply = client.nextFrame(kWaitMsecs);
    if (Spec::type(reply) == u"error"_s)
        return reply.value(u"code"_s).toString();
    if (Spec::type(reply) == u"message"_s && reply.value(u"text"_s).toString() == text)
        return u"posted"_s;
    return u"(unexpected: %1)"_s.arg(QString::fromUtf8(QJsonDocument(reply).toJson(QJsonDocument::Compact)));
}
