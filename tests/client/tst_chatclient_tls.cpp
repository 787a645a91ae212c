// SPDX-License-Identifier: MIT
// ChatClient over TLS against a real chat-server: trust on first use (pin,
// silent reconnect, a changed certificate refused, then accepted), and
// verification against a CA made at test time with the openssl command.
#include "chatclient.h"
#include "chatserver.h"
#include "clientfixture.h"
#include "reservedport.h"
#include "serverfixture.h"
#include "testharness.h"
#include "testserver.h"

#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace ClientFixture;

namespace {

constexpr int kOpensslMsecs = 30000;
const QString kHost = u"127.0.0.1"_s;

ServerConfig tlsConfig(const QString &directory, quint16 port = 0)
{
    ServerConfig config;
    config.host = QHostAddress(QHostAddress::LocalHost);
    config.port = port;
    config.tlsSelfSigned = true;
    config.tlsDirectory = directory;
    return config;
}

std::unique_ptr<ChatServer> startServer(const ServerConfig &config)
{
    auto server = std::make_unique<ChatServer>(config);
    return server->listen() ? std::move(server) : nullptr;
}

// Runs the openssl command in `dir`; empty on success, else what it said.
QString openssl(const QString &dir, const QStringList &arguments)
{
    QProcess process;
    process.setWorkingDirectory(dir);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(u"openssl"_s, arguments);
    if (!process.waitForFinished(kOpensslMsecs))
        return u"openssl did not finish: "_s + process.errorString();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return QString::fromLocal8Bit(process.readAll());
    return {};
}

} // namespace

class TestChatClientTls final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void pinsOnFirstUseAndReconnectsSilently();
    void refusesAChangedCertificateUntilAccepted();
    void acceptChangedCertificateOptionRepins();
    void caVerifiesACertificateItSigned();
    void caRefusesOthers_data();
    void caRefusesOthers();
    void unreadableCaFileIsAnError();
    void plaintextClientOnTlsPortFailsCleanly();

private:
    std::unique_ptr<ChatClient> makeClient();
    bool disconnect(ChatClient &client);
    // A CA, and a server certificate it signed for `altNames`, in m_ca.
    QString makeCaSignedCertificate(const QString &name, const QString &altNames);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_pinFile;
};

void TestChatClientTls::initTestCase()
{
    TestServer::quietLogs();
    QTCHAT_REQUIRE(QSslSocket::supportsSsl(), "a TLS backend in Qt (Debian: libssl3, with Qt's OpenSSL plugin)");
    QTCHAT_REQUIRE(!QStandardPaths::findExecutable(u"openssl"_s).isEmpty(),
                   "the openssl command to make the test CA (Debian package openssl)");
}

void TestChatClientTls::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_pinFile = m_dir->filePath(u"known-servers.conf"_s);
}

std::unique_ptr<ChatClient> TestChatClientTls::makeClient()
{
    auto client = ClientFixture::makeClient(u"tst_chatclient_tls"_s);
    client->setPinFile(m_pinFile);
    client->setAutoReconnect(false);
    return client;
}

bool TestChatClientTls::disconnect(ChatClient &client)
{
    QSignalSpy closed(&client, &ChatClient::closed);
    client.disconnectFromServer();
    return closed.wait(kWaitMsecs);
}

void TestChatClientTls::pinsOnFirstUseAndReconnectsSilently()
{
    auto server = startServer(tlsConfig(m_dir->filePath(u"a"_s)));
    QVERIFY(server);
    const quint16 port = server->serverPort();

    auto client = makeClient();
    QVERIFY(client->setTls(true).isEmpty());
    QSignalSpy pinned(client.get(), &ChatClient::certificatePinned);
    QVERIFY(connectAs(*client, port, u"ann"_s));
    QVERIFY(client->isEncrypted());
    QCOMPARE(client->serverFingerprint(), server->tlsFingerprint());
    QCOMPARE(pinned.count(), 1);
    QCOMPARE(pinned.at(0).at(2).toString(), server->tlsFingerprint());
    QVERIFY(disconnect(*client));

    // A new client (a new process, as it were) reads the same pin. Another
    // nickname: the client has closed, but the server may not have let "ann"
    // go yet, and this test is about the pin.
    auto again = makeClient();
    again->setTls(true);
    QSignalSpy pinnedAgain(again.get(), &ChatClient::certificatePinned);
    QSignalSpy changed(again.get(), &ChatClient::certificateChanged);
    QVERIFY(connectAs(*again, port, u"ann2"_s));
    QCOMPARE(pinnedAgain.count(), 0);
    QCOMPARE(changed.count(), 0);
}

