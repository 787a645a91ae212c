// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "chatclient.h"
#include "chatfeed.h"
#include "chatinput.h"
#include "chattheme.h"
#include "commandparser.h"
#include "connectionstatus.h"
#include "conversationlistmodel.h"
#include "findbar.h"
#include "guilogging.h"
#include "joinroomdialog.h"
#include "messagelogmodel.h"
#include "messageview.h"
#include "notificationsettings.h"
#include "quickswitcher.h"
#include "roomsidebar.h"
#include "roomswitcher.h"
#include "topicbar.h"
#include "userlistmodel.h"
#include "userlistpanel.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

const QString kGeometryKey = u"window/geometry"_s;
// Three panes since rooms (the sidebar); the two-pane state of before is left alone.
const QString kSplitterKey = u"window/splitter3"_s;
// The character counter appears when the text gets this close to the limit.
constexpr int kCounterThreshold = Protocol::kMaxTextLength * 9 / 10;
// Initial size in average character widths and line heights.
constexpr int kInitialWidthChars = 170;
constexpr int kInitialHeightLines = 48;
constexpr int kMaxInitialScreenShare = 85; // percent of the available screen
constexpr int kUserPanelShare = 18;        // percent of the width
constexpr int kSidebarShare = 16;          // percent of the width

} // namespace

