// SPDX-License-Identifier: MIT
#include "servercommandline.h"

#include "sourcerevision.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <array>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

struct OptionSpec {
    const char16_t *name;
    const char16_t *env;
    const char16_t *valueName;
    const char16_t *description;
};

constexpr std::array kOptions{
    OptionSpec{u"host", u"CHAT_HOST", u"ADDR", u"Address to listen on (default: all interfaces)."},
    OptionSpec{u"port", u"CHAT_PORT", u"N", u"TCP port (default 55555; 0 picks a free port)."},
    OptionSpec{u"max-clients", u"CHAT_MAX_CLIENTS", u"N", u"Most connections at once (default 10000)."},
    OptionSpec{u"history", u"CHAT_HISTORY", u"N", u"Messages of each room sent on joining it (default 100)."},
    OptionSpec{u"max-rooms-per-user", u"CHAT_MAX_ROOMS_PER_USER", u"N",
               u"Rooms one user may be in besides #lobby (default 32)."},
    OptionSpec{u"max-rooms", u"CHAT_MAX_ROOMS", u"N",
               u"Rooms with members the server holds besides #lobby (default 1000)."},
    OptionSpec{u"max-frame", u"CHAT_MAX_FRAME", u"BYTES", u"Longest frame or line, LF included (default 65536)."},
    OptionSpec{u"rate", u"CHAT_RATE", u"FRAMES_PER_S", u"Frames per second per connection (default 10; 0: no limit)."},
    OptionSpec{u"burst", u"CHAT_BURST", u"N", u"Frames allowed at once above the rate (default 20)."},
    OptionSpec{u"sendq", u"CHAT_SENDQ", u"BYTES", u"Unsent output kept per connection (default 4194304)."},
    OptionSpec{u"max-per-ip", u"CHAT_MAX_PER_IP", u"N", u"Most connections from one address (default 0: no limit)."},
    OptionSpec{u"idle-timeout", u"CHAT_IDLE_TIMEOUT", u"SECS",
               u"Close a connection that sends nothing (default 60; 0: never)."},
    OptionSpec{u"register-timeout", u"CHAT_REGISTER_TIMEOUT", u"SECS",
               u"Close one not registered this long after its first byte (default 30; 0: never)."},
    OptionSpec{u"frame-timeout", u"CHAT_FRAME_TIMEOUT", u"SECS",
               u"Close one whose frame takes longer to arrive (default 30; 0: never)."},
    OptionSpec{u"threads", u"CHAT_THREADS", u"N", u"Worker threads for connections (default: one per core)."},
    OptionSpec{u"log-level", u"CHAT_LOG_LEVEL", u"LEVEL", u"debug, info or warning (default info)."},
    OptionSpec{u"store", u"CHAT_STORE", u"FILE", u"Keep messages in this SQLite file (default: in memory)."},
    OptionSpec{u"redis", u"CHAT_REDIS", u"URL",
               u"Share one room with other chat-server instances through this Redis, "
               u"redis://HOST[:PORT][/DB], or through Redis Sentinel, following its failovers, "
               u"redis-sentinel://HOST[:PORT][,HOST[:PORT]...]/MASTERNAME[/DB] (sentinel port 26379 "
               u"by default) (default: a room of this server alone)."},
    OptionSpec{u"cluster-heartbeat", u"CHAT_CLUSTER_HEARTBEAT", u"SECS",
               u"With --redis: how often this instance says it is alive; its users leave the room "
               u"about 3 beats after it dies (default 5)."},
    OptionSpec{u"admin-password", u"CHAT_ADMIN_PASSWORD", u"PASSWORD",
               u"Lets users become operators with /op PASSWORD (default: no operators). Prefer the "
               u"environment variable: the command line is visible to every local user."},
    OptionSpec{u"tls-cert", u"CHAT_TLS_CERT", u"FILE",
               u"Speak TLS with this PEM certificate (chain); needs --tls-key."},
    OptionSpec{u"tls-key", u"CHAT_TLS_KEY", u"FILE", u"The PEM private key of --tls-cert."},
    OptionSpec{u"tls-self-signed", u"CHAT_TLS_SELF_SIGNED", nullptr,
               u"Speak TLS with a self-signed certificate, made on first start and kept in --tls-dir "
               u"(env: 1 or 0)."},
    OptionSpec{u"tls-dir", u"CHAT_TLS_DIR", u"DIR",
               u"Where --tls-self-signed keeps chat-server-cert.pem and chat-server-key.pem "
               u"(default: the working directory)."},
};

