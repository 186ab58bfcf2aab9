// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The practice's audit records as a list model, newest first, in the words of the audit log screen.
#pragma once

#include <functional>
#include <QAbstractListModel>
#include <QDateTime>
#include <QList>
#include <QtQml/qqmlregistration.h>

namespace larch {

/// One audit record as the screen shows it (the server's record with its ids turned into names).
struct AuditEntry {
    qint64 seq = 0;
    QDateTime at;
    QString action;
    QString actionText;
    QString who;
    bool byPatient = false;
    QString device;
    QString object;
    QString address;
    bool warning = false;
};

/// The records matching the audit log screen's filters, newest first; more are fetched (fetchMore) as the list
/// scrolls towards its end, page by page with the server's "before".
class AuditRecordModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The audit records belong to App.auditLog.model.")
public:
    enum Role {
        SeqRole = Qt::UserRole + 1, ///< seq: the record's number in the server's log
        AtRole, ///< at: when it happened (local date and time)
        WhenRole, ///< when: date and time to the second, in the device's locale's short form
        ShortWhenRole, ///< shortWhen: "7 Dec, 14:05" this year, "7 Dec 2025, 14:05" before (phones)
        ActionRole, ///< action: the protocol's action, e.g. "sign_in" (for tests and icons, never shown)
        ActionTextRole, ///< actionText: what happened in plain words, e.g. "Signed in", "Invitation resent"
        WhoRole, ///< who: the staff member's or patient's name, or "Unknown account", "Larch server", …
        ByPatientRole, ///< byPatient: true when a patient acted (the row says so)
        DeviceRole, ///< device: the name of the device the person used; "" when none is known
        ObjectRole, ///< object: what the action touched, e.g. "Conversation with Sam Rivera"; "" for nothing
        AddressRole, ///< address: the network address the request came from; "" for the server itself
        WarningRole, ///< warning: an action an auditor looks at first (failed sign-ins, exports, …)
    };
    Q_ENUM(Role)

    explicit AuditRecordModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    /// Replaces every row (new filters, or sign-out).
    void reset(const QList<AuditEntry> &entries = {});
    /// Appends an older page below the rows there are.
    void append(const QList<AuditEntry> &entries);
    /// Whether the server has older records, and what asks for them (the screen's controller).
    void setMore(bool hasMore, std::function<void()> fetch = {});
    bool hasMore() const { return m_hasMore; }
    /// The oldest record's seq, the server's "before" for the next page; 0 when there are no rows.
    qint64 oldestSeq() const { return m_rows.isEmpty() ? 0 : m_rows.constLast().seq; }

private:
    QList<AuditEntry> m_rows;
    bool m_hasMore = false;
    std::function<void()> m_fetch;
};

} // namespace larch
