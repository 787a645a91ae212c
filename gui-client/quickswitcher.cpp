// SPDX-License-Identifier: MIT
#include "quickswitcher.h"

#include "conversationlistmodel.h"
#include "roomdelegate.h"

#include <QCoreApplication>
#include <QKeyEvent>
#include <QLineEdit>
#include <QListView>
#include <QSortFilterProxyModel>
#include <QVBoxLayout>

QuickSwitcher::QuickSwitcher(ConversationListModel *model, QWidget *parent)
    : QDialog(parent)
    , m_model(model)
    , m_filter(new QSortFilterProxyModel(this))
    , m_field(new QLineEdit(this))
    , m_list(new QListView(this))
{
    setWindowTitle(tr("Switch to — qtchat"));
    m_filter->setSourceModel(m_model);
    m_filter->setFilterRole(ConversationListModel::NameRole);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_field->setPlaceholderText(tr("Room or person"));
    m_field->setAccessibleName(tr("Switch to room or person"));
    m_field->installEventFilter(this);
    m_list->setModel(m_filter);
    m_list->setItemDelegate(new RoomDelegate(m_list));
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setFocusPolicy(Qt::NoFocus); // typing stays in the field
    m_list->setAccessibleName(tr("Matching rooms and conversations"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_field);
    layout->addWidget(m_list, 1);

    connect(m_field, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setFilterFixedString(text.trimmed());
        selectFirst();
    });
    connect(m_field, &QLineEdit::returnPressed, this, &QuickSwitcher::accept);
    connect(m_list, &QListView::clicked, this, &QuickSwitcher::accept);
    selectFirst();
    resize(fontMetrics().averageCharWidth() * 40, fontMetrics().height() * 16);
}

QuickSwitcher::~QuickSwitcher() = default;

void QuickSwitcher::accept()
{
    const QModelIndex chosen = m_filter->mapToSource(m_list->currentIndex());
    if (!chosen.isValid())
        return;
    m_model->setCurrent(chosen.row());
    QDialog::accept();
}

bool QuickSwitcher::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_field && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Up || key == Qt::Key_Down || key == Qt::Key_PageUp || key == Qt::Key_PageDown) {
            QCoreApplication::sendEvent(m_list, event);
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void QuickSwitcher::selectFirst()
{
    m_list->setCurrentIndex(m_filter->index(0, 0));
}