MainWindow::MainWindow(ChatClient *client, ConversationListModel *conversations, ChatFeed *feed,
                       NotificationSettings *notifications, QSettings *settings, QWidget *parent)
    : QMainWindow(parent)
    , m_client(client)
    , m_conversations(conversations)
    , m_notifications(notifications)
    , m_settings(settings)
{
    m_view = new MessageView(this);
    m_view->setLogModel(m_conversations->log(m_conversations->current()));
    m_findBar = new FindBar(m_view, this);
    m_findBar->hide();
    m_input = new ChatInput(this);
    m_sendButton = new QToolButton(this);
    m_sendButton->setText(tr("Send"));
    m_sendButton->setToolTip(tr("Send the message (Enter)"));
    m_sendButton->setAccessibleName(tr("Send"));
    m_sendButton->setFocusPolicy(Qt::NoFocus); // Enter in the message box does it
    m_inputHint = new QLabel(this);
    m_inputHint->setWordWrap(true);
    m_inputHint->setAccessibleName(tr("Input hint"));
    m_inputHint->hide();
    m_counter = new QLabel(this);
    m_counter->setAccessibleName(tr("Characters used"));
    m_counter->hide();

    auto *inputRow = new QHBoxLayout;
    inputRow->addWidget(m_input, 1);
    inputRow->addWidget(m_sendButton, 0, Qt::AlignBottom);

    auto *hintRow = new QHBoxLayout;
    hintRow->addWidget(m_inputHint, 1);
    hintRow->addWidget(m_counter, 0, Qt::AlignRight);

    auto *chatColumn = new QWidget(this);
    auto *chatLayout = new QVBoxLayout(chatColumn);
    chatLayout->setContentsMargins(0, 0, 0, 0);
    m_topicBar = new TopicBar(m_conversations, chatColumn);
    chatLayout->addWidget(m_topicBar);
    chatLayout->addWidget(m_view, 1);
    chatLayout->addWidget(m_findBar);
    chatLayout->addLayout(hintRow);
    chatLayout->addLayout(inputRow);

    m_userPanel = new UserListPanel(m_conversations->users(m_conversations->current()), this);
    m_sidebar = new RoomSidebar(m_conversations, m_notifications, this);
    m_switcher = new RoomSwitcher(m_client, m_conversations, feed, {m_view, m_findBar, m_userPanel, m_input}, this);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->addWidget(m_sidebar);
    m_splitter->addWidget(chatColumn);
    m_splitter->addWidget(m_userPanel);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 0);
    m_splitter->setChildrenCollapsible(false);
    setCentralWidget(m_splitter);

    m_status = new ConnectionStatus(m_client, this);
    statusBar()->addWidget(m_status, 1);

    setTabOrder(m_sidebar->listView(), m_input);
    setTabOrder(m_input, m_view);
    setTabOrder(m_view, m_userPanel->listView());

    buildMenus();

    connect(m_input, &ChatInput::submitted, this, &MainWindow::submit);
    connect(m_sendButton, &QToolButton::clicked, this, [this] { submit(m_input->text()); });
    connect(m_input, &ChatInput::lengthChanged, this, &MainWindow::updateCounter);
    connect(m_input, &ChatInput::pageRequested, this, [this](bool up) {
        m_view->verticalScrollBar()->triggerAction(up ? QAbstractSlider::SliderPageStepSub
                                                      : QAbstractSlider::SliderPageStepAdd);
    });
    connect(m_view, &MessageView::linkActivated, this, [](const QUrl &url) { QDesktopServices::openUrl(url); });
    connect(m_view, &MessageView::whisperRequested, this, &MainWindow::startWhisper);
    connect(m_userPanel, &UserListPanel::whisperRequested, this, &MainWindow::startWhisper);
    connect(m_userPanel, &UserListPanel::mentionRequested, m_input, &ChatInput::insertNick);
    connect(m_findBar, &FindBar::closed, m_input, [this] { m_input->setFocus(Qt::OtherFocusReason); });
    connect(m_conversations, &ConversationListModel::messageArrived, this, &MainWindow::onMessageArrived);
    connect(m_topicBar, &TopicBar::topicEdited, this, [this](const QString &room, const QString &topic) {
        // Refusals of the server come back as error rows (ChatFeed); the client's own too.
        const QString error = m_client->setTopic(room, topic);
        if (!error.isEmpty())
            m_switcher->currentLog()->appendError(error);
        m_input->setFocus(Qt::OtherFocusReason);
    });
    connect(m_sidebar, &RoomSidebar::rowClicked, m_input, [this] { m_input->setFocus(Qt::MouseFocusReason); });
    connect(m_sidebar, &RoomSidebar::leaveRequested, this, [this](const QString &room) {
        const QString error = m_client->partRoom(room);
        if (!error.isEmpty())
            showInputHint(error, true);
    });

    connect(m_client, &ChatClient::nickChanged, this, [this](const QString &nick) {
        m_input->setSelf(nick);
        updateTitle();
    });
    connect(m_client, &ChatClient::registered, this, [this](const Protocol::Welcome &welcome) {
        m_input->setSelf(welcome.nick);
        updateTitle();
    });
    connect(m_client, &ChatClient::stateChanged, this, &MainWindow::updateTitle);
    // "…will be sent once the connection is back" is over once it was sent.
    connect(m_client, &ChatClient::outboxDrained, this, [this] {
        if (!m_inputHint->property("error").toBool())
            showInputHint({}, false);
    });

    m_input->setSelf(m_client->nick());
    restoreLayout();
    updateTitle();
    m_input->setFocus(Qt::OtherFocusReason);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    QMenu *chat = menuBar()->addMenu(tr("&Chat"));
    QAction *reconnect = chat->addAction(tr("&Reconnect Now"), m_client, &ChatClient::reconnectNow);
    reconnect->setShortcut(Qt::CTRL | Qt::Key_R);
    connect(m_client, &ChatClient::stateChanged, reconnect,
            [this, reconnect] { reconnect->setEnabled(m_client->state() == ChatClient::State::Reconnecting); });
    reconnect->setEnabled(false);
    chat->addAction(tr("Change &Nickname…"), this, [this] {
        m_input->setText(u"/nick "_s);
        m_input->setFocus(Qt::ShortcutFocusReason);
    });
    chat->addAction(tr("&Who Is Here"), this, [this] { submit(u"/who"_s); });
    // Checked while the server lists this user as away; the message, if
    // any, is typed with /away MESSAGE.
    QAction *away = chat->addAction(tr("&Away"));
    away->setObjectName(u"awayAction"_s);
    away->setCheckable(true);
    const auto showAway = [this, away] { away->setChecked(m_client->isAway()); };
    connect(away, &QAction::triggered, this, [this, showAway](bool checked) {
        const QString why = checked ? m_client->setAway() : m_client->setBack();
        showInputHint(why, !why.isEmpty());
        showAway(); // the server's answer checks it
    });
    connect(m_client, &ChatClient::awayUsersChanged, away, showAway);
    connect(m_client, &ChatClient::stateChanged, away,
            [this, away] { away->setEnabled(m_client->state() == ChatClient::State::Online); });
    chat->addSeparator();
    QAction *join = chat->addAction(tr("&Join a Room…"), this, &MainWindow::openJoinRoomDialog);
    join->setShortcut(Qt::CTRL | Qt::Key_J);
    QAction *quickSwitch = chat->addAction(tr("&Switch To…"), this, &MainWindow::openQuickSwitcher);
    quickSwitch->setShortcut(Qt::CTRL | Qt::Key_K);
    chat->addSeparator();
    if (m_notifications) {
        chat->addAction(m_notifications->doNotDisturbAction());
        chat->addSeparator();
    }
    QAction *quit = chat->addAction(tr("&Quit"), this, &MainWindow::requestQuit);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *find = edit->addAction(tr("&Find…"), m_findBar, &FindBar::activate);
    find->setShortcut(QKeySequence::Find);
    QAction *older = edit->addAction(tr("Find &Older"), m_findBar, [this] {
        if (m_findBar->isHidden())
            m_findBar->activate();
        else
            m_findBar->findOlder();
    });
    older->setShortcut(QKeySequence::FindNext);
    QAction *newer = edit->addAction(tr("Find &Newer"), m_findBar, &FindBar::findNewer);
    newer->setShortcut(QKeySequence::FindPrevious);
    edit->addSeparator();
    QAction *copy = edit->addAction(tr("&Copy Selected Messages"), this, [this] {
        const QString text = m_view->selectedText();
        if (!text.isEmpty())
            QApplication::clipboard()->setText(text);
    });
    copy->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_C);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *newest = view->addAction(tr("Jump to &Newest Message"), m_view, &MessageView::scrollToNewest);
    newest->setShortcut(Qt::CTRL | Qt::Key_End);
    QAction *focusInput =
        view->addAction(tr("Go to &Message Box"), this, [this] { m_input->setFocus(Qt::ShortcutFocusReason); });
    focusInput->setShortcut(Qt::CTRL | Qt::Key_L);
    QAction *nextPane = view->addAction(tr("Next &Pane"), this, [this] { cycleFocus(true); });
    nextPane->setShortcut(Qt::Key_F6);
    QAction *previousPane = view->addAction(tr("P&revious Pane"), this, [this] { cycleFocus(false); });
    previousPane->setShortcut(Qt::SHIFT | Qt::Key_F6);
    view->addSeparator();
    QAction *nextRoom = view->addAction(tr("Next R&oom"), this, [this] { m_sidebar->step(1); });
    nextRoom->setShortcuts({QKeySequence(Qt::ALT | Qt::Key_Down), QKeySequence(Qt::CTRL | Qt::Key_Tab)});
    QAction *previousRoom = view->addAction(tr("Previous Roo&m"), this, [this] { m_sidebar->step(-1); });
    previousRoom->setShortcuts({QKeySequence(Qt::ALT | Qt::Key_Up), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Tab),
                                QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backtab)});
    QAction *showUsers = view->addAction(tr("Show &Users"));
    showUsers->setCheckable(true);
    showUsers->setChecked(true);
    connect(showUsers, &QAction::toggled, m_userPanel, &QWidget::setVisible);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *commands = help->addAction(tr("&Commands"), this, [this] {
        m_switcher->currentLog()->appendNotice(CommandParser::helpText());
        m_view->scrollToNewest();
    });
    commands->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About qtchat"), this, [this] {
        QMessageBox::about(this, tr("About qtchat"),
                           tr("qtchat %1\n\nA small TCP chat: this desktop client, a console client and the "
                              "chat-server.\nBuilt with Qt %2.")
                               .arg(QCoreApplication::applicationVersion(), QString::fromLatin1(qVersion())));
    });
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::submit(const QString &text)
{
    if (text.trimmed().isEmpty())
        return;
    const ChatClient::InputResult result = m_switcher->submit(text);
    switch (result.kind) {
    case ChatClient::InputResult::Kind::Sent:
        m_input->acceptSubmission();
        m_view->scrollToNewest();
        if (result.queued)
            showInputHint(tr("Not connected: the message will be sent once the connection is back."), false);
        else
            showInputHint({}, false);
        return;
    case ChatClient::InputResult::Kind::Local:
        m_input->acceptSubmission();
        m_switcher->currentLog()->appendNotice(result.text);
        m_view->scrollToNewest();
        showInputHint({}, false);
        return;
    case ChatClient::InputResult::Kind::Quit:
        m_input->acceptSubmission();
        requestQuit();
        return;
    case ChatClient::InputResult::Kind::Invalid:
        // The draft stays so the user can fix it.
        showInputHint(result.text, true);
        return;
    }
}

