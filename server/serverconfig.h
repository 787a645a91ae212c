// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QHostAddress>
#include <QString>

// Everything chat-server can be told, with PROTOCOL.md's defaults.
struct ServerConfig {
    static constexpr qsizetype kDefaultSendQueueBytes = 4 * 1024 * 1024;

    QHostAddress host = QHostAddress::Any;
    quint16 port = Protocol::kDefaultPort;
    int maxClients = 10000;
    int history = Protocol::kDefaultHistory;
    qsizetype maxFrameBytes = Protocol::kDefaultMaxFrameBytes;
    double rate = 10.0; // frames per second per connection; 0 turns the limit off
    int burst = 20;
    qsizetype sendQueueBytes = kDefaultSendQueueBytes;
    QString logLevel = QStringLiteral("info");
    int threads = 0; // worker threads; 0 means one per core
    // TLS: a certificate (chain) and key in PEM, or a self-signed pair kept
    // in tlsDirectory (made on first start). Neither: plaintext.
    QString tlsCertificate;
    QString tlsKey;
    bool tlsSelfSigned = false;
    QString tlsDirectory = QStringLiteral(".");
    bool tlsEnabled() const { return tlsSelfSigned || !tlsCertificate.isEmpty(); }
    // Test hooks: how long a silent connection waits for the greeting, and
    // how long a text-mode partial line waits before it counts as a line.
    int greetingDelayMsecs = 1000;
    int partialLineMsecs = 200;
};
