// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The practice's security settings: two-factor sign-in for all staff, and the idle lock's time.
#pragma once

#include <functional>
#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace larch {

class ApiClient;

/// The practice's security policy (App.policy): staff read it (the lock follows its idle time); administrators
/// change it in the "Security settings" dialog.
class SecurityPolicy : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The practice's security settings are App.policy.")
    /// Every staff member must use two-factor sign-in.
    Q_PROPERTY(bool twoFactorRequired READ twoFactorRequired NOTIFY changed)
    /// Minutes without input before the desktop app locks (1–60).
    Q_PROPERTY(int idleLockMinutes READ idleLockMinutes NOTIFY changed)
    /// The settings were read from the server at least once.
    Q_PROPERTY(bool loaded READ loaded NOTIFY changed)
    /// A request is in flight.
    Q_PROPERTY(bool busy READ busy NOTIFY changed)
    /// What went wrong and how to fix it; "" when nothing did.
    Q_PROPERTY(QString error READ error NOTIFY changed)
public:
    /// practiceId() names the signed-in user's practice ("" when signed out).
    SecurityPolicy(ApiClient *api, std::function<QString()> practiceId, QObject *parent = nullptr);

    bool twoFactorRequired() const { return m_twoFactorRequired; }
    int idleLockMinutes() const { return m_idleLockMinutes; }
    bool loaded() const { return m_loaded; }
    bool busy() const { return m_busy; }
    QString error() const { return m_error; }

    /// Reads the settings (staff).
    Q_INVOKABLE void refresh();
    /// Saves both settings (administrators); saved() follows on success.
    Q_INVOKABLE void save(bool twoFactorRequired, int idleLockMinutes);
    /// Forgets the settings (sign-out).
    void reset();

signals:
    void changed();
    void saved();
    /// The idle time is known or changed (the lock follows it).
    void idleLockMinutesRead(int minutes);

private:
    void apply(const QJsonObject &settings);
    void fail(const QString &sentence);

    ApiClient *m_api;
    std::function<QString()> m_practiceId;
    bool m_twoFactorRequired = false;
    int m_idleLockMinutes = 15;
    bool m_loaded = false;
    bool m_busy = false;
    QString m_error;
};

} // namespace larch
