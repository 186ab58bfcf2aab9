// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Setting up, renewing and turning off two-factor sign-in for the signed-in staff member.
#pragma once

#include <QObject>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

namespace larch {

class ApiClient;

/// The steps of two-factor sign-in (App.twoFactor): scan a QR code with an authenticator app, type its first code,
/// keep the ten recovery codes; later, new recovery codes or turning it off, each with a code.
class TwoFactorSetup : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Two-factor sign-in is App.twoFactor.")
    /// Where the person is: Overview (status), Scan (QR code and first code) or RecoveryCodes (shown once).
    Q_PROPERTY(Step step READ step NOTIFY changed)
    /// Two-factor sign-in is on for this account.
    Q_PROPERTY(bool enabled READ enabled NOTIFY changed)
    /// The practice requires it (then it cannot be turned off).
    Q_PROPERTY(bool required READ required NOTIFY changed)
    /// Unused recovery codes left.
    Q_PROPERTY(int recoveryCodesLeft READ recoveryCodesLeft NOTIFY changed)
    /// The key for typing into an authenticator app, in groups of four letters; "" outside Scan.
    Q_PROPERTY(QString secretText READ secretText NOTIFY changed)
    /// The otpauth:// address the QR code carries; "" outside Scan.
    Q_PROPERTY(QString uri READ uri NOTIFY changed)
    /// The ten recovery codes, as "xxxxx-xxxxx"; only during RecoveryCodes.
    Q_PROPERTY(QStringList recoveryCodes READ recoveryCodes NOTIFY changed)
    /// A request is in flight.
    Q_PROPERTY(bool busy READ busy NOTIFY changed)
    /// What went wrong and how to fix it; "" when nothing did.
    Q_PROPERTY(QString error READ error NOTIFY changed)
public:
    enum Step { Overview, Scan, RecoveryCodes };
    Q_ENUM(Step)

    explicit TwoFactorSetup(ApiClient *api, QObject *parent = nullptr);

    Step step() const { return m_step; }
    bool enabled() const { return m_enabled; }
    bool required() const { return m_required; }
    int recoveryCodesLeft() const { return m_recoveryCodesLeft; }
    QString secretText() const;
    QString uri() const { return m_uri; }
    QStringList recoveryCodes() const;
    bool busy() const { return m_busy; }
    QString error() const { return m_error; }

    /// Reads whether it is on, and how many recovery codes are left.
    Q_INVOKABLE void refresh();
    /// Starts enrolment: a new key and QR code (step Scan).
    Q_INVOKABLE void start();
    /// The first code from the authenticator app turns it on and shows the recovery codes.
    Q_INVOKABLE void confirm(const QString &code);
    /// A code or a recovery code turns it off.
    Q_INVOKABLE void disable(const QString &code);
    /// A code replaces the recovery codes with ten new ones (shown once).
    Q_INVOKABLE void renewRecoveryCodes(const QString &code);
    /// The recovery codes were kept: they leave memory, and finished() tells the app.
    Q_INVOKABLE void done();
    /// Back to Overview without finishing enrolment.
    Q_INVOKABLE void cancel();
    /// The recovery codes as text, one per line, to copy or print.
    Q_INVOKABLE QString recoveryCodesText() const;
    /// Forgets everything (sign-out).
    void reset();

signals:
    void changed();
    /// The person pressed Done after keeping their recovery codes.
    void finished();

private:
    void setBusy(bool busy);
    void fail(const QString &sentence);
    void showCodes(const QJsonObject &body);

    ApiClient *m_api;
    Step m_step = Overview;
    bool m_enabled = false;
    bool m_required = false;
    int m_recoveryCodesLeft = 0;
    QString m_secret;
    QString m_uri;
    QStringList m_codes;
    bool m_busy = false;
    QString m_error;
};

} // namespace larch
