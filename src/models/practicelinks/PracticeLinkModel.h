// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The practice's Practice Links as a list model, one row a link, updated role by role as changes arrive.
#pragma once

#include "core/protocol/ProtocolStandard.h"

#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QtQml/qqmlregistration.h>

namespace larch {

/// Every Practice Link of the signed-in staff member's practice, oldest first (as the server lists them).
class PracticeLinkModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The Practice Links belong to App.practiceLinks.model.")
public:
    enum Role {
        LinkIdRole = Qt::UserRole + 1, ///< linkId: the link's protocol id
        LabelRole, ///< label: what staff call it, e.g. "Front desk flyer"
        TagRole, ///< tag: put on every conversation the link starts; "" for none
        EnabledRole, ///< enabled: patients can sign up through it (false: turned off)
        /// url: the full link patients open, <server>/p/<code>, with ?fp=<the practice identity's fingerprint> once
        /// this device holds the identity, so the QR code in the waiting room verifies the practice to who scans it
        UrlRole,
        ConversationCountRole, ///< conversationCount: conversations patients started through it
        /// fingerprint: the practice identity's fingerprint as people read it ("K7QM 2XD9 …"), for a patient who
        /// asks; "" until this device holds the identity
        FingerprintRole,
    };
    Q_ENUM(Role)

    explicit PracticeLinkModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Replaces every row (a fresh list from the server, or sign-out).
    void reset(const QList<PracticeLink> &links);
    /// Appends a new link or updates only the changed roles of a known one.
    void upsert(const PracticeLink &link);
    /// The row of a link, or -1.
    int rowOf(const QString &linkId) const { return m_rowById.value(linkId, -1); }
    /// The link with this id, or nullptr.
    const PracticeLink *link(const QString &linkId) const;
    /// The practice identity's public key (32 bytes; empty: none held) whose fingerprint every link carries.
    void setIdentityKey(const QByteArray &signPublic);
    /// A link's URL with the identity's fingerprint, as patients get it.
    QString shareUrl(const PracticeLink &link) const;

private:
    QList<PracticeLink> m_rows;
    QString m_fingerprintParam; ///< the fingerprint as a link carries it; "" for none
    QString m_fingerprintText; ///< the same in groups of 4
    QHash<QString, int> m_rowById;
};

} // namespace larch
