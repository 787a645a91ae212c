// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

// chat-gui's logging categories; enable with QT_LOGGING_RULES="qtchat.gui*=true".
Q_DECLARE_LOGGING_CATEGORY(lcGuiApp)
Q_DECLARE_LOGGING_CATEGORY(lcGuiDialog)
Q_DECLARE_LOGGING_CATEGORY(lcGuiView)
Q_DECLARE_LOGGING_CATEGORY(lcGuiInput)
Q_DECLARE_LOGGING_CATEGORY(lcGuiNotify)
