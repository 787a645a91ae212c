// SPDX-License-Identifier: MIT
#include "guilogging.h"

Q_LOGGING_CATEGORY(lcGuiApp, "qtchat.gui", QtWarningMsg)
Q_LOGGING_CATEGORY(lcGuiDialog, "qtchat.gui.dialog", QtWarningMsg)
Q_LOGGING_CATEGORY(lcGuiView, "qtchat.gui.view", QtWarningMsg)
Q_LOGGING_CATEGORY(lcGuiInput, "qtchat.gui.input", QtWarningMsg)
Q_LOGGING_CATEGORY(lcGuiNotify, "qtchat.gui.notify", QtWarningMsg)
