// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The practice's staff for its administrators: who works there, their role, two-factor sign-in and setup state.
#pragma once

#include <functional>
#include <QAbstractListModel>
#include <QList>
#include <QtQml/qqmlregistration.h>

namespace larch {

class ApiClient;
struct ApiResult;

/// The "Staff" page's model and actions (App.staff): the practice's active staff, oldest first, and what an
/// administrator does with them: add a colleague (who chooses a password through an emailed link), make someone an
/// administrator or a clinician, send the link again, reset a lost second factor, deactivate. The server refuses
/// what the administrator may not do (their own role, their own account); its sentence shows in error.
class StaffDirectory : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The practice's staff are App.staff.")
    /// A request is in flight.
    Q_PROPERTY(bool busy READ busy NOTIFY stateChanged)
    /// The list was read from the server at least once since the page opened.
    Q_PROPERTY(bool loaded READ loaded NOTIFY stateChanged)
    /// What went wrong and how to fix it; "" when nothing did.
    Q_PROPERTY(QString error READ error NOTIFY stateChanged)
    /// What the last action did, in a sentence; "" when there is nothing to say.
    Q_PROPERTY(QString notice READ notice NOTIFY stateChanged)
public:
    enum Role {
        UserIdRole = Qt::UserRole + 1, ///< the member's user id
        NameRole, ///< their name
        EmailRole, ///< their sign-in email
        AdminRole, ///< true for an administrator, false for a clinician
        TwoFactorRole, ///< two-factor sign-in is on
        PasswordSetRole, ///< false while their setup link waits to be used
        IsYouRole, ///< the signed-in administrator's own row
    };
    Q_ENUM(Role)

    /// practiceId() and userId() name the signed-in administrator ("" when signed out).
    StaffDirectory(ApiClient *api, std::function<QString()> practiceId, std::function<QString()> userId,
                   QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    bool busy() const { return m_busy; }
    bool loaded() const { return m_loaded; }
    QString error() const { return m_error; }
    QString notice() const { return m_notice; }

    /// Reads the list.
    Q_INVOKABLE void load();
    /// Adds a colleague; added() follows, and the notice says where the link went.
    Q_INVOKABLE void add(const QString &name, const QString &email, bool admin);
    Q_INVOKABLE void setAdmin(const QString &userId, bool admin);
    Q_INVOKABLE void resendLink(const QString &userId);
    Q_INVOKABLE void resetTwoFactor(const QString &userId);
    Q_INVOKABLE void deactivate(const QString &userId);
    Q_INVOKABLE void dismissNotice();
    /// Forgets the list (sign-out).
    void reset();

signals:
    void stateChanged();
    /// A colleague was added (the dialog closes).
    void added();

private:
    struct Member {
        QString id;
        QString name;
        QString email;
        bool admin = false;
        bool twoFactor = false;
        bool passwordSet = false;
    };
    static Member memberOf(const QJsonObject &o);
    /// Starts call with the practice's id when signed in as its administrator; answered gets a successful answer of
    /// this session (a failure shows its sentence, an answer after sign-out is dropped).
    using Call = std::function<void(const QString &practiceId, std::function<void(const ApiResult &)> done)>;
    void request(const Call &call, const std::function<void(const ApiResult &)> &answered);
    /// The member's row, or -1.
    qsizetype rowOf(const QString &userId) const;
    /// The member's name, or "" for an id not listed.
    QString nameOf(const QString &userId) const;
    static QString roleName(bool admin);
    /// Puts the server's copy of one member into the list (added when new).
    void put(const Member &member);
    void begin();
    void finish(const QString &error, const QString &notice);

    ApiClient *m_api;
    std::function<QString()> m_practiceId;
    std::function<QString()> m_userId;
    QList<Member> m_members;
    bool m_busy = false;
    bool m_loaded = false;
    QString m_error;
    QString m_notice;
    quint64 m_generation = 0; ///< bumped by reset(): answers to an earlier session's requests are dropped
};

} // namespace larch