void TestChatClientTls::refusesAChangedCertificateUntilAccepted()
{
    // Two servers one after the other on one address: nobody else may take the port in between.
    const ReservedPort reserved(ReservedPort::Use::Shared);
    const quint16 port = reserved.port();
    QVERIFY(port != 0);
    auto first = startServer(tlsConfig(m_dir->filePath(u"a"_s), port));
    QVERIFY(first);
    const QString firstFingerprint = first->tlsFingerprint();
    auto client = makeClient();
    client->setTls(true);
    QVERIFY(connectAs(*client, port, u"ben"_s));
    QVERIFY(disconnect(*client));
    first.reset();

    // Another server, another certificate, the same address.
    auto second = startServer(tlsConfig(m_dir->filePath(u"b"_s), port));
    QVERIFY(second);
    const QString secondFingerprint = second->tlsFingerprint();
    QVERIFY(secondFingerprint != firstFingerprint);

    QSignalSpy changed(client.get(), &ChatClient::certificateChanged);
    QSignalSpy errors(client.get(), &ChatClient::connectionError);
    QSignalSpy registered(client.get(), &ChatClient::registered);
    client->connectToServer(kHost, port, u"ben"_s);
    QVERIFY(errors.wait(kWaitMsecs));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toString(), kHost);
    QCOMPARE(changed.at(0).at(1).value<quint16>(), port);
    QCOMPARE(changed.at(0).at(2).toString(), firstFingerprint);
    QCOMPARE(changed.at(0).at(3).toString(), secondFingerprint);
    const QString message = errors.at(0).at(0).toString();
    QVERIFY2(message.contains(firstFingerprint) && message.contains(secondFingerprint), qPrintable(message));
    QCOMPARE(client->state(), ChatClient::State::Disconnected);
    QCOMPARE(client->lastSocketError(), QAbstractSocket::SslHandshakeFailedError);
    QCOMPARE(registered.count(), 0);
    QTRY_COMPARE(second->connectionCount(), 0); // nothing was said: no hello went out

    // The user accepts the new certificate (the GUI's dialog does this).
    client->trustCertificate(kHost, port, secondFingerprint);
    QVERIFY(connectAs(*client, port, u"ben"_s));
    QCOMPARE(client->serverFingerprint(), secondFingerprint);
    QCOMPARE(changed.count(), 1);
}

void TestChatClientTls::acceptChangedCertificateOptionRepins()
{
    auto server = startServer(tlsConfig(m_dir->filePath(u"a"_s)));
    QVERIFY(server);
    const quint16 port = server->serverPort();
    auto client = makeClient();
    client->setTls(true);
    client->trustCertificate(kHost, port, u"00:11:22"_s); // some older certificate
    client->setAcceptChangedCertificate(true);
    QSignalSpy changed(client.get(), &ChatClient::certificateChanged);
    QVERIFY(connectAs(*client, port, u"cat"_s));
    QCOMPARE(changed.count(), 1);
    QVERIFY(disconnect(*client));

    auto strict = makeClient();
    strict->setTls(true);
    QSignalSpy changedAgain(strict.get(), &ChatClient::certificateChanged);
    QVERIFY(connectAs(*strict, port, u"cat2"_s)); // the new pin holds (another nick: "cat" may still be leaving)
    QCOMPARE(changedAgain.count(), 0);
}

QString TestChatClientTls::makeCaSignedCertificate(const QString &name, const QString &altNames)
{
    const QString dir = m_dir->path();
    if (!QFile::exists(m_dir->filePath(u"ca.pem"_s))) {
        QString error =
            openssl(dir, {u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:P-256"_s,
                          u"-nodes"_s, u"-keyout"_s, u"ca.key"_s, u"-out"_s, u"ca.pem"_s, u"-days"_s, u"2"_s,
                          u"-subj"_s, u"/CN=qtchat test CA"_s, u"-addext"_s, u"basicConstraints=critical,CA:TRUE"_s,
                          u"-addext"_s, u"keyUsage=critical,keyCertSign,cRLSign"_s});
        if (!error.isEmpty())
            return error;
    }
    QFile extensions(m_dir->filePath(name + u".ext"_s));
    if (!extensions.open(QIODevice::WriteOnly))
        return extensions.errorString();
    extensions.write("basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=" + altNames.toLatin1() +
                     '\n');
    extensions.close();
    QString error =
        openssl(dir, {u"req"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:P-256"_s, u"-nodes"_s,
                      u"-keyout"_s, name + u".key"_s, u"-out"_s, name + u".csr"_s, u"-subj"_s, u"/CN=chat"_s});
    if (!error.isEmpty())
        return error;
    return openssl(dir, {u"x509"_s, u"-req"_s, u"-in"_s, name + u".csr"_s, u"-CA"_s, u"ca.pem"_s, u"-CAkey"_s,
                         u"ca.key"_s, u"-CAcreateserial"_s, u"-out"_s, name + u".pem"_s, u"-days"_s, u"2"_s,
                         u"-extfile"_s, name + u".ext"_s});
}