std::optional<qint64> toInteger(const QString &value, qint64 minimum, qint64 maximum)
{
    bool ok = false;
    const qint64 n = value.trimmed().toLongLong(&ok);
    if (!ok || n < minimum || n > maximum)
        return std::nullopt;
    return n;
}

// Seconds, fractions allowed (tests use short deadlines), as milliseconds.
std::optional<int> toMsecs(const QString &value)
{
    constexpr double kMaxSecs = 7 * 24 * 3600;
    bool ok = false;
    const double secs = value.trimmed().toDouble(&ok);
    if (!ok || !(secs >= 0) || secs > kMaxSecs)
        return std::nullopt;
    return int(std::lround(secs * 1000));
}

// Below this, Redis round trips would be a large part of every beat.
constexpr int kMinHeartbeatMsecs = 100;

} // namespace

ServerCommandLine::ServerCommandLine() = default;

ServerCommandLine::Outcome ServerCommandLine::parse(const QStringList &arguments,
                                                    const QProcessEnvironment &environment)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"qtchat server: chat rooms over TCP, for JSON clients and netcat."_s);
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    for (const OptionSpec &spec : kOptions) {
        // A spec without a value name is a switch.
        parser.addOption(
            QCommandLineOption(QString::fromUtf16(spec.name),
                               QString::fromUtf16(spec.description) + u" [env "_s + QString::fromUtf16(spec.env) + u']',
                               spec.valueName ? QString::fromUtf16(spec.valueName) : QString()));
    }

    if (!parser.parse(arguments)) {
        m_text = parser.errorText() + u"\nTry 'chat-server --help'."_s;
        return Outcome::Invalid;
    }
    if (parser.isSet(helpOption)) {
        m_text = parser.helpText();
        return Outcome::ShowHelp;
    }
    if (parser.isSet(versionOption)) {
        m_text = u"chat-server " QTCHAT_VERSION " (git %1)"_s.arg(SourceRevision::text());
        return Outcome::ShowVersion;
    }
    if (!parser.positionalArguments().isEmpty()) {
        m_text = u"unexpected argument: %1\nTry 'chat-server --help'."_s.arg(parser.positionalArguments().first());
        return Outcome::Invalid;
    }

    for (const OptionSpec &spec : kOptions) {
        const QString name = QString::fromUtf16(spec.name);
        const QString env = QString::fromUtf16(spec.env);
        const bool fromCommandLine = parser.isSet(name);
        if (!fromCommandLine && !environment.contains(env))
            continue;
        // An empty variable is how compose files and .env leave a secret unset.
        if (!fromCommandLine && (name == u"admin-password" || name == u"store" || name == u"redis") &&
            environment.value(env).isEmpty())
            continue;
        const bool isSwitch = spec.valueName == nullptr;
        const QString value = fromCommandLine ? (isSwitch ? u"1"_s : parser.value(name)) : environment.value(env);
        if (!apply(name, value)) {
            const QString source = fromCommandLine ? u"--"_s + name : env;
            m_text = u"invalid value for %1: \"%2\"\nTry 'chat-server --help'."_s.arg(source, value);
            if (!m_redisError.isEmpty())
                m_text = u"invalid value for %1: %2\nTry 'chat-server --help'."_s.arg(source, m_redisError);
            return Outcome::Invalid;
        }
    }
    if (m_config.redis && !m_config.store.isEmpty()) {
        m_text = u"--store and --redis exclude each other: with --redis the messages are kept in Redis\n"
                 u"Try 'chat-server --help'."_s;
        return Outcome::Invalid;
    }
    return checkTls() ? Outcome::Run : Outcome::Invalid;
}

bool ServerCommandLine::checkTls()
{
    const bool certificate = !m_config.tlsCertificate.isEmpty();
    const bool key = !m_config.tlsKey.isEmpty();
    if (certificate != key) {
        m_text = u"--tls-cert and --tls-key go together\nTry 'chat-server --help'."_s;
        return false;
    }
    if (certificate && m_config.tlsSelfSigned) {
        m_text = u"--tls-cert and --tls-self-signed exclude each other\nTry 'chat-server --help'."_s;
        return false;
    }
    return true;
}

