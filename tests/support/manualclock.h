// SPDX-License-Identifier: MIT
#pragma once

#include "clock.h"

// A Clock that moves only when the test says so: what waits on it (the
// client's reconnect countdown) sees each moment the test chooses, however
// slow or busy the machine is.
class ManualClock final : public Clock
{
    Q_OBJECT

public:
    explicit ManualClock(QObject *parent = nullptr);

    qint64 now() const override { return m_now; }
    // Moves time forward and tells whoever waits on the clock.
    void advance(qint64 msecs);

private:
    qint64 m_now = 0;
};
