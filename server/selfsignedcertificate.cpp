// SPDX-License-Identifier: MIT
#include "selfsignedcertificate.h"

#include "tlscontext.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostInfo>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr long kValiditySeconds = 10L * 365 * 24 * 60 * 60;
constexpr long kSerialBits = 64;

template<typename T, void (*Free)(T *)> struct Deleter {
    void operator()(T *p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Memory = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

QByteArray toPem(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, size);
}

QString subjectAltNames()
{
    QString names = u"DNS:localhost,IP:127.0.0.1,IP:::1"_s;
    const QString host = QHostInfo::localHostName();
    // Host names that cannot be a DNS name would make the extension invalid.
    static const auto valid = [](QChar c) { return c.isLetterOrNumber() || c == u'-' || c == u'.'; };
    if (!host.isEmpty() && host != u"localhost" && std::all_of(host.begin(), host.end(), valid))
        names += u",DNS:"_s + host;
    return names;
}

bool addExtension(X509 *certificate, int nid, const QString &value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.toLatin1().constData());
    if (!extension)
        return false;
    const bool added = X509_add_ext(certificate, extension, -1) == 1;
    X509_EXTENSION_free(extension);
    return added;
}

// The PEM texts of a new key and its self-signed certificate, or an error.
struct Generated {
    QByteArray keyPem;
    QByteArray certificatePem;
    QString error;
};

Generated generate()
{
    Key key(EVP_EC_gen("P-256"));
    if (!key)
        return {{}, {}, u"cannot generate a key: %1"_s.arg(TlsContext::takeErrors())};
    Certificate certificate(X509_new());
    X509 *x = certificate.get();
    BIGNUM *serial = BN_new();
    BN_rand(serial, kSerialBits, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY);
    BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x));
    BN_free(serial);
    X509_set_version(x, X509_VERSION_3);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), kValiditySeconds);
    X509_set_pubkey(x, key.get());
    X509_NAME *name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char *>("qtchat"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>("chat-server"), -1, -1,
                               0);
    X509_set_issuer_name(x, name);
    const bool extended = addExtension(x, NID_basic_constraints, u"critical,CA:FALSE"_s) &&
                          addExtension(x, NID_key_usage, u"critical,digitalSignature"_s) &&
                          addExtension(x, NID_ext_key_usage, u"serverAuth"_s) &&
                          addExtension(x, NID_subject_alt_name, subjectAltNames());
    if (!extended || X509_sign(x, key.get(), EVP_sha256()) == 0)
        return {{}, {}, u"cannot make the certificate: %1"_s.arg(TlsContext::takeErrors())};

    Memory keyBio(BIO_new(BIO_s_mem()));
    Memory certificateBio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
        PEM_write_bio_X509(certificateBio.get(), x) != 1)
        return {{}, {}, u"cannot encode the certificate: %1"_s.arg(TlsContext::takeErrors())};
    return {toPem(keyBio.get()), toPem(certificateBio.get()), {}};
}

QString writeNew(const QString &path, const QByteArray &bytes, QFileDevice::Permissions permissions)
{
    QFile file(path);
    // NewOnly with permissions: the key is never readable by others, not even for a moment.
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, permissions) || file.write(bytes) != bytes.size() ||
        !file.flush())
        return u"cannot write %1: %2"_s.arg(path, file.errorString());
    return {};
}

} // namespace

namespace SelfSignedCertificate {

Files ensure(const QString &directory)
{
    Files files;
    const QDir dir(directory);
    files.certificatePath = dir.absoluteFilePath(QString::fromUtf16(kCertificateFile));
    files.keyPath = dir.absoluteFilePath(QString::fromUtf16(kKeyFile));
    const bool haveCertificate = QFileInfo::exists(files.certificatePath);
    const bool haveKey = QFileInfo::exists(files.keyPath);
    if (haveCertificate && haveKey)
        return files;
    if (haveCertificate != haveKey) {
        files.error =
            u"%1 exists without %2; remove it to have a new certificate made, or restore the other file"_s.arg(
                haveCertificate ? files.certificatePath : files.keyPath,
                haveCertificate ? files.keyPath : files.certificatePath);
        return files;
    }
    if (!dir.mkpath(u"."_s)) {
        files.error = u"cannot create the directory %1"_s.arg(dir.absolutePath());
        return files;
    }
    const Generated generated = generate();
    if (!generated.error.isEmpty()) {
        files.error = generated.error;
        return files;
    }
    files.error = writeNew(files.keyPath, generated.keyPem, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (files.error.isEmpty()) {
        files.error = writeNew(files.certificatePath, generated.certificatePem,
                               QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup |
                                   QFileDevice::ReadOther);
        if (!files.error.isEmpty())
            QFile::remove(files.keyPath); // no half pair left behind
    }
    files.created = files.error.isEmpty();
    return files;
}

} // namespace SelfSignedCertificate