bool ServerCommandLine::apply(const QString &name, const QString &value)
{
    constexpr qint64 kMaxInt = std::numeric_limits<int>::max();
    if (name == u"host") {
        const QString host = value.trimmed();
        if (host == u"*" || host.isEmpty() || host == u"0.0.0.0" || host == u"::")
            m_config.host = host == u"0.0.0.0" ? QHostAddress(QHostAddress::AnyIPv4) : QHostAddress(QHostAddress::Any);
        else if (host == u"localhost")
            m_config.host = QHostAddress(QHostAddress::LocalHost);
        else if (!m_config.host.setAddress(host))
            return false;
        return true;
    }
    if (name == u"log-level") {
        const QString level = value.trimmed().toLower();
        if (level != u"debug" && level != u"info" && level != u"warning")
            return false;
        m_config.logLevel = level;
        return true;
    }
    if (name == u"store") {
        m_config.store = value.trimmed();
        return !m_config.store.isEmpty();
    }
    if (name == u"redis") {
        auto address = RedisAddress::parse(value);
        if (const auto *error = std::get_if<QString>(&address)) {
            m_redisError = *error;
            return false;
        }
        m_config.redis = std::get<RedisAddress>(address);
        return true;
    }
    if (name == u"cluster-heartbeat") {
        const std::optional<int> msecs = toMsecs(value);
        if (!msecs || *msecs < kMinHeartbeatMsecs)
            return false;
        m_config.clusterHeartbeatMsecs = *msecs;
        return true;
    }
    if (name == u"admin-password") {
        // Taken as given, spaces included; an empty password would let anyone in.
        if (value.isEmpty())
            return false;
        m_config.adminPassword = value;
        return true;
    }
    if (name == u"tls-cert" || name == u"tls-key" || name == u"tls-dir") {
        const QString path = value.trimmed();
        if (path.isEmpty())
            return false;
        (name == u"tls-cert"  ? m_config.tlsCertificate
         : name == u"tls-key" ? m_config.tlsKey
                              : m_config.tlsDirectory) = path;
        return true;
    }
    if (name == u"tls-self-signed") {
        const QString flag = value.trimmed().toLower();
        if (flag != u"1" && flag != u"0" && flag != u"true" && flag != u"false" && flag != u"yes" && flag != u"no")
            return false;
        m_config.tlsSelfSigned = flag == u"1" || flag == u"true" || flag == u"yes";
        return true;
    }
    if (name == u"rate") {
        bool ok = false;
        const double rate = value.trimmed().toDouble(&ok);
        if (!ok || rate < 0 || rate > 1e6)
            return false;
        m_config.rate = rate;
        return true;
    }

    if (name.endsWith(u"-timeout")) {
        const std::optional<int> msecs = toMsecs(value);
        if (!msecs)
            return false;
        if (name == u"idle-timeout")
            m_config.idleTimeoutMsecs = *msecs;
        else if (name == u"register-timeout")
            m_config.registerTimeoutMsecs = *msecs;
        else
            m_config.frameTimeoutMsecs = *msecs;
        return true;
    }

    std::optional<qint64> n;
    if (name == u"port") {
        n = toInteger(value, 0, 65535);
        if (n)
            m_config.port = quint16(*n);
    } else if (name == u"max-clients") {
        n = toInteger(value, 1, kMaxInt);
        if (n)
            m_config.maxClients = int(*n);
    } else if (name == u"history") {
        n = toInteger(value, 0, 1000000);
        if (n)
            m_config.history = int(*n);
    } else if (name == u"max-rooms-per-user") {
        n = toInteger(value, 0, kMaxInt);
        if (n)
            m_config.maxRoomsPerUser = int(*n);
    } else if (name == u"max-rooms") {
        n = toInteger(value, 0, kMaxInt);
        if (n)
            m_config.maxRooms = int(*n);
    } else if (name == u"max-frame") {
        n = toInteger(value, 64, 64 * 1024 * 1024);
        if (n)
            m_config.maxFrameBytes = *n;
    } else if (name == u"max-per-ip") {
        n = toInteger(value, 0, kMaxInt);
        if (n)
            m_config.maxPerIp = int(*n);
    } else if (name == u"threads") {
        n = toInteger(value, 0, 256);
        if (n)
            m_config.threads = int(*n);
    } else if (name == u"burst") {
        n = toInteger(value, 1, 1000000);
        if (n)
            m_config.burst = int(*n);
    } else if (name == u"sendq") {
        n = toInteger(value, 1024, std::numeric_limits<qint64>::max());
        if (n)
            m_config.sendQueueBytes = *n;
    }
    return n.has_value();
}
