// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The conversation list as shown: newest activity first, filtered (All, Unread, Secure, Standard) and by search text.
#pragma once

#include <QSortFilterProxyModel>
#include <QtQml/qqmlregistration.h>

namespace larch {

/// Sort and filter over ConversationListModel; re-sorts and re-filters live as conversations change.
class ConversationFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The filtered conversation list is App.conversations.")
    /// 0 = All, 1 = Unread (conversations with unread messages only), 2 = Secure (end-to-end encrypted only),
    /// 3 = Standard (SMS and email only).
    Q_PROPERTY(int filter READ filter WRITE setFilter NOTIFY filterChanged)
    /// Case-insensitive text matched against title, preview, a standard conversation's contact and the tags;
    /// "" shows everything.
    Q_PROPERTY(QString searchText READ searchText WRITE setSearchText NOTIFY searchTextChanged)
    /// Rows currently shown.
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Filter { All = 0, Unread = 1, Secure = 2, Standard = 3 };
    Q_ENUM(Filter)

    explicit ConversationFilterModel(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *source) override;

    int filter() const { return m_filter; }
    void setFilter(int filter);
    QString searchText() const { return m_searchText; }
    void setSearchText(const QString &text);
    int count() const { return rowCount(); }

signals:
    void filterChanged();
    void searchTextChanged();
    void countChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void sourceDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);
    void updateCount();

    int m_filter = All;
    QString m_searchText;
    int m_lastCount = 0;
};

} // namespace larch
