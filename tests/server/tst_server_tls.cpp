// SPDX-License-Identifier: MIT
// chat-server speaking TLS: the self-signed certificate made once and kept,
// JSON frames through TLS (large ones included), a plaintext client on the
// TLS port, configuration errors, and shutdown.
#include "chatserver.h"
#include "selfsignedcertificate.h"
#include "testclient.h"
#include "testharness.h"
#include "testserver.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

ServerConfig selfSignedConfig(const QString &directory)
{
    ServerConfig config = TestServer::config();
    config.tlsSelfSigned = true;
    config.tlsDirectory = directory;
    return config;
}

QString fingerprintOf(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

std::unique_ptr<TestClient> tlsClient()
{
    auto client = std::make_unique<TestClient>();
    client->useTls();
    return client;
}

} // namespace

class TestServerTls : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void selfSignedCertificateIsMadeOnceAndKept();
    void jsonFramesRoundTripOverTls();
    void largeWelcomeCrossesRecords();
    void textModeWorksOverTls();
    void plaintextClientIsToldAndServerCarriesOn();
    void missingCertificateIsAReadableError();
    void halfAPairIsNotOverwritten();
    void shutdownSaysByeOverTls();
    void slowTlsConsumerIsDroppedOthersGetEverything();
};

void TestServerTls::initTestCase()
{
    TestServer::quietLogs();
    QTCHAT_REQUIRE(QSslSocket::supportsSsl(), "a TLS backend in Qt (Debian: libssl3, with Qt's OpenSSL plugin)");
}

void TestServerTls::selfSignedCertificateIsMadeOnceAndKept()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString tlsDir = dir.filePath(u"tls"_s); // created by the server
    const QString certificatePath = QDir(tlsDir).filePath(QString::fromUtf16(SelfSignedCertificate::kCertificateFile));
    const QString keyPath = QDir(tlsDir).filePath(QString::fromUtf16(SelfSignedCertificate::kKeyFile));

    QString firstFingerprint;
    QByteArray firstPem;
    {
        auto server = TestServer::start(selfSignedConfig(tlsDir));
        QVERIFY(server);
        firstFingerprint = server->tlsFingerprint();
        QVERIFY(!firstFingerprint.isEmpty());
        QVERIFY(QFileInfo::exists(certificatePath));
        QCOMPARE(QFileInfo(keyPath).permissions() &
                     ~(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser),
                 QFileDevice::Permissions());
        QFile file(certificatePath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        firstPem = file.readAll();
        const QList<QSslCertificate> certificates = QSslCertificate::fromData(firstPem);
        QCOMPARE(certificates.size(), 1);
        QCOMPARE(fingerprintOf(certificates.first()), firstFingerprint);

        auto client = tlsClient();
        QVERIFY(client->connectToServer(server->serverPort()));
        auto *ssl = qobject_cast<QSslSocket *>(client->socket());
        QVERIFY(ssl);
        QCOMPARE(fingerprintOf(ssl->peerCertificate()), firstFingerprint);
    }
    auto server = TestServer::start(selfSignedConfig(tlsDir));
    QVERIFY(server);
    QCOMPARE(server->tlsFingerprint(), firstFingerprint);
    QFile file(certificatePath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), firstPem);
}

void TestServerTls::jsonFramesRoundTripOverTls()
{
    QTemporaryDir dir;
    auto server = TestServer::start(selfSignedConfig(dir.path()));
    QVERIFY(server);
    auto alice = tlsClient();
    auto bob = tlsClient();
    QCOMPARE(alice->join(server->serverPort(), u"alice"_s).value(u"type"_s).toString(), u"welcome"_s);
    QCOMPARE(bob->join(server->serverPort(), u"bob"_s).value(u"type"_s).toString(), u"welcome"_s);
    QCOMPARE(alice->waitForFrame(u"joined"_s).value(u"nick"_s).toString(), u"bob"_s);

    alice->sendJson({{u"type"_s, u"say"_s}, {u"text"_s, u"hello over TLS, 안녕"_s}});
    for (TestClient *client : {alice.get(), bob.get()}) {
        const QJsonObject message = client->waitForFrame(u"message"_s);
        QCOMPARE(message.value(u"from"_s).toString(), u"alice"_s);
        QCOMPARE(message.value(u"text"_s).toString(), u"hello over TLS, 안녕"_s);
    }
    bob->sendJson({{u"type"_s, u"ping"_s}, {u"id"_s, 7}});
    QCOMPARE(bob->waitForFrame(u"pong"_s).value(u"id"_s).toInt(), 7);
}

