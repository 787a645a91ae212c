// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QString>

// Server refusals as sentences for people, in their language. The server's
// own `message` is English; it is added only where it names specifics.
namespace ErrorText {

// `nick` is the nickname that was tried, for the registration refusals.
QString describe(const Protocol::Error &error, const QString &nick = {});

} // namespace ErrorText
