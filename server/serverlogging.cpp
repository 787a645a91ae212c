// SPDX-License-Identifier: MIT
#include "serverlogging.h"

#include <QLoggingCategory>

#include <sys/resource.h>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcProcess, "qtchat.server.process")

namespace ServerLogging {

void configure(const QString &level)
{
    qSetMessagePattern(u"%{time yyyy-MM-ddTHH:mm:ss.zzz} "
                       "%{if-debug}debug%{endif}%{if-info}info%{endif}%{if-warning}warning%{endif}"
                       "%{if-critical}critical%{endif}%{if-fatal}fatal%{endif} %{category}: %{message}"_s);
    QString rules = u"qtchat.*.debug=false\nqtchat.debug=false"_s;
    if (level == u"debug")
        rules = u"qtchat.*.debug=true\nqtchat.debug=true"_s;
    else if (level == u"warning")
        rules += u"\nqtchat.*.info=false\nqtchat.info=false"_s;
    QLoggingCategory::setFilterRules(rules);
}

void raiseFileLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max)
        return;
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0)
        qCWarning(lcProcess) << "could not raise the open-file limit";
}

} // namespace ServerLogging
