// SPDX-License-Identifier: MIT
#pragma once

#include "chatclient.h"
#include "commandparser.h"
#include "consoleoptions.h"
#include "consoleoutput.h"

#include <QObject>
#include <QStringList>

#include <optional>

class SignalWatcher;
class StdinReader;

// One run of chat-console: asks for a nickname if needed, connects through
// ChatClient, turns every event into one line, feeds stdin lines to the
// client, and decides when and with which status the program ends.
//
// Lines read before the first registration wait here, in order, so that a
// script's first line can be the nickname and the rest its messages.
//
// Rooms: the session has a current room (#lobby, or --room), where plain
// lines, /me, /who, /part and /topic go; /join makes the joined room
// current, and leaving the current room makes #lobby current again.
class ConsoleSession final : public QObject
{
    Q_OBJECT

public:
    explicit ConsoleSession(const ConsoleOptions &options, QObject *parent = nullptr);
    ~ConsoleSession() override;

    void start();

signals:
    void finished(int exitCode);

private:
    enum class Phase { AskingNick, Connecting, Chatting, Leaving, Done };

    void wireClient();
    void wireRooms();
    void setCurrentRoom(const QString &room);
    void followCurrentRoom(const CommandParser::Command &command, const ChatClient::InputResult &result);
    void askForNick();
    void useNick(const QString &nick);
    void onLine(const QString &line);
    void onEndOfInput();
    void handleInput(const QString &line);
    void onRegistered();
    void onRegistrationRefused(const QString &why, bool serverFull);
    void onConnectionError(const QString &message);
    void leaveWhenDelivered(const QString &reason);
    void leave(int exitCode, const QString &reason = {});
    void finish(int exitCode);
    int normalExitCode() const;
    bool canAskForNick() const;

    ConsoleOptions m_options;
    ConsoleOutput m_output;
    ChatClient *m_client;
    StdinReader *m_stdin;
    SignalWatcher *m_signals;

    Phase m_phase = Phase::AskingNick;
    const bool m_interactive;
    bool m_connectStarted = false;
    bool m_inputEnded = false;
    // Set when the session should end once every message is confirmed.
    std::optional<QString> m_leaveReason;
    QStringList m_pendingLines;
    QString m_currentRoom;
    qint64 m_lastShownId = 0;
    int m_undelivered = 0;
    int m_exitCode = 0;
};
