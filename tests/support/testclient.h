// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QTcpSocket;

// A scripted chat client for tests: it connects over real TCP, sends raw
// bytes, text lines or JSON objects, and collects every line the server
// sends. The next* functions consume received lines in order and wait
// (event-driven, never sleeping) up to a bounded timeout for them to arrive.
//
// It deliberately does not use FrameCodec: tests check the bytes on the wire
// as PROTOCOL.md describes them, independently of the project's own codec.
class TestClient final : public QObject
{
    Q_OBJECT

public:
    static constexpr int kTimeoutMsecs = 5000;

    explicit TestClient(QObject *parent = nullptr);
    ~TestClient() override;

    // Speak TLS from the next connectToServer() on. The test client accepts
    // any certificate (tests compare peerCertificate() themselves).
    void useTls();
    bool connectToServer(quint16 port, const QHostAddress &host = QHostAddress(QHostAddress::LocalHost),
                         int timeoutMsecs = kTimeoutMsecs);
    bool isConnected() const;
    QTcpSocket *socket() const { return m_socket; }

    void sendRaw(const QByteArray &bytes);
    void sendLine(const QString &line);      // UTF-8 plus LF
    void sendJson(const QJsonObject &frame); // compact JSON plus LF

    // Connects, sends `hello` and waits for `welcome`; returns it (empty on failure).
    QJsonObject join(quint16 port, const QString &nick);
    // Joins one client per nick, in order, and consumes the `joined` frames
    // they see of each other, so all of them are quiet afterwards. Empty on failure.
    static std::vector<std::unique_ptr<TestClient>> joinAll(quint16 port, const QStringList &nicks);

    // The next complete line, without its LF; nullopt on timeout or when the
    // connection closed with no line left.
    std::optional<QByteArray> nextLine(int timeoutMsecs = kTimeoutMsecs);
    // Like nextLine(), decoded from UTF-8.
    std::optional<QString> nextTextLine(int timeoutMsecs = kTimeoutMsecs);
    // The next line that is a JSON object, skipping any other line (as JSON
    // clients do with the greeting). Empty object on timeout.
    QJsonObject nextFrame(int timeoutMsecs = kTimeoutMsecs);
    // The next JSON object whose `type` is `type`, skipping everything before it.
    QJsonObject waitForFrame(const QString &type, int timeoutMsecs = kTimeoutMsecs);
    // Skips lines until one satisfies `match`; returns it (nullopt on timeout).
    std::optional<QString> waitForTextLine(const std::function<bool(const QString &)> &match,
                                           int timeoutMsecs = kTimeoutMsecs);

    // Lines received and not consumed yet.
    qsizetype pendingLines() const { return m_lines.size(); }
    // Every line ever received, consumed or not (for "never reached" checks).
    const QList<QByteArray> &history() const { return m_history; }
    // True once any received line was not valid UTF-8.
    bool receivedInvalidUtf8() const { return m_invalidUtf8; }

    // Waits until the server has closed the connection (any unread lines stay readable).
    bool waitForDisconnected(int timeoutMsecs = kTimeoutMsecs);
    // A polite close (FIN) and an abrupt one (RST).
    void disconnectFromServer();
    void abort();

    // Stops reading: the kernel buffers fill and the server's send queue grows.
    // Used to play a slow consumer.
    void stopReading();

    // Waits (event-driven) until `done` holds; false on timeout.
    bool waitUntil(const std::function<bool()> &done, int timeoutMsecs = kTimeoutMsecs);

signals:
    void lineReceived(const QByteArray &line);
    // Something changed (a line, a disconnect); waiters re-check on it.
    void activity();

private:
    void readIncoming();
    void watch(QTcpSocket *socket);

    QTcpSocket *m_socket;
    QByteArray m_partial;
    QList<QByteArray> m_lines;
    QList<QByteArray> m_history;
    bool m_reading = true;
    bool m_invalidUtf8 = false;
    bool m_tls = false;
};
