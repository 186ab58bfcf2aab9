// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The lock that hides every screen after a while without input, or after a while in the background on a phone.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace larch {

class LocalStore;

/// Locks the signed-in app (App.lock). At desktop size: after the practice's idle time without a key, click, touch
/// or wheel (default 15 minutes, at most 60); the account's password unlocks. At phone size: when the app comes
/// back after LockAfterBackgroundMinutes in the background; a PIN set on the device unlocks (the password without
/// one). Qt 6.4 offers no biometrics API, so none is used. Messages keep arriving underneath; only the screen hides.
/// The password and PIN are kept as Argon2id hashes in the device store, never in clear.
class IdleLock : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The lock is App.lock.")
    /// The screen is hidden behind the lock.
    Q_PROPERTY(bool locked READ locked NOTIFY lockedChanged)
    /// Minutes without input before the desktop app locks (the practice's setting).
    Q_PROPERTY(int idleMinutes READ idleMinutes NOTIFY idleMinutesChanged)
    /// The window is phone-sized (Main.qml says): background time locks, and a PIN unlocks when set.
    Q_PROPERTY(bool phoneMode READ phoneMode WRITE setPhoneMode NOTIFY phoneModeChanged)
    /// A PIN is set on this device.
    Q_PROPERTY(bool hasPin READ hasPin NOTIFY hasPinChanged)
    /// What unlocks now: true for the PIN, false for the password.
    Q_PROPERTY(bool unlocksWithPin READ unlocksWithPin NOTIFY hasPinChanged)
    /// What went wrong at the last unlock or PIN change, and what to do; "" when nothing did.
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
public:
    static constexpr int DefaultIdleMinutes = 15;
    static constexpr int MaxIdleMinutes = 60;
    static constexpr int LockAfterBackgroundMinutes = 5;
    /// Wrong passwords or PINs in a row before the lock signs out (signOutRequested).
    static constexpr int MaxWrongTries = 10;

    explicit IdleLock(LocalStore *store, QObject *parent = nullptr);
    ~IdleLock() override;

    bool locked() const { return m_locked; }
    int idleMinutes() const { return m_idleMinutes; }
    bool phoneMode() const { return m_phoneMode; }
    void setPhoneMode(bool phone);
    bool hasPin() const;
    bool unlocksWithPin() const { return m_phoneMode && hasPin(); }
    QString error() const { return m_error; }

    /// Unlocks with the password (or the PIN when unlocksWithPin); false and error set when it is wrong.
    Q_INVOKABLE bool unlock(const QString &secret);
    /// Sets the PIN of this device (4 to 8 digits); false and error set when refused.
    Q_INVOKABLE bool setPin(const QString &pin);
    Q_INVOKABLE void clearPin();
    /// Locks now (the account menu's "Lock").
    Q_INVOKABLE void lockNow();

    /// The session started (armed) or ended (disarmed: unlocked, hashes forgotten when forget).
    void setArmed(bool armed);
    void forget();
    /// The password of a successful sign-in: its hash is what unlocks.
    void rememberPassword(const QString &password);
    /// The practice's idle time, clamped to 1–MaxIdleMinutes; kept on the device for the next start.
    void setIdleMinutes(int minutes);
    /// For tests: input older than this many milliseconds counts as idle (instead of idleMinutes).
    void setIdleLimitMsForTest(qint64 ms);

signals:
    void lockedChanged();
    void idleMinutesChanged();
    void phoneModeChanged();
    void hasPinChanged();
    void errorChanged();
    /// Too many wrong tries: the account signs out (its data leaves the device).
    void signOutRequested(const QString &sentence);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void check();
    void applicationStateChanged(Qt::ApplicationState state);
    void setLocked(bool locked);
    void setError(const QString &error);
    qint64 idleLimitMs() const;

    LocalStore *m_store;
    QTimer m_timer;
    QElapsedTimer m_sinceInput;
    QElapsedTimer m_inBackground;
    qint64 m_testLimitMs = 0;
    int m_idleMinutes = DefaultIdleMinutes;
    int m_wrongTries = 0;
    bool m_armed = false;
    bool m_locked = false;
    bool m_phoneMode = false;
    QString m_error;
};

} // namespace larch
