// SPDX-License-Identifier: MIT
#include "servertrust.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QSettings>
#include <QSslConfiguration>
#include <QSslSocket>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QString kPinGroup = u"pins"_s;

QString tr(const char *text)
{
    return QCoreApplication::translate("ServerTrust", text);
}

QString pinKey(const QString &host, quint16 port)
{
    // '/' would start a settings subgroup; host names never contain it.
    return host.trimmed().toLower() + u'|' + QString::number(port);
}

std::unique_ptr<QSettings> openPins(const QString &file)
{
    if (!file.isEmpty())
        return std::make_unique<QSettings>(file, QSettings::IniFormat);
    return std::make_unique<QSettings>(QSettings::IniFormat, QSettings::UserScope, u"qtchat"_s, u"known-servers"_s);
}

} // namespace

QString ServerTrust::setCaFile(const QString &caFile)
{
    m_ca.clear();
    if (caFile.isEmpty())
        return {};
    QFile file(caFile);
    if (!file.open(QIODevice::ReadOnly))
        return tr("cannot read the CA file %1: %2").arg(caFile, file.errorString());
    m_ca = QSslCertificate::fromDevice(&file, QSsl::Pem);
    if (m_ca.isEmpty())
        return tr("%1 holds no PEM certificate").arg(caFile);
    return {};
}

void ServerTrust::configure(QSslSocket &socket) const
{
    QSslConfiguration configuration = socket.sslConfiguration();
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    if (usesCa()) {
        // Only this CA: a server of this chat is not vouched for by the system's web CAs.
        configuration.setCaCertificates(m_ca);
        configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    } else {
        // The certificate is wanted but judged by its pin, not by a CA.
        configuration.setPeerVerifyMode(QSslSocket::QueryPeer);
    }
    socket.setSslConfiguration(configuration);
}

ServerTrust::Verdict ServerTrust::check(const QString &host, quint16 port, const QSslCertificate &presented)
{
    if (usesCa())
        return Verdict::Trusted; // Qt verified it against the CA and the host name
    const QString pinned = pinnedFingerprint(host, port);
    const QString actual = fingerprint(presented);
    if (pinned.isEmpty()) {
        pin(host, port, actual);
        return Verdict::PinnedNow;
    }
    return pinned == actual ? Verdict::Trusted : Verdict::Changed;
}

QString ServerTrust::pinnedFingerprint(const QString &host, quint16 port) const
{
    const auto settings = openPins(m_pinFile);
    settings->beginGroup(kPinGroup);
    return settings->value(pinKey(host, port)).toString();
}

void ServerTrust::pin(const QString &host, quint16 port, const QString &fingerprint)
{
    const auto settings = openPins(m_pinFile);
    settings->beginGroup(kPinGroup);
    settings->setValue(pinKey(host, port), fingerprint);
    settings->sync();
}

QString ServerTrust::fingerprint(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}
