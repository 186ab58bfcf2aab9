// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The practice's security identity as an administrator's device sees it, and replacing one that is lost.
#pragma once

#include <functional>
#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace larch {

class SecureSync;

/// What the "Security settings" dialog shows about the practice's identity (App.practiceIdentityStatus): whether the
/// practice has one, whether this device holds it, and its security code. When every device that held it is lost
/// (nobody can hand it to a new device any more), an administrator replaces it: patients then see a warning in their
/// threads until they check the new code (docs/security.md, "Practice identity pinning").
class PracticeIdentityStatus : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The practice identity's status is App.practiceIdentityStatus.")
    /// Where the identity stands for this device.
    Q_PROPERTY(State state READ state NOTIFY changed)
    /// The security code (8 groups of 4) of the identity this device holds; "" otherwise.
    Q_PROPERTY(QString securityCode READ securityCode NOTIFY changed)
    /// A refresh or a replacement is under way.
    Q_PROPERTY(bool busy READ busy NOTIFY changed)
    /// What went wrong and how to fix it; "" when nothing did.
    Q_PROPERTY(QString error READ error NOTIFY changed)
    /// What the last replacement did; "" otherwise.
    Q_PROPERTY(QString notice READ notice NOTIFY changed)
public:
    enum class State {
        Unknown, ///< not read yet (or signed out)
        None, ///< the practice has no identity yet: an administrator's approved device makes it
        Held, ///< this device holds the current identity
        NotHeld, ///< the practice has one, this device does not hold it
    };
    Q_ENUM(State)

    /// isAdmin() tells whether the signed-in person may replace the identity.
    PracticeIdentityStatus(SecureSync *secure, std::function<bool()> isAdmin, QObject *parent = nullptr);

    State state() const { return m_state; }
    QString securityCode() const { return m_securityCode; }
    bool busy() const { return m_busy; }
    QString error() const { return m_error; }
    QString notice() const { return m_notice; }

    /// Reads the practice's keys again and updates the state.
    Q_INVOKABLE void refresh();
    /// Makes a new identity without the current one's signature (administrators, only when this device does not hold
    /// the current one: otherwise a signed rotation serves and patients see nothing).
    Q_INVOKABLE void replace();
    /// Forgets everything (sign-out).
    void reset();

signals:
    void changed();

private:
    /// The state from what the key ring last fetched.
    void update();

    SecureSync *m_secure;
    std::function<bool()> m_isAdmin;
    State m_state = State::Unknown;
    QString m_securityCode;
    bool m_busy = false;
    QString m_error;
    QString m_notice;
    quint64 m_generation = 0; ///< bumped by reset(): answers to an earlier session's requests are dropped
};

} // namespace larch
