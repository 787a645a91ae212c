// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

// --tls-self-signed: the server's own certificate, made with the OpenSSL
// API on first start and reused on every later one, so that clients that
// pinned it (trust on first use) keep trusting the server.
namespace SelfSignedCertificate {

inline constexpr char16_t kCertificateFile[] = u"chat-server-cert.pem";
inline constexpr char16_t kKeyFile[] = u"chat-server-key.pem";

struct Files {
    QString certificatePath;
    QString keyPath;
    bool created = false; // made now rather than found
    QString error;        // empty on success
};

// Finds kCertificateFile and kKeyFile in `directory` (created if missing),
// or makes them: an EC P-256 key (file mode 0600) and a certificate valid
// for ten years for localhost, 127.0.0.1, ::1 and this machine's host name.
// Never overwrites: one file without the other is an error to resolve by hand.
Files ensure(const QString &directory);

} // namespace SelfSignedCertificate
