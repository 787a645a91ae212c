// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

// The tokens of `welcome.resume` (docs/protocol.md, "Taking a nickname
// back"). Only a token's hash is kept with the nickname's claim, so a
// dump of the claims (or of Redis) does not hand out nicknames.
namespace ResumeToken {

// 192 random bits from the system's generator, base64url without padding
// (32 characters): too many to guess in a connection's life.
QString generate();
// SHA-256 of the token's UTF-8; empty for an empty token, which matches nothing.
QByteArray hash(const QString &token);

} // namespace ResumeToken
