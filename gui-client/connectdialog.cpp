// SPDX-License-Identifier: MIT
#include "connectdialog.h"

#include "chattheme.h"
#include "guilogging.h"
#include "protocol.h"
#include "validation.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

const QString kNickKey = u"connect/nick"_s;
const QString kHostKey = u"connect/host"_s;
const QString kPortKey = u"connect/port"_s;
const QString kTlsKey = u"connect/tls"_s;
const QString kCaKey = u"connect/ca"_s;
const QString kDefaultHost = u"localhost"_s;
constexpr int kIconSize = 48;
constexpr int kDialogWidthChars = 72;
constexpr int kMaxNickFieldLength = 64; // long enough to explain "too long", short enough to stay sane

void setLabelColor(QLabel *label, const QColor &color)
{
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, color);
    label->setPalette(palette);
}

} // namespace

ConnectDialog::ConnectDialog(QSettings *settings, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_nick(new QLineEdit(this))
    , m_nickHint(new QLabel(this))
    , m_host(new QLineEdit(this))
    , m_port(new QSpinBox(this))
    , m_tls(new QCheckBox(tr("Encrypt with &TLS"), this))
    , m_caFile(new QLineEdit(this))
    , m_statusIcon(new QLabel(this))
    , m_status(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_buttons(new QDialogButtonBox(this))
{
    setWindowTitle(tr("Connect — qtchat"));

    auto *icon = new QLabel(this);
    icon->setPixmap(windowIcon().pixmap(kIconSize, kIconSize));
    auto *title = new QLabel(tr("Join a chat"), this);
    QFont titleFont = title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    title->setFont(titleFont);
    auto *intro = new QLabel(tr("Choose a nickname and the server to connect to."), this);
    intro->setWordWrap(true);

    auto *header = new QHBoxLayout;
    header->addWidget(icon, 0, Qt::AlignTop);
    auto *headerText = new QVBoxLayout;
    headerText->addWidget(title);
    headerText->addWidget(intro);
    header->addLayout(headerText, 1);

    m_nick->setMaxLength(kMaxNickFieldLength);
    m_nick->setAccessibleName(tr("Nickname"));
    m_nickHint->setWordWrap(true);
    m_nickHint->setAccessibleName(tr("Nickname hint"));
    m_host->setPlaceholderText(kDefaultHost);
    m_host->setAccessibleName(tr("Server host"));
    m_port->setRange(1, 65535);
    m_port->setGroupSeparatorShown(false);
    m_port->setAccessibleName(tr("Server port"));

    auto *serverRow = new QHBoxLayout;
    serverRow->addWidget(m_host, 1);
    auto *portLabel = new QLabel(tr("&Port:"), this);
    portLabel->setBuddy(m_port);
    serverRow->addWidget(portLabel);
    serverRow->addWidget(m_port);

    // The server row holds two fields, so its label needs its buddy set by hand.
    auto *serverLabel = new QLabel(tr("&Server:"), this);
    serverLabel->setBuddy(m_host);
    auto *form = new QFormLayout;
    form->addRow(tr("&Nickname:"), m_nick);
    form->addRow(QString(), m_nickHint);
    form->addRow(serverLabel, serverRow);
    m_tls->setToolTip(tr("Without a CA certificate, the server's certificate is trusted the first time and "
                         "must stay the same afterwards."));
    m_caFile->setPlaceholderText(tr("none: trust the server's certificate on first use"));
    m_caFile->setAccessibleName(tr("CA certificate file"));
    auto *caLabel = new QLabel(tr("C&A certificate:"), this);
    caLabel->setBuddy(m_caFile);
    form->addRow(QString(), m_tls);
    form->addRow(caLabel, m_caFile);

    m_progress->setRange(0, 0); // busy indicator: the time to connect is unknown
    m_progress->setTextVisible(false);
    m_progress->setAccessibleName(tr("Connecting"));
    m_progress->hide();
    m_status->setWordWrap(true);
    m_status->setAccessibleName(tr("Connection status"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const int iconExtent = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_statusIcon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(iconExtent, iconExtent));
    m_statusIcon->hide();
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_statusIcon, 0, Qt::AlignTop);
    statusRow->addWidget(m_status, 1);

    m_connectButton = m_buttons->addButton(tr("&Connect"), QDialogButtonBox::AcceptRole);
    m_connectButton->setDefault(true);
    m_closeButton = m_buttons->addButton(tr("&Quit"), QDialogButtonBox::RejectRole);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addSpacing(fontMetrics().height() / 2);
    layout->addLayout(form);
    layout->addLayout(statusRow);
    layout->addWidget(m_progress);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    setMinimumWidth(fontMetrics().averageCharWidth() * kDialogWidthChars);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ConnectDialog::reject);
    connect(m_nick, &QLineEdit::textChanged, this, &ConnectDialog::validate);
    connect(m_host, &QLineEdit::textChanged, this, &ConnectDialog::validate);
    connect(m_tls, &QCheckBox::toggled, m_caFile, &QWidget::setEnabled);

    if (m_settings) {
        m_nick->setText(m_settings->value(kNickKey).toString());
        m_host->setText(m_settings->value(kHostKey, kDefaultHost).toString());
        m_port->setValue(m_settings->value(kPortKey, Protocol::kDefaultPort).toInt());
        m_tls->setChecked(m_settings->value(kTlsKey, false).toBool());
        m_caFile->setText(m_settings->value(kCaKey).toString());
    } else {
        m_host->setText(kDefaultHost);
        m_port->setValue(Protocol::kDefaultPort);
    }
    m_caFile->setEnabled(m_tls->isChecked());
    validate();
    m_nick->setFocus(Qt::OtherFocusReason);
}

ConnectDialog::~ConnectDialog() = default;

void ConnectDialog::setValues(const QString &host, quint16 port, const QString &nick)
{
    if (!host.isEmpty())
        m_host->setText(host);
    if (port != 0)
        m_port->setValue(port);
    if (!nick.isEmpty())
        m_nick->setText(nick);
    validate();
}

void ConnectDialog::setTlsValues(bool tls, const QString &caFile)
{
    if (tls || !caFile.isEmpty())
        m_tls->setChecked(true);
    if (!caFile.isEmpty())
        m_caFile->setText(caFile);
}

bool ConnectDialog::useTls() const
{
    return m_tls->isChecked();
}

QString ConnectDialog::caFile() const
{
    return m_tls->isChecked() ? m_caFile->text().trimmed() : QString();
}

QString ConnectDialog::nick() const
{
    return Validation::checkNick(m_nick->text().trimmed()).nick;
}

QString ConnectDialog::host() const
{
    const QString host = m_host->text().trimmed();
    return host.isEmpty() ? kDefaultHost : host;
}

quint16 ConnectDialog::port() const
{
    return quint16(m_port->value());
}

bool ConnectDialog::canSubmit() const
{
    return !m_busy && Validation::checkNick(m_nick->text().trimmed()).isValid() && !host().contains(u' ');
}

void ConnectDialog::submit()
{
    if (!canSubmit()) {
        m_nick->setFocus(Qt::OtherFocusReason);
        return;
    }
    qCInfo(lcGuiDialog) << "connect requested:" << nick() << "at" << host() << port();
    emit connectRequested(host(), port(), nick());
}

void ConnectDialog::setBusy(const QString &message)
{
    m_busy = true;
    setInputsEnabled(false);
    m_progress->show();
    setStatus(message, false);
    m_closeButton->setText(tr("&Cancel"));
    m_connectButton->setEnabled(false);
}

void ConnectDialog::showError(const QString &message, Field field)
{
    m_busy = false;
    setInputsEnabled(true);
    m_progress->hide();
    setStatus(message, true);
    m_closeButton->setText(tr("&Quit"));
    validate();
    QWidget *focus = m_nick;
    if (field == Field::Host)
        focus = m_host;
    else if (field == Field::Port)
        focus = m_port;
    focus->setFocus(Qt::OtherFocusReason);
    if (auto *edit = qobject_cast<QLineEdit *>(focus))
        edit->selectAll();
}

void ConnectDialog::remember()
{
    if (!m_settings)
        return;
    m_settings->setValue(kNickKey, nick());
    m_settings->setValue(kHostKey, host());
    m_settings->setValue(kPortKey, int(port()));
    m_settings->setValue(kTlsKey, useTls());
    m_settings->setValue(kCaKey, m_caFile->text().trimmed());
}

QString ConnectDialog::statusText() const
{
    return m_status->text();
}

QString ConnectDialog::nickHint() const
{
    return m_nickHint->text();
}

void ConnectDialog::reject()
{
    // Escape while connecting stops the attempt; it does not close the program.
    if (m_busy) {
        m_busy = false;
        setInputsEnabled(true);
        m_progress->hide();
        setStatus(tr("Connection attempt cancelled."), false);
        m_closeButton->setText(tr("&Quit"));
        validate();
        emit cancelRequested();
        return;
    }
    QDialog::reject();
}

void ConnectDialog::validate()
{
    const ChatTheme theme(palette());
    const QString typed = m_nick->text().trimmed();
    const Validation::NickResult result = Validation::checkNick(typed);
    // No scolding for a field that is simply still empty: show the rules instead.
    m_nickHintIsError = !typed.isEmpty() && !result.isValid();
    if (m_nickHintIsError) {
        m_nickHint->setText(Validation::describe(result));
        setLabelColor(m_nickHint, theme.errorText());
    } else {
        m_nickHint->setText(
            tr("Letters of any script, digits, _ - and . (up to %n characters).", nullptr, Protocol::kMaxNickLength));
        setLabelColor(m_nickHint, theme.quietText());
    }
    m_nick->setAccessibleDescription(m_nickHint->text());
    m_connectButton->setEnabled(canSubmit());
}

void ConnectDialog::setInputsEnabled(bool enabled)
{
    m_nick->setEnabled(enabled);
    m_host->setEnabled(enabled);
    m_port->setEnabled(enabled);
    m_tls->setEnabled(enabled);
    m_caFile->setEnabled(enabled && m_tls->isChecked());
}

void ConnectDialog::setStatus(const QString &message, bool error)
{
    const ChatTheme theme(palette());
    m_status->setText(message);
    setLabelColor(m_status, error ? theme.errorText() : palette().color(QPalette::WindowText));
    m_statusIcon->setVisible(error && !message.isEmpty());
}
