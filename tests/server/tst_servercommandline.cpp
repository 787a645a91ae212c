// SPDX-License-Identifier: MIT
#include "servercommandline.h"
#include "testharness.h"

#include <QTest>

using namespace Qt::StringLiterals;
using Outcome = ServerCommandLine::Outcome;

Q_DECLARE_METATYPE(ServerCommandLine::Outcome)

namespace {

QProcessEnvironment environment(const QStringList &assignments)
{
    QProcessEnvironment env;
    for (const QString &assignment : assignments) {
        const qsizetype eq = assignment.indexOf(u'=');
        env.insert(assignment.left(eq), assignment.mid(eq + 1));
    }
    return env;
}

// One option's effective value, spelled as on the command line.
QString valueOf(const ServerConfig &config, const QString &option)
{
    if (option == u"host")
        return config.host.toString();
    if (option == u"port")
        return QString::number(config.port);
    if (option == u"max-clients")
        return QString::number(config.maxClients);
    if (option == u"history")
        return QString::number(config.history);
    if (option == u"max-rooms-per-user")
        return QString::number(config.maxRoomsPerUser);
    if (option == u"max-rooms")
        return QString::number(config.maxRooms);
    if (option == u"max-frame")
        return QString::number(config.maxFrameBytes);
    if (option == u"rate")
        return QString::number(config.rate);
    if (option == u"burst")
        return QString::number(config.burst);
    if (option == u"sendq")
        return QString::number(config.sendQueueBytes);
    if (option == u"log-level")
        return config.logLevel;
    if (option == u"store")
        return config.store;
    if (option == u"max-per-ip")
        return QString::number(config.maxPerIp);
    if (option == u"idle-timeout")
        return QString::number(config.idleTimeoutMsecs);
    if (option == u"register-timeout")
        return QString::number(config.registerTimeoutMsecs);
    if (option == u"frame-timeout")
        return QString::number(config.frameTimeoutMsecs);
    if (option == u"admin-password")
        return config.adminPassword;
    if (option == u"tls-cert")
        return config.tlsCertificate;
    if (option == u"tls-key")
        return config.tlsKey;
    if (option == u"tls-self-signed")
        return config.tlsSelfSigned ? u"on"_s : u"off"_s;
    if (option == u"tls-dir")
        return config.tlsDirectory;
    if (option == u"redis")
        return config.redis ? config.redis->toString() : QString();
    if (option == u"cluster-heartbeat")
        return QString::number(config.clusterHeartbeatMsecs);
    return {};
}

} // namespace

