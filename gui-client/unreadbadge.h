// SPDX-License-Identifier: MIT
#pragma once

#include <QIcon>
#include <QString>

// The unread count painted on the application icon, for the tray.
namespace UnreadBadge {

// "3", "99", then "99+": the badge has room for two digits.
QString text(int count);
// `base` with the count in a red disc in its top right corner, in the
// sizes trays ask for; `base` itself for 0.
QIcon icon(const QIcon &base, int count);

} // namespace UnreadBadge