void TestServerTls::largeWelcomeCrossesRecords()
{
    // A welcome far larger than one TLS record (16 KiB) and many queued
    // messages at once: the gathering of output into records and partial
    // writes must deliver every byte in order.
    constexpr int kMessages = 15;
    constexpr int kTextLength = 3900;
    QTemporaryDir dir;
    auto server = TestServer::start(selfSignedConfig(dir.path()));
    QVERIFY(server);
    auto writer = tlsClient();
    QVERIFY(!writer->join(server->serverPort(), u"writer"_s).isEmpty());
    for (int i = 0; i < kMessages; ++i)
        writer->sendJson({{u"type"_s, u"say"_s}, {u"text"_s, QString(kTextLength, QChar(u'a' + i))}});
    for (int i = 0; i < kMessages; ++i)
        QCOMPARE(writer->waitForFrame(u"message"_s).value(u"text"_s).toString(), QString(kTextLength, QChar(u'a' + i)));

    auto reader = tlsClient();
    const QJsonObject welcome = reader->join(server->serverPort(), u"reader"_s);
    const QJsonArray history = welcome.value(u"history"_s).toArray();
    QCOMPARE(history.size(), kMessages);
    for (int i = 0; i < kMessages; ++i)
        QCOMPARE(history.at(i).toObject().value(u"text"_s).toString(), QString(kTextLength, QChar(u'a' + i)));
}

void TestServerTls::textModeWorksOverTls()
{
    QTemporaryDir dir;
    auto server = TestServer::start(selfSignedConfig(dir.path()));
    QVERIFY(server);
    auto person = tlsClient();
    QVERIFY(person->connectToServer(server->serverPort()));
    // openssl s_client users type text and see the greeting inside TLS.
    QVERIFY(person->waitForTextLine([](const QString &line) { return line.startsWith(u"* Welcome to qtchat"_s); }));
    person->sendLine(u"/nick carol"_s);
    QVERIFY(person->waitForTextLine([](const QString &line) { return line.contains(u"carol"_s); }));
}

void TestServerTls::plaintextClientIsToldAndServerCarriesOn()
{
    QTemporaryDir dir;
    auto server = TestServer::start(selfSignedConfig(dir.path()));
    QVERIFY(server);
    TestClient plain;
    QVERIFY(plain.connectToServer(server->serverPort()));
    plain.sendLine(u"{\"type\":\"hello\",\"nick\":\"plain\"}"_s);
    const std::optional<QString> line = plain.nextTextLine();
    QVERIFY(line);
    QVERIFY2(line->startsWith(u"* error: this server speaks TLS"_s), qPrintable(*line));
    QVERIFY(plain.waitForDisconnected());
    QTRY_COMPARE(server->connectionCount(), 0);

    auto client = tlsClient();
    QVERIFY(!client->join(server->serverPort(), u"after"_s).isEmpty());
}

void TestServerTls::missingCertificateIsAReadableError()
{
    QTemporaryDir dir;
    ServerConfig config = TestServer::config();
    config.tlsCertificate = dir.filePath(u"nope.pem"_s);
    config.tlsKey = dir.filePath(u"nope.key"_s);
    ChatServer server(config);
    QVERIFY(!server.listen());
    QVERIFY2(server.errorString().contains(u"nope.pem"_s), qPrintable(server.errorString()));
}

