// SPDX-License-Identifier: MIT
// The real chat-server binary, run with QProcess: options, CHAT_* environment
// variables, exit codes, and a clean shutdown on SIGTERM/SIGINT.
#include "reservedport.h"
#include "serverprocess.h"
#include "spec.h"
#include "testclient.h"
#include "testharness.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <csignal>

using namespace Qt::StringLiterals;

namespace {

constexpr int kWorkerThreads = 4;
const QString kAdminPassword = u"op-password"_s;

QString serverBinary()
{
    return QStringLiteral(QTCHAT_SERVER_BINARY);
}

// Several workers even on a small machine, so ThreadSanitizer runs see cross-thread traffic.
QStringList withWorkers(const QStringList &arguments)
{
    return QStringList{u"--threads"_s, QString::number(kWorkerThreads)} + arguments;
}

struct RunResult {
    int exitCode = -1;
    QString out;
    QString err;
};

// Runs chat-server to completion (for options that make it exit at once).
RunResult run(const QStringList &arguments, const QProcessEnvironment &env = ServerProcess::cleanEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(serverBinary(), arguments);
    if (!process.waitForFinished(ServerProcess::kTimeoutMsecs)) {
        process.kill();
        process.waitForFinished();
        return {};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

} // namespace

class TestServerProcess final : public QObject
{
    Q_OBJECT

private slots:
    void help()
    {
        const RunResult result = run({u"--help"_s});
        QCOMPARE(result.exitCode, 0);
        for (const QString &option :
             {u"--port"_s, u"--host"_s, u"--history"_s, u"--rate"_s, u"--burst"_s, u"--max-frame"_s, u"--sendq"_s,
              u"--max-clients"_s, u"CHAT_PORT"_s, u"--max-per-ip"_s, u"--idle-timeout"_s, u"--register-timeout"_s,
              u"--frame-timeout"_s})
            QVERIFY2(result.out.contains(option), qPrintable(option));
    }

    void version()
    {
        const RunResult result = run({u"--version"_s});
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.startsWith(u"chat-server "_s), qPrintable(result.out));
        QVERIFY(result.out.contains(QStringLiteral(QTCHAT_VERSION)));
    }

    void invalidUsage_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("variable");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("mentioned");

        QTest::newRow("unknown option") << QStringList{u"--colour"_s} << QString() << QString() << u"colour"_s;
        QTest::newRow("stray argument") << QStringList{u"55555"_s} << QString() << QString() << u"55555"_s;
        QTest::newRow("port not a number")
            << QStringList{u"--port"_s, u"http"_s} << QString() << QString() << u"--port"_s;
        QTest::newRow("port too big") << QStringList{u"--port"_s, u"70000"_s} << QString() << QString() << u"--port"_s;
        QTest::newRow("negative history")
            << QStringList{u"--history"_s, u"-1"_s} << QString() << QString() << u"--history"_s;
        QTest::newRow("rate not a number")
            << QStringList{u"--rate"_s, u"fast"_s} << QString() << QString() << u"--rate"_s;
        QTest::newRow("bad host") << QStringList{u"--host"_s, u"not..an.address"_s} << QString() << QString()
                                  << u"--host"_s;
        QTest::newRow("bad log level") << QStringList{u"--log-level"_s, u"loud"_s} << QString() << QString()
                                       << u"--log-level"_s;
        QTest::newRow("missing value") << QStringList{u"--port"_s} << QString() << QString() << u"port"_s;
        QTest::newRow("bad CHAT_PORT") << QStringList() << u"CHAT_PORT"_s << u"abc"_s << u"CHAT_PORT"_s;
        QTest::newRow("bad CHAT_MAX_CLIENTS")
            << QStringList() << u"CHAT_MAX_CLIENTS"_s << u"0"_s << u"CHAT_MAX_CLIENTS"_s;
    }

