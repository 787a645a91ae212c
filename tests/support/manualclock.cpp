// SPDX-License-Identifier: MIT
#include "manualclock.h"

ManualClock::ManualClock(QObject *parent) : Clock(parent)
{}

void ManualClock::advance(qint64 msecs)
{
    m_now += msecs;
    emit advanced();
}
