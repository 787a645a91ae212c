// SPDX-License-Identifier: MIT
#include "guisession.h"

#include "appcontroller.h"
#include "chatclient.h"
#include "chatserver.h"
#include "mainwindow.h"
#include "testserver.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr int kTimeoutMsecs = 10000;

} // namespace

GuiSession::GuiSession() = default;

GuiSession::~GuiSession()
{
    stop();
}

bool GuiSession::start(const ServerConfig &config)
{
    if (!m_dir.isValid() || !startServer(config))
        return false;
    m_settings = std::make_unique<QSettings>(m_dir.filePath(u"gui.ini"_s), QSettings::IniFormat);
    return startGui();
}

bool GuiSession::quitGui()
{
    if (!m_controller || !m_controller->window())
        return false;
    QSignalSpy finished(m_controller.get(), &AppController::finished);
    m_controller->window()->close();
    const bool done = finished.wait(kTimeoutMsecs);
    m_controller.reset();
    return done;
}

bool GuiSession::startGui()
{
    GuiOptions options;
    options.host = u"127.0.0.1"_s;
    options.port = m_server->serverPort();
    options.nick = u"alice"_s;
    options.autoConnect = true;
    m_controller = std::make_unique<AppController>(options, m_settings.get());
    m_controller->client()->setSendRate(0, 0);
    m_controller->start();
    if (!QTest::qWaitFor([this] { return m_controller->window() != nullptr; }, kTimeoutMsecs))
        return false;
    m_controller->window()->activateWindow();
    return QTest::qWaitForWindowActive(m_controller->window());
}

void GuiSession::stop()
{
    m_controller.reset();
    stopServer();
    if (m_settings) {
        m_settings->clear();
        m_settings.reset();
    }
}

void GuiSession::stopServer()
{
    m_server.reset();
}

bool GuiSession::startServer(const ServerConfig &config)
{
    m_server = TestServer::start(config);
    return m_server != nullptr;
}

MainWindow *GuiSession::window() const
{
    return m_controller ? m_controller->window() : nullptr;
}
