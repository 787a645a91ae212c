// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <memory>

struct ssl_ctx_st;

// The server's TLS identity: an OpenSSL SSL_CTX loaded from a PEM
// certificate (chain) and key, shared read-only by every worker thread, which
// create their connections' sessions from it (SSL_new is thread-safe on a
// context that is no longer changed).
class TlsContext final
{
public:
    // A context, or why there is none (readable, names the file).
    struct Loaded {
        std::shared_ptr<const TlsContext> context;
        QString error;
    };

    static Loaded load(const QString &certificatePath, const QString &keyPath);

    ~TlsContext();
    TlsContext(const TlsContext &) = delete;
    TlsContext &operator=(const TlsContext &) = delete;

    ssl_ctx_st *handle() const { return m_context; }
    // SHA-256 of the leaf certificate's DER bytes, "AB:CD:..." as
    // `openssl x509 -fingerprint -sha256` and the clients show it.
    QString fingerprint() const { return m_fingerprint; }
    QString certificatePath() const { return m_certificatePath; }

    // The text of OpenSSL's error queue for this thread (and clears it).
    static QString takeErrors();

private:
    TlsContext() = default;

    ssl_ctx_st *m_context = nullptr;
    QString m_fingerprint;
    QString m_certificatePath;
};
