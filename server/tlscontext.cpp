// SPDX-License-Identifier: MIT
#include "tlscontext.h"

#include <QByteArray>
#include <QFile>
#include <QStringList>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <csignal>

using namespace Qt::StringLiterals;

TlsContext::Loaded TlsContext::load(const QString &certificatePath, const QString &keyPath)
{
    for (const QString &path : {certificatePath, keyPath}) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {nullptr, u"cannot read %1: %2"_s.arg(path, file.errorString())};
    }
    // OpenSSL's socket BIO writes with write(), not send(MSG_NOSIGNAL): a
    // peer that vanishes must not kill the server with SIGPIPE. The
    // plaintext path never raises it (sendmsg with MSG_NOSIGNAL), so this
    // changes nothing for it.
    std::signal(SIGPIPE, SIG_IGN);

    ERR_clear_error();
    std::unique_ptr<TlsContext> context(new TlsContext);
    context->m_certificatePath = certificatePath;
    context->m_context = SSL_CTX_new(TLS_server_method());
    if (!context->m_context)
        return {nullptr, u"cannot create a TLS context: %1"_s.arg(takeErrors())};
    SSL_CTX *ctx = context->m_context;
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    // Most clients close the TCP connection without close_notify when they
    // quit; that is an ordinary disconnect here, not a protocol error.
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
    // Partial writes let a connection's output advance record by record on a
    // non-blocking socket; the moving buffer allows a retry to pass the
    // same bytes from a different address (the coalescing buffer is reused).
    SSL_CTX_set_mode(ctx,
                     SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
    // Release buffers keeps an idle TLS connection's memory small; read-ahead
    // stays off so that no decrypted or undecrypted bytes hide from epoll
    // (see Connection::onReadable).
    const QByteArray certificateFile = QFile::encodeName(certificatePath);
    const QByteArray keyFile = QFile::encodeName(keyPath);
    if (SSL_CTX_use_certificate_chain_file(ctx, certificateFile.constData()) != 1)
        return {nullptr, u"cannot load the certificate %1: %2"_s.arg(certificatePath, takeErrors())};
    if (SSL_CTX_use_PrivateKey_file(ctx, keyFile.constData(), SSL_FILETYPE_PEM) != 1)
        return {nullptr, u"cannot load the private key %1: %2"_s.arg(keyPath, takeErrors())};
    if (SSL_CTX_check_private_key(ctx) != 1)
        return {nullptr, u"the key %1 does not belong to the certificate %2"_s.arg(keyPath, certificatePath)};

    X509 *leaf = SSL_CTX_get0_certificate(ctx);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!leaf || X509_digest(leaf, EVP_sha256(), digest, &length) != 1)
        return {nullptr, u"cannot compute the certificate's fingerprint: %1"_s.arg(takeErrors())};
    context->m_fingerprint =
        QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(digest), int(length)).toHex(':').toUpper());
    return {std::shared_ptr<const TlsContext>(context.release()), {}};
}

TlsContext::~TlsContext()
{
    SSL_CTX_free(m_context);
}

QString TlsContext::takeErrors()
{
    QStringList errors;
    while (const unsigned long code = ERR_get_error()) {
        char text[256];
        ERR_error_string_n(code, text, sizeof text);
        errors.append(QString::fromLatin1(text));
    }
    return errors.isEmpty() ? u"unknown error"_s : errors.join(u"; "_s);
}