JoinRoomDialog *MainWindow::joinRoomDialog() const
{
    return m_joinDialog;
}

QuickSwitcher *MainWindow::quickSwitcher() const
{
    return m_quickSwitcher;
}

void MainWindow::openJoinRoomDialog()
{
    delete m_joinDialog;
    m_joinDialog = new JoinRoomDialog(m_client, this);
    m_joinDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_joinDialog, &JoinRoomDialog::joinRequested, this, [this](const QString &room) {
        m_switcher->showRoomWhenEntered(room);
        const QString error = m_client->joinRoom(room);
        if (!error.isEmpty())
            m_switcher->currentLog()->appendError(error);
    });
    connect(m_joinDialog, &QDialog::finished, m_input, [this] { m_input->setFocus(Qt::OtherFocusReason); });
    m_joinDialog->open();
}

void MainWindow::openQuickSwitcher()
{
    delete m_quickSwitcher;
    m_quickSwitcher = new QuickSwitcher(m_conversations, this);
    m_quickSwitcher->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_quickSwitcher, &QDialog::finished, m_input, [this] { m_input->setFocus(Qt::OtherFocusReason); });
    m_quickSwitcher->open();
}

void MainWindow::startWhisper(const QString &nick)
{
    // A private conversation of its own, as in Quassel or Telegram.
    m_switcher->openDirect(nick);
    m_input->setFocus(Qt::OtherFocusReason);
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::ActivationChange && isActiveWindow() && m_unread > 0) {
        m_unread = 0;
        updateTitle();
        emit unreadCountChanged(m_unread);
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // When the desktop session ends, windows are closed for good, tray or not.
    if (m_hidesOnClose && !m_closing && !qApp->isSavingSession()) {
        saveLayout();
        event->ignore();
        hide();
        emit hiddenToTray();
        return;
    }
    event->accept();
    requestQuit();
}

