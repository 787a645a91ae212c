// SPDX-License-Identifier: MIT
#include "desktopnotifier.h"

DesktopNotifier::~DesktopNotifier() = default;