    // Usage errors exit with status 2 and say what was wrong, before listening anywhere.
    void invalidUsage()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, variable);
        QFETCH(QString, value);
        QFETCH(QString, mentioned);

        QProcessEnvironment env = ServerProcess::cleanEnvironment();
        if (!variable.isEmpty())
            env.insert(variable, value);
        const RunResult result = run(arguments, env);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(mentioned), qPrintable(result.err));
        QVERIFY(!result.err.contains(u"listening on"_s));
    }

    // A welcome can be larger than --sendq (it is sent whole, see
    // tst_server_limits); the operator is told at start, with the figures.
    void largeWelcomeIsSaidAtStart()
    {
        ServerProcess small(serverBinary(),
                            withWorkers({u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s, u"--sendq"_s, u"262144"_s}));
        QVERIFY2(small.start() != 0, small.stderrText().constData());
        const QString said = QString::fromUtf8(small.stderrText());
        QVERIFY2(said.contains(u"a welcome can reach about"_s) &&
                     said.contains(u"more than the send queue's 256 KiB"_s),
                 qPrintable(said));

        // The defaults (100 messages, 4 MiB) fit: nothing to say.
        ServerProcess defaults(serverBinary(), withWorkers({u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s}));
        QVERIFY2(defaults.start() != 0, defaults.stderrText().constData());
        QVERIFY(!QString::fromUtf8(defaults.stderrText()).contains(u"a welcome can reach"_s));
    }

    void portZeroAndHostFromCommandLine()
    {
        ServerProcess server(serverBinary(), withWorkers({u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s}));
        const quint16 port = server.start();
        QVERIFY2(port != 0, server.stderrText().constData());
        QCOMPARE(server.address(), u"127.0.0.1"_s);
        TestClient alice;
        QCOMPARE(Spec::type(alice.join(port, u"alice"_s)), u"welcome"_s);
    }

    // Containers configure the server with CHAT_* variables.
    void environmentIsHonoured()
    {
        QProcessEnvironment env = ServerProcess::cleanEnvironment();
        env.insert(u"CHAT_HOST"_s, u"127.0.0.1"_s);
        env.insert(u"CHAT_PORT"_s, u"0"_s);
        env.insert(u"CHAT_HISTORY"_s, u"2"_s);
        env.insert(u"CHAT_MAX_CLIENTS"_s, u"2"_s);
        env.insert(u"CHAT_RATE"_s, u"0"_s);
        ServerProcess server(serverBinary(), withWorkers({}), env);
        const quint16 port = server.start();
        QVERIFY2(port != 0, server.stderrText().constData());
        QCOMPARE(server.address(), u"127.0.0.1"_s);

        TestClient alice;
        QVERIFY(!alice.join(port, u"alice"_s).isEmpty());
        for (int i = 1; i <= 3; ++i)
            alice.sendJson(Spec::say(u"m%1"_s.arg(i)));
        for (int i = 1; i <= 3; ++i)
            QCOMPARE(alice.nextFrame().value(u"text"_s).toString(), u"m%1"_s.arg(i));

        TestClient bob; // CHAT_HISTORY=2
        QCOMPARE(bob.join(port, u"bob"_s).value(u"history"_s).toArray().size(), 2);
        TestClient carol; // CHAT_MAX_CLIENTS=2
        QVERIFY(carol.connectToServer(port));
        QCOMPARE(carol.nextFrame().value(u"code"_s).toString(), u"server-full"_s);
    }

    void commandLineWinsOverEnvironment()
    {
        QProcessEnvironment env = ServerProcess::cleanEnvironment();
        env.insert(u"CHAT_HOST"_s, u"127.0.0.1"_s);
        env.insert(u"CHAT_PORT"_s, u"not-a-port"_s); // overridden, so never looked at
        env.insert(u"CHAT_HISTORY"_s, u"0"_s);
        ServerProcess server(serverBinary(), withWorkers({u"--port"_s, u"0"_s, u"--history"_s, u"5"_s}), env);
        const quint16 port = server.start();
        QVERIFY2(port != 0, server.stderrText().constData());

        TestClient alice;
        QVERIFY(!alice.join(port, u"alice"_s).isEmpty());
        alice.sendJson(Spec::say(u"kept"_s));
        QCOMPARE(alice.nextFrame().value(u"text"_s).toString(), u"kept"_s);
        TestClient bob;
        QCOMPARE(bob.join(port, u"bob"_s).value(u"history"_s).toArray().size(), 1);
    }

    // The abuse limits reach the server: --idle-timeout from the command line, CHAT_MAX_PER_IP from the environment.
    void abuseLimitsAreHonoured()
    {
        QProcessEnvironment env = ServerProcess::cleanEnvironment();
        env.insert(u"CHAT_MAX_PER_IP"_s, u"1"_s);
        ServerProcess server(
            serverBinary(),
            withWorkers({u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s, u"--idle-timeout"_s, u"0.5"_s}), env);
        const quint16 port = server.start();
        QVERIFY2(port != 0, server.stderrText().constData());

        TestClient silent;
        QVERIFY(silent.connectToServer(port));
        TestClient second; // same address, while the first is open
        QVERIFY(second.connectToServer(port));
        QCOMPARE(second.nextFrame().value(u"code"_s).toString(), u"server-full"_s);
        QVERIFY(silent.waitForDisconnected());
        QCOMPARE(silent.waitForFrame(u"error"_s).value(u"code"_s).toString(), u"timeout"_s);
    }

    void portInUse()
    {
        ServerProcess first(serverBinary(), withWorkers({u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s}));
        const quint16 port = first.start();
        QVERIFY(port != 0);
        const RunResult second = run({u"--host"_s, u"127.0.0.1"_s, u"--port"_s, QString::number(port)});
        QVERIFY(second.exitCode != 0);
        QVERIFY2(second.err.contains(QString::number(port)), qPrintable(second.err));
    }

    void shutdownSignal_data()
    {
        QTest::addColumn<int>("signalNumber");
        QTest::newRow("SIGTERM") << SIGTERM;
        QTest::newRow("SIGINT") << SIGINT;
    }

    // Everyone is told, the process exits with 0 within 2 s.
    void shutdownSignal()
    {
        QFETCH(int, signalNumber);
        ServerProcess server(serverBinary(), withWorkers({u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s}));
        const quint16 port = server.start();
        QVERIFY(port != 0);

        TestClient json;
        QVERIFY(!json.join(port, u"alice"_s).isEmpty());
        TestClient text;
        QVERIFY(text.connectToServer(port));
        text.sendLine(u"hi"_s);
        QVERIFY(json.waitForFrame(u"message"_s).value(u"from"_s).toString().startsWith(u"guest"_s));
        TestClient silent; // connected, undecided mode
        QVERIFY(silent.connectToServer(port));

        QSignalSpy finished(&server.process(), &QProcess::finished);
        QCOMPARE(::kill(pid_t(server.process().processId()), signalNumber), 0);

        const QJsonObject bye = json.waitForFrame(u"bye"_s);
        QCOMPARE(bye.value(u"reason"_s).toString(), u"shutdown"_s);
        const std::optional<QString> last = text.waitForTextLine(
            [](const QString &line) { return line.startsWith(u"* "_s) && line.contains(u"shut"_s); });
        QVERIFY(last);
        QVERIFY(json.waitForDisconnected());
        QVERIFY(text.waitForDisconnected());
        QVERIFY(silent.waitForDisconnected());

        QVERIFY(!finished.isEmpty() || finished.wait(ServerProcess::kTimeoutMsecs));
        QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(server.process().exitCode(), 0);
        // Everyone read the goodbye and went: the server did not have to cut anyone off.
        const QString log = QString::fromUtf8(server.stderrText());
        QVERIFY2(log.contains(u"shutdown complete"_s), qPrintable(log));
        QVERIFY2(!log.contains(u"did not close in time"_s), qPrintable(log));
    }

    // A client that does not read (megabytes queued for it) cannot hold up the exit.
    void shutdownWithClientNotReading()
    {
        ServerProcess server(serverBinary(), withWorkers({u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s, u"--rate"_s,
                                                          u"0"_s, u"--sendq"_s, u"100000000"_s}));
        const quint16 port = server.start();
        QVERIFY(port != 0);
        TestClient stuck;
        QVERIFY(!stuck.join(port, u"stuck"_s).isEmpty());
        stuck.stopReading();
        TestClient flooder;
        QVERIFY(!flooder.join(port, u"flooder"_s).isEmpty());
        const QByteArray message = QJsonDocument(Spec::say(u"x"_s.repeated(3000))).toJson(QJsonDocument::Compact);
        // About 7 MB for the stuck client: more than the kernel's buffers take
        // (about 3 MB here). In batches, each echoed before the next, so the
        // room never lags thousands of requests behind the worker: under
        // ThreadSanitizer such a backlog outgrows its history, and the
        // suppressions for Qt's hand-off of queued arguments (tests/tsan.supp)
        // can no longer match a false report (docs/testing.md).
        constexpr int kBatches = 46;
        constexpr int kPerBatch = 50;
        for (int batch = 0; batch < kBatches; ++batch) {
            flooder.sendRaw(QByteArray(message + '\n').repeated(kPerBatch - 1));
            const QString marker = u"\"end of batch %1\""_s.arg(batch);
            flooder.sendJson(Spec::say(marker.mid(1, marker.size() - 2)));
            QVERIFY2(flooder.waitForTextLine([&marker](const QString &line) { return line.contains(marker); },
                                             ServerProcess::kTimeoutMsecs),
                     qPrintable(marker));
        }

        QSignalSpy finished(&server.process(), &QProcess::finished);
        server.process().terminate();
        QCOMPARE(flooder.waitForFrame(u"bye"_s).value(u"reason"_s).toString(), u"shutdown"_s);
        // Without the cut-off below the stuck client would hold the exit for ever.
        QVERIFY(!finished.isEmpty() || finished.wait(ServerProcess::kTimeoutMsecs));
        QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(server.process().exitCode(), 0);
        const QString log = QString::fromUtf8(server.stderrText());
        QVERIFY2(log.contains(u"did not close in time; cutting them"_s), qPrintable(log));
        QVERIFY2(log.contains(u"shutdown complete"_s), qPrintable(log));
    }

    // --tls-self-signed (here through the environment, then the option):
    // the certificate is made once, its fingerprint logged, and reused.
    void tlsSelfSignedLogsTheFingerprintAndKeepsIt()
    {
        QTCHAT_REQUIRE(QSslSocket::supportsSsl(), "a TLS backend in Qt (Debian: libssl3, with Qt's OpenSSL plugin)");
        static const QRegularExpression fingerprintLine(u"TLS certificate SHA-256 fingerprint: ([0-9A-F:]{95})"_s);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QString firstFingerprint;
        {
            QProcessEnvironment env = ServerProcess::cleanEnvironment();
            env.insert(u"CHAT_TLS_SELF_SIGNED"_s, u"1"_s);
            env.insert(u"CHAT_TLS_DIR"_s, dir.path());
            ServerProcess server(serverBinary(), withWorkers({u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s}), env);
            const quint16 port = server.start();
            QVERIFY(port != 0);
            const QString log = QString::fromUtf8(server.stderrText());
            const QRegularExpressionMatch match = fingerprintLine.match(log);
            QVERIFY2(match.hasMatch(), qPrintable(log));
            firstFingerprint = match.captured(1);
            QVERIFY(log.contains(u"made a self-signed certificate"_s));

            QFile certificate(dir.filePath(u"chat-server-cert.pem"_s));
            QVERIFY(certificate.open(QIODevice::ReadOnly));
            const QSslCertificate parsed(&certificate, QSsl::Pem);
            QCOMPARE(QString::fromLatin1(parsed.digest(QCryptographicHash::Sha256).toHex(':').toUpper()),
                     firstFingerprint);

            TestClient client;
            client.useTls();
            QCOMPARE(client.join(port, u"tina"_s).value(u"type"_s).toString(), u"welcome"_s);
            server.process().terminate();
            QVERIFY(client.waitForDisconnected());
        }
        ServerProcess again(serverBinary(), withWorkers({u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s,
                                                         u"--tls-self-signed"_s, u"--tls-dir"_s, dir.path()}));
        QVERIFY(again.start() != 0);
        const QString log = QString::fromUtf8(again.stderrText());
        QVERIFY2(log.contains(u"using the self-signed certificate"_s), qPrintable(log));
        QCOMPARE(fingerprintLine.match(log).captured(1), firstFingerprint);
    }

    // With --redis the room lives in Redis; if it cannot be reached at start
    // the server refuses to run (status 2, as for a store it cannot open), so
    // a container restarts it rather than serving a room of its own.
    void unreachableRedisAtStartExitsTwo()
    {
        const ReservedPort refused; // bound, never listening: connections to it are refused
        QVERIFY(refused.port() != 0);
        const RunResult result = run(withWorkers({u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s, u"--redis"_s,
                                                  u"redis://127.0.0.1:%1"_s.arg(refused.port())}));
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(u"cannot connect to redis://127.0.0.1:%1"_s.arg(refused.port())),
                 qPrintable(result.err));
        QVERIFY2(!result.err.contains(u"listening on"_s), qPrintable(result.err));
    }

    void infoLogHoldsNoMessageText_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("levelVariable");
        QTest::newRow("default level") << QStringList() << QString();
        QTest::newRow("--log-level info") << QStringList{u"--log-level"_s, u"info"_s} << QString();
        QTest::newRow("CHAT_LOG_LEVEL=info") << QStringList() << u"info"_s;
    }

    // What people write stays out of the operator's log at the default level:
    // the log says who joined, was renamed, muted, kicked, but never the text
    // of a message, action, whisper, refused post, kick reason or goodbye,
    // whether it came in JSON or text mode.
    void infoLogHoldsNoMessageText()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, levelVariable);
        QProcessEnvironment env = ServerProcess::cleanEnvironment();
        if (!levelVariable.isEmpty())
            env.insert(u"CHAT_LOG_LEVEL"_s, levelVariable);
        ServerProcess server(serverBinary(),
                             withWorkers(QStringList{u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s,
                                                     u"--admin-password"_s, kAdminPassword} +
                                         arguments),
                             env);
        const quint16 port = server.start();
        QVERIFY2(port != 0, server.stderrText().constData());

        // Every text below carries this tag; it must not show up in the log.
        const QString tag = QUuid::createUuid().toString(QUuid::Id128);
        const auto secret = [&tag](const QString &what) { return u"%1-%2"_s.arg(what, tag); };

        TestClient alice;
        QCOMPARE(Spec::type(alice.join(port, u"alice"_s)), u"welcome"_s);
        TestClient text; // text mode: its first line registers it as guestN and is a message
        QVERIFY(text.connectToServer(port));
        text.sendLine(secret(u"text-say"_s));
        QCOMPARE(alice.waitForFrame(u"message"_s).value(u"text"_s).toString(), secret(u"text-say"_s));
        text.sendLine(u"/nick tom"_s);
        QCOMPARE(alice.waitForFrame(u"renamed"_s).value(u"to"_s).toString(), u"tom"_s);
        text.sendLine(u"/me "_s + secret(u"text-action"_s));
        const QJsonObject action = alice.waitForFrame(u"message"_s);
        QCOMPARE(action.value(u"text"_s).toString(), secret(u"text-action"_s));
        QVERIFY(action.value(u"action"_s).toBool());
        text.sendLine(u"/msg alice "_s + secret(u"text-whisper"_s));
        QCOMPARE(alice.waitForFrame(u"whisper"_s).value(u"text"_s).toString(), secret(u"text-whisper"_s));

        const auto textSees = [&text](const QString &needle) {
            return text.waitForTextLine([&needle](const QString &line) { return line.contains(needle); }).has_value();
        };
        alice.sendJson(Spec::say(secret(u"json-say"_s)));
        QVERIFY(textSees(secret(u"json-say"_s)));
        alice.sendJson(Spec::whisper(u"tom"_s, secret(u"json-whisper"_s)));
        QVERIFY(textSees(secret(u"json-whisper"_s)));

        alice.sendJson(QJsonObject{{u"type"_s, u"op"_s}, {u"password"_s, kAdminPassword}});
        QCOMPARE(alice.waitForFrame(u"opped"_s).value(u"nick"_s).toString(), u"alice"_s);
        alice.sendJson(QJsonObject{{u"type"_s, u"mute"_s}, {u"nick"_s, u"tom"_s}, {u"minutes"_s, 5}});
        QCOMPARE(alice.waitForFrame(u"muted"_s).value(u"nick"_s).toString(), u"tom"_s);
        text.sendLine(secret(u"muted-say"_s));
        QVERIFY(textSees(u"* error: you are muted"_s));
        alice.sendJson(
            QJsonObject{{u"type"_s, u"kick"_s}, {u"nick"_s, u"tom"_s}, {u"reason"_s, secret(u"kick-reason"_s)}});
        const QJsonObject kicked = alice.waitForFrame(u"left"_s);
        QCOMPARE(kicked.value(u"reason"_s).toString(), u"kicked"_s);
        QCOMPARE(kicked.value(u"message"_s).toString(), secret(u"kick-reason"_s));
        QVERIFY(text.waitForDisconnected());
        alice.sendJson(Spec::bye(secret(u"bye-reason"_s)));
        QVERIFY(alice.waitForDisconnected());

        QSignalSpy finished(&server.process(), &QProcess::finished);
        server.process().terminate();
        QVERIFY(finished.wait(ServerProcess::kTimeoutMsecs));
        QCOMPARE(server.process().exitCode(), 0);
        const QString log = QString::fromUtf8(server.stderrText() + server.process().readAllStandardOutput());
        // The log is there and at info level, so its silence below means something.
        QVERIFY2(log.contains(u"joined as alice"_s) && log.contains(u"shutdown complete"_s), qPrintable(log));
        const QStringList leaks = log.split(u'\n').filter(tag);
        QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(u'\n')));
    }

    void tlsWithAMissingKeyExitsOne()
    {
        QTemporaryDir dir;
        const RunResult result = run({u"--port"_s, u"0"_s, u"--tls-cert"_s, dir.filePath(u"cert.pem"_s), u"--tls-key"_s,
                                      dir.filePath(u"key.pem"_s)});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(u"cert.pem"_s), qPrintable(result.err));
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestServerProcess)
#include "tst_server_process.moc"
