// SPDX-License-Identifier: MIT
#pragma once

#include "serverconfig.h"

#include <QSettings>
#include <QTemporaryDir>

#include <memory>

class AppController;
class ChatServer;
class MainWindow;

// chat-gui as a person starts it, for the window tests: a ChatServer on
// port 0, chat-gui's settings in a file of their own, and the AppController
// joined as "alice" with its chat window open and active.
class GuiSession final
{
public:
    GuiSession();
    ~GuiSession();

    // Starts the server, then chat-gui; false if either did not come up.
    bool start(const ServerConfig &config);
    // Ends chat-gui, then the server, and forgets the settings.
    void stop();

    // chat-gui alone: quit politely, and started again on the same settings
    // (the server stays).
    bool quitGui();
    bool startGui();
    QSettings *settings() const { return m_settings.get(); }

    // The server alone: gone as if it crashed, and back (on the port in `config`).
    void stopServer();
    bool startServer(const ServerConfig &config);

    ChatServer *server() const { return m_server.get(); }
    AppController *controller() const { return m_controller.get(); }
    MainWindow *window() const;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<ChatServer> m_server;
    std::unique_ptr<AppController> m_controller;
};