void TestChatClientTls::caVerifiesACertificateItSigned()
{
    const QString error = makeCaSignedCertificate(u"server"_s, u"DNS:localhost,IP:127.0.0.1"_s);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    ServerConfig config = tlsConfig({});
    config.tlsSelfSigned = false;
    config.tlsCertificate = m_dir->filePath(u"server.pem"_s);
    config.tlsKey = m_dir->filePath(u"server.key"_s);
    auto server = startServer(config);
    QVERIFY(server);

    auto client = makeClient();
    QCOMPARE(client->setTls(true, m_dir->filePath(u"ca.pem"_s)), QString());
    QSignalSpy pinned(client.get(), &ChatClient::certificatePinned);
    QVERIFY(connectAs(*client, server->serverPort(), u"dee"_s));
    QVERIFY(client->isEncrypted());
    QCOMPARE(pinned.count(), 0); // a CA, no pinning
    QVERIFY(!QFile::exists(m_pinFile) || QSettings(m_pinFile, QSettings::IniFormat).allKeys().isEmpty());
}

void TestChatClientTls::caRefusesOthers_data()
{
    QTest::addColumn<bool>("selfSigned");
    QTest::addColumn<QString>("altNames");
    QTest::newRow("not signed by the CA") << true << QString();
    QTest::newRow("signed for another host name") << false << u"DNS:elsewhere.example"_s;
}

void TestChatClientTls::caRefusesOthers()
{
    QFETCH(bool, selfSigned);
    QFETCH(QString, altNames);
    QString error = makeCaSignedCertificate(u"other"_s, selfSigned ? u"DNS:localhost"_s : altNames);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    ServerConfig config = tlsConfig(m_dir->filePath(u"self"_s));
    if (!selfSigned) {
        config.tlsSelfSigned = false;
        config.tlsCertificate = m_dir->filePath(u"other.pem"_s);
        config.tlsKey = m_dir->filePath(u"other.key"_s);
    }
    auto server = startServer(config);
    QVERIFY(server);

    auto client = makeClient();
    QCOMPARE(client->setTls(true, m_dir->filePath(u"ca.pem"_s)), QString());
    QSignalSpy errors(client.get(), &ChatClient::connectionError);
    QSignalSpy registered(client.get(), &ChatClient::registered);
    client->connectToServer(kHost, server->serverPort(), u"eve"_s);
    QVERIFY(errors.wait(kWaitMsecs));
    QCOMPARE(registered.count(), 0);
    QCOMPARE(client->state(), ChatClient::State::Disconnected);
    QCOMPARE(client->lastSocketError(), QAbstractSocket::SslHandshakeFailedError);
    QVERIFY2(errors.at(0).at(0).toString().contains(u"TLS"_s), qPrintable(errors.at(0).at(0).toString()));
}

void TestChatClientTls::unreadableCaFileIsAnError()
{
    ChatClient client;
    const QString error = client.setTls(true, m_dir->filePath(u"missing-ca.pem"_s));
    QVERIFY2(error.contains(u"missing-ca.pem"_s), qPrintable(error));
}

void TestChatClientTls::plaintextClientOnTlsPortFailsCleanly()
{
    auto server = startServer(tlsConfig(m_dir->filePath(u"a"_s)));
    QVERIFY(server);
    auto plain = makeClient();
    QSignalSpy errors(plain.get(), &ChatClient::connectionError);
    plain->connectToServer(kHost, server->serverPort(), u"pat"_s);
    QVERIFY(errors.wait(kWaitMsecs));
    QCOMPARE(plain->state(), ChatClient::State::Disconnected);

    auto secure = makeClient();
    secure->setTls(true);
    QVERIFY(connectAs(*secure, server->serverPort(), u"pat"_s));
}

QTCHAT_TEST_GUILESS_MAIN(TestChatClientTls)
#include "tst_chatclient_tls.moc"