void MainWindow::requestQuit()
{
    if (m_closing)
        return;
    m_closing = true;
    saveLayout();
    emit quitRequested();
}

void MainWindow::bringToFront()
{
    show();
    setWindowState((windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    raise();
    activateWindow();
}

void MainWindow::onMessageArrived()
{
    // Desktop notifications and the taskbar alert are NotificationPolicy's.
    if (isActiveWindow())
        return;
    ++m_unread;
    updateTitle();
    emit unreadCountChanged(m_unread);
}

void MainWindow::updateTitle()
{
    QString title = tr("%1 @ %2 — qtchat").arg(m_client->nick(), m_client->host());
    if (m_client->state() != ChatClient::State::Online)
        title = tr("%1 @ %2 (offline) — qtchat").arg(m_client->nick(), m_client->host());
    if (m_unread > 0)
        title = u"(%1) "_s.arg(QLocale().toString(m_unread)) + title;
    setWindowTitle(title);
}

void MainWindow::updateCounter(int length)
{
    if (!m_inputHint->text().isEmpty() && m_inputHint->property("error").toBool())
        showInputHint({}, false);
    if (length < kCounterThreshold) {
        m_counter->hide();
        return;
    }
    const QLocale locale;
    m_counter->setText(tr("%1 / %2").arg(locale.toString(length), locale.toString(Protocol::kMaxTextLength)));
    QPalette palette = m_counter->palette();
    const ChatTheme theme(this->palette());
    palette.setColor(QPalette::WindowText, length > Protocol::kMaxTextLength ? theme.errorText() : theme.quietText());
    m_counter->setPalette(palette);
    m_counter->show();
}

void MainWindow::showInputHint(const QString &text, bool error)
{
    m_inputHint->setText(text);
    m_inputHint->setProperty("error", error);
    QPalette palette = m_inputHint->palette();
    const ChatTheme theme(this->palette());
    palette.setColor(QPalette::WindowText, error ? theme.errorText() : theme.quietText());
    m_inputHint->setPalette(palette);
    m_inputHint->setVisible(!text.isEmpty());
}

void MainWindow::cycleFocus(bool forward)
{
    QList<QWidget *> panes{m_input, m_view};
    if (m_userPanel->isVisible())
        panes.append(m_userPanel->listView());
    panes.append(m_sidebar->listView());
    if (m_findBar->isVisible())
        panes.insert(1, m_findBar);
    qsizetype at = 0;
    for (qsizetype i = 0; i < panes.size(); ++i) {
        if (panes.at(i) == focusWidget() || panes.at(i)->isAncestorOf(focusWidget()))
            at = i;
    }
    const qsizetype next = (at + (forward ? 1 : panes.size() - 1)) % panes.size();
    panes.at(next)->setFocus(Qt::ShortcutFocusReason);
}

void MainWindow::restoreLayout()
{
    const QFontMetrics metrics(font());
    QSize size(metrics.averageCharWidth() * kInitialWidthChars, metrics.height() * kInitialHeightLines);
    if (const QScreen *screen = this->screen())
        size = size.boundedTo(screen->availableSize() * kMaxInitialScreenShare / 100);
    resize(size);
    const int total = width();
    m_splitter->setSizes({total * kSidebarShare / 100, total * (100 - kUserPanelShare - kSidebarShare) / 100,
                          total * kUserPanelShare / 100});
    if (!m_settings)
        return;
    restoreGeometry(m_settings->value(kGeometryKey).toByteArray());
    m_splitter->restoreState(m_settings->value(kSplitterKey).toByteArray());
}

void MainWindow::saveLayout()
{
    if (!m_settings)
        return;
    m_settings->setValue(kGeometryKey, saveGeometry());
    m_settings->setValue(kSplitterKey, m_splitter->saveState());
}