void TestServerTls::halfAPairIsNotOverwritten()
{
    QTemporaryDir dir;
    const QString keyPath = dir.filePath(QString::fromUtf16(SelfSignedCertificate::kKeyFile));
    {
        QFile key(keyPath);
        QVERIFY(key.open(QIODevice::WriteOnly));
        key.write("not a key\n");
    }
    ChatServer server(selfSignedConfig(dir.path()));
    QVERIFY(!server.listen());
    QVERIFY2(server.errorString().contains(QString::fromUtf16(SelfSignedCertificate::kCertificateFile)),
             qPrintable(server.errorString()));
    QFile key(keyPath);
    QVERIFY(key.open(QIODevice::ReadOnly));
    QCOMPARE(key.readAll(), "not a key\n");
}

void TestServerTls::shutdownSaysByeOverTls()
{
    QTemporaryDir dir;
    auto server = TestServer::start(selfSignedConfig(dir.path()));
    QVERIFY(server);
    auto client = tlsClient();
    QVERIFY(!client->join(server->serverPort(), u"leaver"_s).isEmpty());
    QSignalSpy finished(server.get(), &ChatServer::finished);
    server->shutdown();
    QCOMPARE(client->waitForFrame(u"bye"_s).value(u"reason"_s).toString(), u"shutdown"_s);
    QVERIFY(client->waitForDisconnected());
    QVERIFY(finished.count() == 1 || finished.wait());
}

void TestServerTls::slowTlsConsumerIsDroppedOthersGetEverything()
{
    // The write path under pressure: a TLS reader that stops reading makes
    // SSL_write wait for the socket (and is dropped as a slow consumer);
    // a TLS reader that reads gets every message of the flood intact.
    constexpr int kBatch = 30;
    constexpr int kMaxBatches = 300;
    constexpr int kTextLength = 3000;
    QTemporaryDir dir;
    ServerConfig config = selfSignedConfig(dir.path());
    config.rate = 0;
    config.sendQueueBytes = 64 * 1024;
    auto server = TestServer::start(config);
    QVERIFY(server);
    auto slow = tlsClient();
    auto watcher = tlsClient();
    auto flooder = tlsClient();
    QVERIFY(!slow->join(server->serverPort(), u"slow"_s).isEmpty());
    QVERIFY(!watcher->join(server->serverPort(), u"watcher"_s).isEmpty());
    QVERIFY(!flooder->join(server->serverPort(), u"flooder"_s).isEmpty());
    QCOMPARE(watcher->waitForFrame(u"joined"_s).value(u"nick"_s).toString(), u"flooder"_s);
    slow->stopReading();

    QByteArray batch;
    for (int i = 0; i < kBatch; ++i)
        batch += R"({"type":"say","text":")" + QByteArray(kTextLength, 'x') + "\"}\n";
    bool slowLeft = false;
    int sent = 0;
    for (int b = 0; b < kMaxBatches && !slowLeft; ++b) {
        flooder->sendRaw(batch);
        sent += kBatch;
        for (int got = 0; got < kBatch;) {
            const QJsonObject frame = watcher->nextFrame();
            QVERIFY2(!frame.isEmpty(), "the watcher stopped receiving");
            const QString type = frame.value(u"type"_s).toString();
            if (type == u"message") {
                QCOMPARE(frame.value(u"text"_s).toString().size(), kTextLength);
                ++got;
            } else {
                QCOMPARE(type, u"left"_s);
                QCOMPARE(frame.value(u"reason"_s).toString(), u"slow-consumer"_s);
                slowLeft = true;
            }
        }
    }
    QVERIFY2(slowLeft, qPrintable(u"no slow-consumer after %1 messages"_s.arg(sent)));
    flooder->sendJson({{u"type"_s, u"say"_s}, {u"text"_s, u"after"_s}});
    QCOMPARE(watcher->waitForFrame(u"message"_s).value(u"text"_s).toString(), u"after"_s);
}

QTCHAT_TEST_GUILESS_MAIN(TestServerTls)
#include "tst_server_tls.moc"