class TestServerCommandLine final : public QObject
{
    Q_OBJECT

private slots:
    void defaults_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value");
        QTest::newRow("port") << u"port"_s << u"55555"_s;
        QTest::newRow("all interfaces") << u"host"_s << QHostAddress(QHostAddress::Any).toString();
        QTest::newRow("history") << u"history"_s << u"100"_s;
        QTest::newRow("max-rooms-per-user") << u"max-rooms-per-user"_s << u"32"_s;
        QTest::newRow("max-rooms") << u"max-rooms"_s << u"1000"_s;
        QTest::newRow("max-frame") << u"max-frame"_s << u"65536"_s;
        QTest::newRow("rate") << u"rate"_s << u"10"_s;
        QTest::newRow("burst") << u"burst"_s << u"20"_s;
        QTest::newRow("sendq 4 MiB") << u"sendq"_s << u"4194304"_s;
        QTest::newRow("log-level") << u"log-level"_s << u"info"_s;
        QTest::newRow("store: none, in memory") << u"store"_s << QString();
        QTest::newRow("max-per-ip off") << u"max-per-ip"_s << u"0"_s;
        QTest::newRow("idle-timeout 60 s") << u"idle-timeout"_s << u"60000"_s;
        QTest::newRow("register-timeout 30 s") << u"register-timeout"_s << u"30000"_s;
        QTest::newRow("frame-timeout 30 s") << u"frame-timeout"_s << u"30000"_s;
        QTest::newRow("plaintext") << u"tls-self-signed"_s << u"off"_s;
        QTest::newRow("tls-dir: working directory") << u"tls-dir"_s << u"."_s;
        QTest::newRow("redis: none, a room of its own") << u"redis"_s << QString();
        QTest::newRow("cluster-heartbeat 5 s") << u"cluster-heartbeat"_s << u"5000"_s;
    }

    // PROTOCOL.md's defaults, with no option and no environment.
    void defaults()
    {
        QFETCH(QString, option);
        QFETCH(QString, value);
        ServerCommandLine commandLine;
        QCOMPARE(commandLine.parse({u"chat-server"_s}, QProcessEnvironment()), Outcome::Run);
        QCOMPARE(valueOf(commandLine.config(), option), value);
    }

    void options_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value");

        QTest::newRow("--port") << QStringList{u"--port"_s, u"6000"_s} << QStringList() << u"port"_s << u"6000"_s;
        QTest::newRow("--port=0") << QStringList{u"--port=0"_s} << QStringList() << u"port"_s << u"0"_s;
        QTest::newRow("CHAT_PORT") << QStringList() << QStringList{u"CHAT_PORT=7000"_s} << u"port"_s << u"7000"_s;
        QTest::newRow("command line wins")
            << QStringList{u"--port"_s, u"6000"_s} << QStringList{u"CHAT_PORT=7000"_s} << u"port"_s << u"6000"_s;
        QTest::newRow("--host") << QStringList{u"--host"_s, u"127.0.0.1"_s} << QStringList() << u"host"_s
                                << u"127.0.0.1"_s;
        QTest::newRow("CHAT_HOST IPv6") << QStringList() << QStringList{u"CHAT_HOST=::1"_s} << u"host"_s << u"::1"_s;
        QTest::newRow("--history") << QStringList{u"--history"_s, u"0"_s} << QStringList() << u"history"_s << u"0"_s;
        QTest::newRow("CHAT_HISTORY") << QStringList() << QStringList{u"CHAT_HISTORY=500"_s} << u"history"_s
                                      << u"500"_s;
        QTest::newRow("--max-rooms-per-user")
            << QStringList{u"--max-rooms-per-user"_s, u"5"_s} << QStringList() << u"max-rooms-per-user"_s << u"5"_s;
        QTest::newRow("CHAT_MAX_ROOMS") << QStringList() << QStringList{u"CHAT_MAX_ROOMS=20"_s} << u"max-rooms"_s
                                        << u"20"_s;
        QTest::newRow("--rate 0") << QStringList{u"--rate"_s, u"0"_s} << QStringList() << u"rate"_s << u"0"_s;
        QTest::newRow("--rate 2.5") << QStringList{u"--rate"_s, u"2.5"_s} << QStringList() << u"rate"_s << u"2.5"_s;
        QTest::newRow("CHAT_BURST") << QStringList() << QStringList{u"CHAT_BURST=5"_s} << u"burst"_s << u"5"_s;
        QTest::newRow("--max-frame") << QStringList{u"--max-frame"_s, u"1024"_s} << QStringList() << u"max-frame"_s
                                     << u"1024"_s;
        QTest::newRow("CHAT_SENDQ") << QStringList() << QStringList{u"CHAT_SENDQ=65536"_s} << u"sendq"_s << u"65536"_s;
        QTest::newRow("--max-clients") << QStringList{u"--max-clients"_s, u"3"_s} << QStringList() << u"max-clients"_s
                                       << u"3"_s;
        QTest::newRow("CHAT_LOG_LEVEL") << QStringList() << QStringList{u"CHAT_LOG_LEVEL=debug"_s} << u"log-level"_s
                                        << u"debug"_s;
        QTest::newRow("--store") << QStringList{u"--store"_s, u"/var/lib/qtchat/chat.db"_s} << QStringList()
                                 << u"store"_s << u"/var/lib/qtchat/chat.db"_s;
        QTest::newRow("CHAT_STORE") << QStringList() << QStringList{u"CHAT_STORE=chat.db"_s} << u"store"_s
                                    << u"chat.db"_s;
        QTest::newRow("--max-per-ip") << QStringList{u"--max-per-ip"_s, u"4"_s} << QStringList() << u"max-per-ip"_s
                                      << u"4"_s;
        QTest::newRow("--redis host only") << QStringList{u"--redis"_s, u"redis://redis"_s} << QStringList()
                                           << u"redis"_s << u"redis://redis:6379/0"_s;
        QTest::newRow("CHAT_REDIS port and db") << QStringList() << QStringList{u"CHAT_REDIS=redis://10.0.0.5:7000/2"_s}
                                                << u"redis"_s << u"redis://10.0.0.5:7000/2"_s;
        QTest::newRow("--redis sentinel defaults") << QStringList{u"--redis"_s, u"redis-sentinel://s1/m"_s}
                                                   << QStringList() << u"redis"_s << u"redis-sentinel://s1:26379/m/0"_s;
        QTest::newRow("CHAT_REDIS three sentinels and db")
            << QStringList() << QStringList{u"CHAT_REDIS=redis-sentinel://10.0.0.1:5000,s2,[::1]:26380/main/3"_s}
            << u"redis"_s << u"redis-sentinel://10.0.0.1:5000,s2:26379,[::1]:26380/main/3"_s;
        QTest::newRow("empty CHAT_REDIS is unset")
            << QStringList() << QStringList{u"CHAT_REDIS="_s} << u"redis"_s << QString();
        QTest::newRow("empty CHAT_STORE beside CHAT_REDIS")
            << QStringList() << QStringList{u"CHAT_REDIS=redis://redis:6379"_s, u"CHAT_STORE="_s} << u"store"_s
            << QString();
        QTest::newRow("--cluster-heartbeat 0.5")
            << QStringList{u"--cluster-heartbeat"_s, u"0.5"_s} << QStringList() << u"cluster-heartbeat"_s << u"500"_s;
        QTest::newRow("CHAT_MAX_PER_IP") << QStringList() << QStringList{u"CHAT_MAX_PER_IP=8"_s} << u"max-per-ip"_s
                                         << u"8"_s;
        // Timeouts are seconds on the command line, milliseconds in the config.
        QTest::newRow("--idle-timeout") << QStringList{u"--idle-timeout"_s, u"120"_s} << QStringList()
                                        << u"idle-timeout"_s << u"120000"_s;
        QTest::newRow("--idle-timeout 0 (off)")
            << QStringList{u"--idle-timeout=0"_s} << QStringList() << u"idle-timeout"_s << u"0"_s;
        QTest::newRow("--register-timeout fraction")
            << QStringList{u"--register-timeout"_s, u"0.25"_s} << QStringList() << u"register-timeout"_s << u"250"_s;
        QTest::newRow("CHAT_FRAME_TIMEOUT")
            << QStringList() << QStringList{u"CHAT_FRAME_TIMEOUT=5"_s} << u"frame-timeout"_s << u"5000"_s;
        QTest::newRow("CHAT_REGISTER_TIMEOUT")
            << QStringList() << QStringList{u"CHAT_REGISTER_TIMEOUT=45"_s} << u"register-timeout"_s << u"45000"_s;
        QTest::newRow("--admin-password") << QStringList{u"--admin-password"_s, u" two words "_s} << QStringList()
                                          << u"admin-password"_s << u" two words "_s;
        QTest::newRow("CHAT_ADMIN_PASSWORD")
            << QStringList() << QStringList{u"CHAT_ADMIN_PASSWORD=pw"_s} << u"admin-password"_s << u"pw"_s;
        QTest::newRow("no admin password by default")
            << QStringList() << QStringList() << u"admin-password"_s << QString();
        QTest::newRow("empty CHAT_ADMIN_PASSWORD is unset")
            << QStringList() << QStringList{u"CHAT_ADMIN_PASSWORD="_s} << u"admin-password"_s << QString();
        QTest::newRow("--tls-cert") << QStringList{u"--tls-cert"_s, u"c.pem"_s, u"--tls-key"_s, u"k.pem"_s}
                                    << QStringList() << u"tls-cert"_s << u"c.pem"_s;
        QTest::newRow("CHAT_TLS_KEY") << QStringList() << QStringList{u"CHAT_TLS_CERT=c.pem"_s, u"CHAT_TLS_KEY=k.pem"_s}
                                      << u"tls-key"_s << u"k.pem"_s;
        QTest::newRow("--tls-self-signed")
            << QStringList{u"--tls-self-signed"_s} << QStringList() << u"tls-self-signed"_s << u"on"_s;
        QTest::newRow("CHAT_TLS_SELF_SIGNED=1")
            << QStringList() << QStringList{u"CHAT_TLS_SELF_SIGNED=1"_s} << u"tls-self-signed"_s << u"on"_s;
        QTest::newRow("CHAT_TLS_SELF_SIGNED=0")
            << QStringList() << QStringList{u"CHAT_TLS_SELF_SIGNED=0"_s} << u"tls-self-signed"_s << u"off"_s;
        QTest::newRow("CHAT_TLS_DIR") << QStringList() << QStringList{u"CHAT_TLS_DIR=/data/tls"_s} << u"tls-dir"_s
                                      << u"/data/tls"_s;
        QTest::newRow("other variables ignored")
            << QStringList() << QStringList{u"PORT=1"_s, u"CHAT=2"_s} << u"port"_s << u"55555"_s;
    }

    void options()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QStringList, env);
        QFETCH(QString, option);
        QFETCH(QString, value);

        ServerCommandLine commandLine;
        QCOMPARE(commandLine.parse(QStringList{u"chat-server"_s} + arguments, environment(env)), Outcome::Run);
        QCOMPARE(valueOf(commandLine.config(), option), value);
    }

    void invalid_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<QString>("mentioned");

        QTest::newRow("unknown option") << QStringList{u"--verbose"_s} << QStringList() << u"verbose"_s;
        QTest::newRow("positional") << QStringList{u"extra"_s} << QStringList() << u"extra"_s;
        QTest::newRow("port word") << QStringList{u"--port"_s, u"abc"_s} << QStringList() << u"--port"_s;
        QTest::newRow("port 65536") << QStringList{u"--port"_s, u"65536"_s} << QStringList() << u"--port"_s;
        QTest::newRow("port negative") << QStringList{u"--port=-1"_s} << QStringList() << u"--port"_s;
        QTest::newRow("rate negative") << QStringList{u"--rate"_s, u"-1"_s} << QStringList() << u"--rate"_s;
        QTest::newRow("burst 0") << QStringList{u"--burst"_s, u"0"_s} << QStringList() << u"--burst"_s;
        QTest::newRow("max-clients 0") << QStringList{u"--max-clients"_s, u"0"_s} << QStringList()
                                       << u"--max-clients"_s;
        QTest::newRow("history negative") << QStringList{u"--history"_s, u"-5"_s} << QStringList() << u"--history"_s;
        QTest::newRow("host garbage") << QStringList{u"--host"_s, u"256.1.1.1"_s} << QStringList() << u"--host"_s;
        QTest::newRow("log level") << QStringList{u"--log-level"_s, u"trace"_s} << QStringList() << u"--log-level"_s;
        QTest::newRow("max-per-ip negative") << QStringList{u"--max-per-ip=-1"_s} << QStringList() << u"--max-per-ip"_s;
        QTest::newRow("idle-timeout word")
            << QStringList{u"--idle-timeout"_s, u"soon"_s} << QStringList() << u"--idle-timeout"_s;
        QTest::newRow("frame-timeout negative")
            << QStringList{u"--frame-timeout=-1"_s} << QStringList() << u"--frame-timeout"_s;
        QTest::newRow("CHAT_REGISTER_TIMEOUT nan")
            << QStringList() << QStringList{u"CHAT_REGISTER_TIMEOUT=nan"_s} << u"CHAT_REGISTER_TIMEOUT"_s;
        QTest::newRow("CHAT_PORT word") << QStringList() << QStringList{u"CHAT_PORT=abc"_s} << u"CHAT_PORT"_s;
        QTest::newRow("empty store") << QStringList{u"--store="_s} << QStringList() << u"--store"_s;
        QTest::newRow("empty admin password")
            << QStringList{u"--admin-password="_s} << QStringList() << u"--admin-password"_s;
        QTest::newRow("cert without key")
            << QStringList{u"--tls-cert"_s, u"c.pem"_s} << QStringList() << u"--tls-key"_s;
        QTest::newRow("cert and self-signed")
            << QStringList{u"--tls-cert"_s, u"c.pem"_s, u"--tls-key"_s, u"k.pem"_s, u"--tls-self-signed"_s}
            << QStringList() << u"--tls-self-signed"_s;
        QTest::newRow("CHAT_TLS_SELF_SIGNED word")
            << QStringList() << QStringList{u"CHAT_TLS_SELF_SIGNED=maybe"_s} << u"CHAT_TLS_SELF_SIGNED"_s;
        QTest::newRow("CHAT_RATE word") << QStringList() << QStringList{u"CHAT_RATE=lots"_s} << u"CHAT_RATE"_s;
        QTest::newRow("redis without scheme")
            << QStringList{u"--redis"_s, u"localhost:6379"_s} << QStringList() << u"redis://HOST:PORT"_s;
        QTest::newRow("redis with password")
            << QStringList{u"--redis"_s, u"redis://:pw@redis:6379"_s} << QStringList() << u"no password"_s;
        QTest::newRow("redis db word") << QStringList() << QStringList{u"CHAT_REDIS=redis://redis/abc"_s}
                                       << u"database"_s;
        QTest::newRow("sentinel without master name")
            << QStringList{u"--redis"_s, u"redis-sentinel://s1:26379"_s} << QStringList() << u"MASTERNAME"_s;
        QTest::newRow("sentinel with empty host")
            << QStringList{u"--redis"_s, u"redis-sentinel://s1,/m"_s} << QStringList() << u"MASTERNAME"_s;
        QTest::newRow("sentinel port word")
            << QStringList{u"--redis"_s, u"redis-sentinel://s1:x/m"_s} << QStringList() << u"MASTERNAME"_s;
        QTest::newRow("sentinel db word")
            << QStringList{u"--redis"_s, u"redis-sentinel://s1/m/abc"_s} << QStringList() << u"database"_s;
        QTest::newRow("store and redis") << QStringList{u"--store"_s, u"chat.db"_s, u"--redis"_s, u"redis://r"_s}
                                         << QStringList() << u"exclude each other"_s;
        QTest::newRow("heartbeat too short")
            << QStringList{u"--cluster-heartbeat"_s, u"0.01"_s} << QStringList() << u"--cluster-heartbeat"_s;
    }

    void invalid()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QStringList, env);
        QFETCH(QString, mentioned);

        ServerCommandLine commandLine;
        QCOMPARE(commandLine.parse(QStringList{u"chat-server"_s} + arguments, environment(env)), Outcome::Invalid);
        QVERIFY2(commandLine.text().contains(mentioned), qPrintable(commandLine.text()));
        QCOMPARE(ServerCommandLine::kUsageExitCode, 2);
    }

    void helpAndVersion_data()
    {
        QTest::addColumn<QString>("argument");
        QTest::addColumn<Outcome>("outcome");
        QTest::addColumn<QString>("mentioned");
        QTest::newRow("--help") << u"--help"_s << Outcome::ShowHelp << u"--port"_s;
        QTest::newRow("-h") << u"-h"_s << Outcome::ShowHelp << u"CHAT_PORT"_s;
        QTest::newRow("--version") << u"--version"_s << Outcome::ShowVersion << QStringLiteral(QTCHAT_VERSION);
    }

    void helpAndVersion()
    {
        QFETCH(QString, argument);
        QFETCH(Outcome, outcome);
        QFETCH(QString, mentioned);
        ServerCommandLine commandLine;
        QCOMPARE(commandLine.parse({u"chat-server"_s, argument}, QProcessEnvironment()), outcome);
        QVERIFY2(commandLine.text().contains(mentioned), qPrintable(commandLine.text()));
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestServerCommandLine)
#include "tst_servercommandline.moc"
