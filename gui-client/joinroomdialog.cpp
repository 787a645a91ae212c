// SPDX-License-Identifier: MIT
#include "joinroomdialog.h"

#include "chatclient.h"
#include "chattheme.h"
#include "roomdirectorymodel.h"
#include "validation.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

// What the user typed as a room name: "dev" means "#dev".
QString asRoomName(const QString &text)
{
    const QString trimmed = text.trimmed();
    return trimmed.isEmpty() || trimmed.startsWith(u'#') ? trimmed : u'#' + trimmed;
}

} // namespace

JoinRoomDialog::JoinRoomDialog(ChatClient *client, QWidget *parent)
    : QDialog(parent)
    , m_client(client)
    , m_directory(new RoomDirectoryModel(this))
    , m_filter(new QSortFilterProxyModel(this))
    , m_field(new QLineEdit(this))
    , m_list(new QListView(this))
    , m_hint(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Join a Room — qtchat"));
    m_filter->setSourceModel(m_directory);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setFilterRole(Qt::DisplayRole);

    auto *label = new QLabel(tr("&Room name or filter:"), this);
    label->setBuddy(m_field);
    m_field->setPlaceholderText(tr("#room"));
    m_field->setAccessibleName(tr("Room name or filter"));
    m_field->setClearButtonEnabled(true);
    m_list->setModel(m_filter);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setAccessibleName(tr("Rooms on the server"));
    m_hint->setWordWrap(true);
    m_hint->setAccessibleName(tr("Hint"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Join"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(label);
    layout->addWidget(m_field);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_hint);
    layout->addWidget(m_buttons);

    connect(m_field, &QLineEdit::textChanged, this, &JoinRoomDialog::onTextChanged);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &JoinRoomDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &JoinRoomDialog::reject);
    connect(m_list, &QListView::activated, this, &JoinRoomDialog::accept);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &index) {
        if (index.isValid() && m_list->hasFocus())
            showHint({}, false);
    });
    connect(m_client, &ChatClient::roomListReceived, this, [this](const Protocol::RoomList &list) {
        m_directory->setList(list);
        onTextChanged(m_field->text());
    });
    const QString error = m_client->requestRooms();
    showHint(error.isEmpty() ? tr("Asking the server for its rooms…") : error, !error.isEmpty());
    resize(fontMetrics().averageCharWidth() * 60, fontMetrics().height() * 24);
}

JoinRoomDialog::~JoinRoomDialog() = default;

QString JoinRoomDialog::chosenRoom() const
{
    const QModelIndex selected = m_list->currentIndex();
    if (selected.isValid() && m_list->selectionModel()->isSelected(selected))
        return selected.data(RoomDirectoryModel::NameRole).toString();
    return asRoomName(m_field->text());
}

void JoinRoomDialog::accept()
{
    const QString room = chosenRoom();
    if (room.isEmpty()) {
        showHint(tr("Type the name of a room, or choose one from the list."), true);
        return;
    }
    const Validation::RoomResult checked = Validation::checkRoom(room);
    if (!checked.isValid()) {
        showHint(Validation::describe(checked), true);
        m_field->setFocus(Qt::OtherFocusReason);
        return;
    }
    emit joinRequested(checked.room);
    QDialog::accept();
}

void JoinRoomDialog::onTextChanged(const QString &text)
{
    const QString name = asRoomName(text);
    m_filter->setFilterFixedString(text.trimmed());
    // The room typed exactly is chosen; otherwise Join creates the typed one.
    const int row = name.isEmpty() ? -1 : m_directory->indexOf(name);
    const QModelIndex exact = row >= 0 ? m_filter->mapFromSource(m_directory->index(row)) : QModelIndex();
    m_list->selectionModel()->clearSelection();
    if (exact.isValid()) {
        m_list->setCurrentIndex(exact);
        showHint({}, false);
        return;
    }
    m_list->setCurrentIndex({});
    if (name.isEmpty()) {
        showHint(tr("%n room(s) on the server.", nullptr, m_directory->rowCount()), false);
        return;
    }
    const Validation::RoomResult checked = Validation::checkRoom(name);
    if (!checked.isValid())
        showHint(Validation::describe(checked), true);
    else
        showHint(tr("Nobody is in %1 yet: Join creates it.").arg(checked.room), false);
}

void JoinRoomDialog::showHint(const QString &text, bool error)
{
    m_hint->setText(text);
    QPalette palette = m_hint->palette();
    const ChatTheme theme(this->palette());
    palette.setColor(QPalette::WindowText, error ? theme.errorText() : theme.quietText());
    m_hint->setPalette(palette);
    m_hint->setProperty("error", error);
}
