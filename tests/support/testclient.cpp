// SPDX-License-Identifier: MIT
#include "testclient.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSignalSpy>
#include <QSslSocket>
#include <QStringDecoder>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace {

bool isValidUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    [[maybe_unused]] const QString text = decoder.decode(bytes);
    return !decoder.hasError();
}

std::optional<QJsonObject> parseObject(const QByteArray &line)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

} // namespace

TestClient::TestClient(QObject *parent) : QObject(parent), m_socket(new QTcpSocket(this))
{
    watch(m_socket);
}

TestClient::~TestClient() = default;

void TestClient::watch(QTcpSocket *socket)
{
    connect(socket, &QTcpSocket::readyRead, this, &TestClient::readIncoming);
    connect(socket, &QTcpSocket::disconnected, this, &TestClient::readIncoming);
    // Waiters re-check their condition on every state change (connected, closed, refused).
    connect(socket, &QTcpSocket::stateChanged, this, &TestClient::activity);
}

void TestClient::useTls()
{
    if (m_tls)
        return;
    m_tls = true;
    delete m_socket;
    auto *socket = new QSslSocket(this);
    socket->setPeerVerifyMode(QSslSocket::VerifyNone);
    connect(socket, &QSslSocket::encrypted, this, &TestClient::activity);
    m_socket = socket;
    watch(m_socket);
}

bool TestClient::connectToServer(quint16 port, const QHostAddress &host, int timeoutMsecs)
{
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket); ssl && m_tls) {
        ssl->connectToHostEncrypted(host.toString(), port);
        return waitUntil([ssl] { return ssl->isEncrypted(); }, timeoutMsecs);
    }
    m_socket->connectToHost(host, port);
    return waitUntil([this] { return m_socket->state() == QAbstractSocket::ConnectedState; }, timeoutMsecs);
}

bool TestClient::isConnected() const
{
    return m_socket->state() == QAbstractSocket::ConnectedState;
}

void TestClient::sendRaw(const QByteArray &bytes)
{
    m_socket->write(bytes);
    m_socket->flush();
}

void TestClient::sendLine(const QString &line)
{
    sendRaw(line.toUtf8() + '\n');
}

void TestClient::sendJson(const QJsonObject &frame)
{
    sendRaw(QJsonDocument(frame).toJson(QJsonDocument::Compact) + '\n');
}

QJsonObject TestClient::join(quint16 port, const QString &nick)
{
    if (!isConnected() && !connectToServer(port))
        return {};
    sendJson({{u"type"_s, u"hello"_s}, {u"nick"_s, nick}, {u"client"_s, u"qtchat-tests"_s}});
    QJsonObject reply = nextFrame();
    if (reply.value(u"type"_s).toString() != u"welcome")
        return {};
    return reply;
}

std::vector<std::unique_ptr<TestClient>> TestClient::joinAll(quint16 port, const QStringList &nicks)
{
    std::vector<std::unique_ptr<TestClient>> clients;
    for (const QString &nick : nicks) {
        auto client = std::make_unique<TestClient>();
        if (client->join(port, nick).isEmpty())
            return {};
        clients.push_back(std::move(client));
    }
    // Client i saw everyone after it join.
    for (size_t i = 0; i < clients.size(); ++i) {
        for (size_t j = i + 1; j < clients.size(); ++j) {
            const QJsonObject joined = clients[i]->nextFrame();
            if (joined.value(u"type"_s).toString() != u"joined" ||
                joined.value(u"nick"_s).toString() != nicks.at(qsizetype(j)))
                return {};
        }
    }
    return clients;
}

std::optional<QByteArray> TestClient::nextLine(int timeoutMsecs)
{
    if (!waitUntil([this] { return !m_lines.isEmpty() || !isConnected(); }, timeoutMsecs) || m_lines.isEmpty())
        return std::nullopt;
    return m_lines.takeFirst();
}

std::optional<QString> TestClient::nextTextLine(int timeoutMsecs)
{
    const std::optional<QByteArray> line = nextLine(timeoutMsecs);
    if (!line)
        return std::nullopt;
    return QString::fromUtf8(*line);
}

QJsonObject TestClient::nextFrame(int timeoutMsecs)
{
    const QDeadlineTimer deadline(timeoutMsecs);
    while (const std::optional<QByteArray> line = nextLine(int(deadline.remainingTime()))) {
        if (const std::optional<QJsonObject> object = parseObject(*line))
            return *object;
    }
    return {};
}

QJsonObject TestClient::waitForFrame(const QString &type, int timeoutMsecs)
{
    const QDeadlineTimer deadline(timeoutMsecs);
    for (;;) {
        QJsonObject frame = nextFrame(int(deadline.remainingTime()));
        if (frame.isEmpty() || frame.value(u"type"_s).toString() == type)
            return frame;
    }
}

std::optional<QString> TestClient::waitForTextLine(const std::function<bool(const QString &)> &match, int timeoutMsecs)
{
    const QDeadlineTimer deadline(timeoutMsecs);
    while (std::optional<QString> line = nextTextLine(int(deadline.remainingTime()))) {
        if (match(*line))
            return line;
    }
    return std::nullopt;
}

bool TestClient::waitForDisconnected(int timeoutMsecs)
{
    return waitUntil([this] { return m_socket->state() == QAbstractSocket::UnconnectedState; }, timeoutMsecs);
}

void TestClient::disconnectFromServer()
{
    m_socket->disconnectFromHost();
}

void TestClient::abort()
{
    m_socket->abort();
}

void TestClient::stopReading()
{
    m_reading = false;
    // Qt reads ahead into its own buffer; a tiny limit makes it stop, so the
    // kernel's buffers fill and the server sees a client that does not read.
    m_socket->setReadBufferSize(1);
    m_socket->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
}

bool TestClient::waitUntil(const std::function<bool()> &done, int timeoutMsecs)
{
    const QDeadlineTimer deadline(timeoutMsecs);
    QSignalSpy spy(this, &TestClient::activity);
    while (!done()) {
        const qint64 remaining = deadline.remainingTime();
        if (remaining <= 0)
            return false;
        spy.wait(int(remaining));
    }
    return true;
}

void TestClient::readIncoming()
{
    if (!m_reading || !m_socket->isReadable())
        return;
    m_partial.append(m_socket->readAll());
    qsizetype start = 0;
    bool any = false;
    for (qsizetype end = m_partial.indexOf('\n'); end >= 0; end = m_partial.indexOf('\n', start)) {
        QByteArray line = m_partial.sliced(start, end - start);
        start = end + 1;
        if (!isValidUtf8(line))
            m_invalidUtf8 = true;
        m_lines.append(line);
        m_history.append(line);
        emit lineReceived(line);
        any = true;
    }
    m_partial.remove(0, start);
    if (any)
        emit activity();
}
