// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSettings;
class QSpinBox;

// The first window: nickname, server host and port. The nickname is checked
// while it is typed with the server's own rules (Validation::checkNick) and
// the problem is explained under the field. Connect shows progress; a
// refusal (nick taken, server full, connection refused, unknown host) is
// shown here and the user corrects and tries again.
//
// The dialog only collects and displays: AppController does the connecting.
class ConnectDialog final : public QDialog
{
    Q_OBJECT

public:
    enum class Field { None, Nick, Host, Port };

    explicit ConnectDialog(QSettings *settings, QWidget *parent = nullptr);
    ~ConnectDialog() override;

    // Command-line values win over the remembered ones; empty/0 keeps those.
    void setValues(const QString &host, quint16 port, const QString &nick);
    // --tls / --ca: turn TLS on (and set the CA file); false/empty keeps the remembered choice.
    void setTlsValues(bool tls, const QString &caFile);

    QString nick() const;
    QString host() const;
    quint16 port() const;
    bool useTls() const;
    // The CA file for TLS; empty: trust the server's certificate on first use.
    QString caFile() const;

    // True when the Connect button would do something.
    bool canSubmit() const;
    // What the Connect button does: emits connectRequested when the input is valid.
    void submit();

    void setBusy(const QString &message);
    void showError(const QString &message, Field field);
    bool isBusy() const { return m_busy; }

    // Saves the values that worked, for the next start.
    void remember();

    QString statusText() const;
    QString nickHint() const;
    bool nickHintIsError() const { return m_nickHintIsError; }
    QPushButton *connectButton() const { return m_connectButton; }

signals:
    void connectRequested(const QString &host, quint16 port, const QString &nick);
    // The user stopped a connection attempt in progress.
    void cancelRequested();

protected:
    void reject() override;

private:
    void validate();
    void setInputsEnabled(bool enabled);
    void setStatus(const QString &message, bool error);

    QSettings *m_settings;
    QLineEdit *m_nick;
    QLabel *m_nickHint;
    QLineEdit *m_host;
    QSpinBox *m_port;
    QCheckBox *m_tls;
    QLineEdit *m_caFile;
    QLabel *m_statusIcon;
    QLabel *m_status;
    QProgressBar *m_progress;
    QDialogButtonBox *m_buttons;
    QPushButton *m_connectButton;
    QPushButton *m_closeButton;
    bool m_busy = false;
    bool m_nickHintIsError = false;
};
