// SPDX-License-Identifier: MIT
//
// Not compiled: read by lupdate only (see gui-client/CMakeLists.txt).
//
// Strings of shared/ that chat-gui shows but lupdate (Qt 6.4) misses where
// they are used: it skips translate(..., nullptr, n) when n is a qualified
// name (Protocol::kMaxNickLength), so the numerus texts of Validation are
// lost. Listing them here puts them in the .ts files under their context.

#include <QtGlobal>

[[maybe_unused]] static const char *const kSharedStrings[] = {
    QT_TRANSLATE_N_NOOP("Validation", "A nickname has at most %n characters."),
    QT_TRANSLATE_N_NOOP("Validation", "A message has at most %n characters."),
    QT_TRANSLATE_N_NOOP("Validation", "A room name has at most %n characters after the #."),
    QT_TRANSLATE_N_NOOP("Validation", "A topic has at most %n characters."),
};
