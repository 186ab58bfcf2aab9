// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What QML reads of the signed-in account as enums: what the person may do, and where this device stands.
#pragma once

#include <QObject>
#include <QString>
#include <QStringView>
#include <QtQml/qqmlregistration.h>

namespace larch {

/// What a person is at the practice: App.session.userRole, and each member's role in App.security.safetyCodes().
namespace AccountRole {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    None, ///< signed out
    Admin, ///< a practice administrator: staff who also manages devices, links and the invitation text
    Clinician, ///< staff
    Patient, ///< a patient
};
Q_ENUM_NS(Value)
/// The role on the wire: "admin", "clinician" or "patient"; "" for None.
QString name(Value value);
/// The value of such a word; None for one it does not know.
Value fromName(QStringView name);
} // namespace AccountRole

/// This device as the account's other devices see it: App.security.deviceState (DeviceIdentity::State).
namespace DeviceState {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    None, ///< no device yet, or signed out
    Active, ///< a usable device
    Pending, ///< a staff device waiting for a colleague's approval
    KeychainUnavailable, ///< the system keychain cannot be used; App.session.signInError says what to do
};
Q_ENUM_NS(Value)
/// The state as the store keeps it: "active", "pending" or "keychainUnavailable"; "" for None.
QString name(Value value);
} // namespace DeviceState

} // namespace larch
