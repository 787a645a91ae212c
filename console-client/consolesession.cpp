// SPDX-License-Identifier: MIT
#include "consolesession.h"

#include "chatclient.h"
#include "commandparser.h"
#include "eventtext.h"
#include "exitcode.h"
#include "signalwatcher.h"
#include "stdinreader.h"
#include "validation.h"

#include <QCoreApplication>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_LOGGING_CATEGORY(lcConsole, "qtchat.console", QtWarningMsg)

namespace {

// The tutorial's word for leaving, kept for people who learnt it there.
const QString kExitWord = u"exit"_s;

bool refersToMessage(const Error &error)
{
    return error.ref == u"say" || error.ref == u"whisper";
}

} // namespace

ConsoleSession::ConsoleSession(const ConsoleOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_output(options.json)
    , m_client(new ChatClient(this))
    , m_stdin(new StdinReader(this))
    , m_signals(new SignalWatcher(this))
    , m_interactive(StdinReader::isTerminal())
    , m_currentRoom(options.room.isEmpty() ? Protocol::lobby() : options.room)
{
    m_client->setClientName(QCoreApplication::applicationName() + u'/' + QCoreApplication::applicationVersion());
}

ConsoleSession::~ConsoleSession() = default;

void ConsoleSession::start()
{
    if (m_options.tls) {
        const QString error = m_client->setTls(true, m_options.caFile);
        if (!error.isEmpty()) {
            m_output.fatal(error);
            QMetaObject::invokeMethod(
                this, [this] { finish(ExitCode::kUsage); }, Qt::QueuedConnection);
            return;
        }
        m_client->setAcceptChangedCertificate(m_options.acceptNewCert);
    }
    wireClient();
    wireRooms();
    // Joined by the first `hello` (and every later one).
    if (!m_options.room.isEmpty())
        m_client->joinRoom(m_options.room);
    connect(m_stdin, &StdinReader::lineRead, this, &ConsoleSession::onLine);
    connect(m_stdin, &StdinReader::finished, this, &ConsoleSession::onEndOfInput);
    connect(m_signals, &SignalWatcher::interrupted, this, [this](int signalNumber) {
        const int code = ExitCode::kSignalBase + signalNumber;
        // A second Ctrl-C does not wait for the goodbye.
        if (m_phase == Phase::Leaving)
            finish(code);
        else
            leave(code);
    });
    m_stdin->start();

    if (m_options.nick.isEmpty())
        askForNick();
    else
        useNick(m_options.nick);
}

void ConsoleSession::wireClient()
{
    ChatClient *c = m_client;
    connect(c, &ChatClient::stateChanged, this, [this](ChatClient::State state) {
        if (state == ChatClient::State::Connecting)
            m_output.system(tr("* Connecting to %1:%2 ...").arg(m_client->host()).arg(m_client->port()));
    });
    connect(c, &ChatClient::reconnectScheduled, this, [this](int msecs) {
        const int seconds = std::max(1, qRound(msecs / 1000.0));
        m_output.system(tr("* Reconnecting in %n second(s) ...", nullptr, seconds));
    });
    connect(c, &ChatClient::connectionError, this, &ConsoleSession::onConnectionError);
    connect(c, &ChatClient::stateChanged, this, [this](ChatClient::State state) {
        if (state == ChatClient::State::Registering && m_client->isEncrypted())
            m_output.system(
                tr("* Encrypted with TLS; server certificate SHA-256 %1").arg(m_client->serverFingerprint()));
    });
    connect(c, &ChatClient::certificatePinned, this,
            [this](const QString &host, quint16 port, const QString &fingerprint) {
                m_output.system(tr("* First TLS connection to %1:%2: its certificate (SHA-256 %3) is trusted from "
                                   "now on. Compare it with the fingerprint in the server's log.")
                                    .arg(host)
                                    .arg(port)
                                    .arg(fingerprint));
            });
    connect(c, &ChatClient::certificateChanged, this,
            [this](const QString &host, quint16 port, const QString &pinned, const QString &presented) {
                if (m_options.acceptNewCert) {
                    m_output.error(tr("* The certificate of %1:%2 changed; trusting the new one (--accept-new-cert).\n"
                                      "* Was: %3\n* Now: %4")
                                       .arg(host)
                                       .arg(port)
                                       .arg(pinned, presented));
                    return;
                }
                m_output.error(tr("* WARNING: the certificate of %1:%2 has changed. If the server's operator "
                                  "confirms the new fingerprint, run again with --accept-new-cert to trust it.")
                                   .arg(host)
                                   .arg(port));
            });
    connect(c, &ChatClient::registered, this, [this](const Welcome &welcome) {
        m_output.system(EventText::render(welcome));
        for (const ChatMessage &message : welcome.history) {
            // After a reconnect, only what happened while we were away.
            if (message.id <= m_lastShownId)
                continue;
            m_lastShownId = message.id;
            m_output.event(EventText::renderMessage(message));
        }
        onRegistered();
    });
    connect(c, &ChatClient::registrationRefused, this,
            [this](const Error &error) { onRegistrationRefused(error.message, error.code == ErrorCode::ServerFull); });
    connect(c, &ChatClient::messageReceived, this, [this](const ChatMessage &message) {
        // The welcome's history is #lobby's; other rooms resume by their `room` frame.
        if (EventText::isLobby(message.room))
            m_lastShownId = std::max(m_lastShownId, message.id);
        const bool own = Validation::nickKey(message.from) == Validation::nickKey(m_client->nick());
        m_output.event(EventText::renderMessage(message), own ? TerminalStyle::Role::Own : TerminalStyle::Role::Plain);
    });
    connect(c, &ChatClient::whisperReceived, this, [this](const WhisperMessage &whisper) {
        m_output.event(EventText::render(whisper, m_client->nick()), TerminalStyle::Role::Whisper);
    });
    connect(c, &ChatClient::userJoined, this,
            [this](const Joined &f) { m_output.event(EventText::render(f), TerminalStyle::Role::System); });
    connect(c, &ChatClient::userLeft, this,
            [this](const Left &f) { m_output.event(EventText::render(f), TerminalStyle::Role::System); });
    connect(c, &ChatClient::userRenamed, this,
            [this](const Renamed &f) { m_output.event(EventText::render(f), TerminalStyle::Role::System); });
    connect(c, &ChatClient::userListReceived, this, [this](const QStringList &users, const QString &room) {
        m_output.system(EventText::render(Users{users, m_client->operators(), room, m_client->awayUsers()}));
    });
    const auto showSystemEvent = [this](const ServerFrame &frame) {
        m_output.event(EventText::render(frame), TerminalStyle::Role::System);
    };
    connect(c, &ChatClient::userOpped, this, showSystemEvent);
    connect(c, &ChatClient::userMuted, this, showSystemEvent);
    connect(c, &ChatClient::userUnmuted, this, showSystemEvent);
    connect(c, &ChatClient::slowModeChanged, this, showSystemEvent);
    // Presence: a terminal has no user list to dim, so it prints the lines netcat users read.
    connect(c, &ChatClient::userAway, this, showSystemEvent);
    connect(c, &ChatClient::userBack, this, showSystemEvent);
    connect(c, &ChatClient::kicked, this, [this](const QString &by, const QString &reason) {
        m_output.error(EventText::kickedText(by, reason));
        leave(ExitCode::kServerClosed);
    });
    connect(c, &ChatClient::errorReceived, this, [this](const Error &error) {
        // Told better by onConnectionError() when the connection ends.
        if (m_phase == Phase::AskingNick && error.code == ErrorCode::Timeout && !m_client->hasRegistered())
            return;
        if (refersToMessage(error))
            ++m_undelivered;
        m_output.error(EventText::render(error));
    });
    connect(c, &ChatClient::serverClosing, this, [this](const QString &reason) {
        // A kick is told by the kicked() signal, which knows who and why.
        if (reason == leaveReasonName(LeaveReason::Kicked))
            return;
        m_output.system(EventText::render(ServerBye{reason}));
        leave(ExitCode::kServerClosed);
    });
    connect(c, &ChatClient::frameReceived, this, [this](const QByteArray &line) {
        if (m_output.isJson())
            m_output.frame(line);
    });
    connect(c, &ChatClient::outboxDrained, this, [this] {
        if (m_leaveReason && m_phase == Phase::Chatting)
            leave(normalExitCode(), *m_leaveReason);
    });
    connect(c, &ChatClient::closed, this, [this] {
        if (m_phase == Phase::Leaving)
            finish(m_exitCode);
    });
}

// ---- nickname ----

bool ConsoleSession::canAskForNick() const
{
    // A nickname from --nick in a script has nobody to ask; one read from
    // stdin can be followed by another.
    return m_interactive || m_options.nick.isEmpty();
}

void ConsoleSession::askForNick()
{
    m_phase = Phase::AskingNick;
    m_output.prompt(tr("Nickname: "));
    if (!m_pendingLines.isEmpty()) {
        onLine(m_pendingLines.takeFirst());
        return;
    }
    if (m_inputEnded) {
        m_output.promptAnswered(false);
        m_output.fatal(tr("no nickname given."));
        finish(ExitCode::kNickRefused);
    }
}

void ConsoleSession::useNick(const QString &nick)
{
    const Validation::NickResult checked = Validation::checkNick(nick.trimmed());
    if (!checked.isValid()) {
        if (!canAskForNick()) {
            m_output.fatal(tr("invalid nickname \"%1\": %2").arg(nick, Validation::describe(checked)));
            finish(ExitCode::kNickRefused);
            return;
        }
        m_output.error(u"* "_s + Validation::describe(checked));
        askForNick();
        return;
    }
    m_phase = Phase::Connecting;
    if (m_connectStarted) {
        m_client->registerAs(checked.nick);
        return;
    }
    m_connectStarted = true;
    m_client->connectToServer(m_options.host, m_options.port, checked.nick);
}

void ConsoleSession::onRegistrationRefused(const QString &why, bool serverFull)
{
    if (m_phase == Phase::Done)
        return;
    if (serverFull) {
        m_output.fatal(tr("the server is full: %1").arg(why));
        finish(ExitCode::kServerFull);
        return;
    }
    if (!canAskForNick()) {
        m_output.fatal(tr("the server refused the nickname: %1").arg(why));
        finish(ExitCode::kNickRefused);
        return;
    }
    m_output.error(tr("* The server refused the nickname: %1").arg(why));
    askForNick();
}

void ConsoleSession::onRegistered()
{
    if (m_phase != Phase::Connecting)
        return;
    m_phase = Phase::Chatting;
    if (m_interactive)
        m_output.setChatPrompt(m_currentRoom + u"> "_s);
    // What was typed (or piped) while connecting, in order.
    while (!m_pendingLines.isEmpty() && m_phase == Phase::Chatting)
        handleInput(m_pendingLines.takeFirst());
    if (m_inputEnded && m_phase == Phase::Chatting)
        leaveWhenDelivered({});
}

// ---- input ----

void ConsoleSession::onLine(const QString &line)
{
    switch (m_phase) {
    case Phase::AskingNick:
        m_output.promptAnswered(m_interactive);
        if (line.trimmed().isEmpty())
            askForNick();
        else
            useNick(line);
        return;
    case Phase::Connecting:
        m_pendingLines.append(line);
        return;
    case Phase::Chatting:
        if (m_interactive)
            m_output.chatLineEntered();
        handleInput(line);
        return;
    case Phase::Leaving:
    case Phase::Done:
        return;
    }
}

void ConsoleSession::onEndOfInput()
{
    m_inputEnded = true;
    switch (m_phase) {
    case Phase::AskingNick:
        if (m_pendingLines.isEmpty()) {
            m_output.promptAnswered(false);
            m_output.fatal(tr("no nickname given."));
            finish(ExitCode::kNickRefused);
        }
        return;
    case Phase::Connecting:
        // onRegistered() sends what is pending, then leaves.
        return;
    case Phase::Chatting:
        leaveWhenDelivered({});
        return;
    case Phase::Leaving:
    case Phase::Done:
        return;
    }
}

void ConsoleSession::handleInput(const QString &line)
{
    const QString trimmed = line.trimmed();
    if (trimmed.isEmpty() || m_leaveReason)
        return;
    if (trimmed.compare(kExitWord, Qt::CaseInsensitive) == 0) {
        leaveWhenDelivered({});
        return;
    }
    // /quit here rather than in ChatClient: the session waits for the echoes first.
    const CommandParser::Command command = CommandParser::parse(trimmed);
    if (const auto *quit = CommandParser::request<Protocol::Bye>(command)) {
        leaveWhenDelivered(quit->reason);
        return;
    }

    const ChatClient::InputResult result = m_client->submitCommand(command, m_currentRoom);
    followCurrentRoom(command, result);
    switch (result.kind) {
    case ChatClient::InputResult::Kind::Sent:
        if (result.queued && m_interactive)
            m_output.system(tr("* Not connected: this will be sent after reconnecting."));
        return;
    case ChatClient::InputResult::Kind::Local:
        m_output.system(result.text);
        return;
    case ChatClient::InputResult::Kind::Invalid:
        if (result.text.isEmpty())
            return;
        ++m_undelivered;
        m_output.error(u"* "_s + result.text);
        return;
    case ChatClient::InputResult::Kind::Quit:
        leave(normalExitCode());
        return;
    }
}

// ---- leaving ----

void ConsoleSession::leaveWhenDelivered(const QString &reason)
{
    m_leaveReason = reason;
    const bool offline = m_client->state() != ChatClient::State::Online;
    // At the end of a script, wait for the server to come back: the point of
    // a pipe is that its lines arrive. A person typing `exit` wants out now.
    if (m_client->unconfirmedCount() == 0 || (offline && !m_inputEnded)) {
        leave(normalExitCode(), reason);
        return;
    }
    qCDebug(lcConsole) << "leaving after" << m_client->unconfirmedCount() << "confirmations";
}

void ConsoleSession::leave(int exitCode, const QString &reason)
{
    if (m_phase == Phase::Leaving || m_phase == Phase::Done)
        return;
    m_phase = Phase::Leaving;
    m_stdin->stop();
    m_output.setChatPrompt({});
    // Interrupted at the prompt: end its line before saying anything else.
    m_output.promptAnswered(false);
    const int lost = m_client->unconfirmedCount();
    if (lost > 0) {
        m_output.error(tr("* %n message(s) could not be delivered.", nullptr, lost));
        if (exitCode == ExitCode::kOk)
            exitCode = ExitCode::kUndelivered;
    }
    m_exitCode = exitCode;
    // Emits closed() once the `bye` is out (or at once when offline).
    m_client->disconnectFromServer(reason);
}

void ConsoleSession::finish(int exitCode)
{
    if (m_phase == Phase::Done)
        return;
    m_phase = Phase::Done;
    m_stdin->stop();
    m_output.setChatPrompt({});
    m_output.promptAnswered(false);
    emit finished(exitCode);
}

int ConsoleSession::normalExitCode() const
{
    // A person saw the refusals on screen; a script learns of them here.
    if (!m_interactive && m_undelivered > 0)
        return ExitCode::kUndelivered;
    return ExitCode::kOk;
}

void ConsoleSession::onConnectionError(const QString &message)
{
    if (m_phase == Phase::Done)
        return;
    if (m_phase == Phase::AskingNick && !m_client->hasRegistered()) {
        // After a refused nickname the server waits only --register-timeout
        // (30 s by default) for the next; the person may take longer, so
        // the nickname they give connects again (ChatClient::registerAs).
        m_output.promptAnswered(false);
        m_output.system(tr("* The server stopped waiting for a nickname; the one you give next connects again."));
        m_output.prompt(tr("Nickname: "));
        return;
    }
    if (!m_client->hasRegistered()) {
        m_output.fatal(message);
        finish(m_client->lastSocketError() == QAbstractSocket::HostNotFoundError ? ExitCode::kUnknownHost
                                                                                 : ExitCode::kConnectFailed);
        return;
    }
    m_output.error(u"* "_s + message);
}
