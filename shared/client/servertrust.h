// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QSslCertificate>
#include <QString>

class QSslSocket;

// Whom a TLS connection of ChatClient trusts.
//
// With a CA file: certificates signed by that CA, for the host name
// connected to (the usual verification; no pinning).
// Without: trust on first use. The SHA-256 fingerprint of the certificate
// a host:port presents the first time is pinned; later connections must
// present the same certificate. Pins live in the QSettings file
// "qtchat/known-servers" (~/.config/qtchat/known-servers.ini), shared by
// chat-console and chat-gui, unless setPinFile() names another.
class ServerTrust final
{
public:
    enum class Verdict {
        Trusted,   // the pinned certificate, or verified by the CA
        PinnedNow, // first use: pinned from now on
        Changed,   // a different certificate than the pinned one
    };

    // Reads the CA certificates of `caFile` (PEM); empty: trust on first use.
    // Returns a readable error, empty on success.
    QString setCaFile(const QString &caFile);
    bool usesCa() const { return !m_ca.isEmpty(); }
    void setPinFile(const QString &path) { m_pinFile = path; }

    // Prepares a socket before connectToHostEncrypted().
    void configure(QSslSocket &socket) const;
    // After `encrypted`: what to make of the certificate presented.
    Verdict check(const QString &host, quint16 port, const QSslCertificate &presented);
    QString pinnedFingerprint(const QString &host, quint16 port) const;
    void pin(const QString &host, quint16 port, const QString &fingerprint);

    // "AB:CD:..." as chat-server logs it and `openssl x509 -fingerprint -sha256` prints it.
    static QString fingerprint(const QSslCertificate &certificate);

private:
    QList<QSslCertificate> m_ca;
    QString m_pinFile;
};
