// SPDX-License-Identifier: MIT
#include "resumetoken.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <array>

namespace ResumeToken {

namespace {
constexpr int kTokenWords = 6; // 6 x 32 bits = 192 bits
}

QString generate()
{
    std::array<quint32, kTokenWords> words{};
    QRandomGenerator::system()->fillRange(words.data(), kTokenWords);
    const QByteArray bytes(reinterpret_cast<const char *>(words.data()), qsizetype(sizeof(words)));
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray hash(const QString &token)
{
    if (token.isEmpty())
        return {};
    return QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256);
}

} // namespace ResumeToken
