// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/security/IdleLock.h"

#include "client/store/LocalStore.h"
#include "core/crypto/Crypto.h"

#include <QEvent>
#include <QGuiApplication>
#include <QRegularExpression>

namespace larch {
namespace {
const QString PasswordHashKey = QStringLiteral("lockPasswordHash");
const QString PinHashKey = QStringLiteral("lockPinHash");
const QString IdleMinutesKey = QStringLiteral("lockIdleMinutes");

bool isInput(QEvent::Type type)
{
    switch (type) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
    case QEvent::TouchUpdate:
    case QEvent::TabletPress: return true;
    default: return false;
    }
}
} // namespace

IdleLock::IdleLock(LocalStore *store, QObject *parent) : QObject(parent), m_store(store)
{
    m_sinceInput.start();
    const QString kept = m_store->isOpen() ? m_store->setting(IdleMinutesKey) : QString();
    m_idleMinutes = kept.isEmpty() ? DefaultIdleMinutes : qBound(1, kept.toInt(), MaxIdleMinutes);
    // One wake-up per idle period, not a tick a second: at the deadline it looks whether input came since.
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &IdleLock::check);
    if (qApp) {
        qApp->installEventFilter(this);
        if (auto *gui = qobject_cast<QGuiApplication *>(qApp))
            connect(gui, &QGuiApplication::applicationStateChanged, this, &IdleLock::applicationStateChanged);
    }
}

IdleLock::~IdleLock()
{
    if (qApp)
        qApp->removeEventFilter(this);
}

bool IdleLock::eventFilter(QObject *watched, QEvent *event)
{
    // Input restarts the idle time; while locked, only the lock screen gets it (Main.qml), so it still counts.
    if (isInput(event->type()))
        m_sinceInput.restart();
    return QObject::eventFilter(watched, event);
}

qint64 IdleLock::idleLimitMs() const { return m_testLimitMs > 0 ? m_testLimitMs : qint64(m_idleMinutes) * 60 * 1000; }

void IdleLock::check()
{
    if (!m_armed || m_locked)
        return;
    const qint64 left = idleLimitMs() - m_sinceInput.elapsed();
    if (left <= 0 && !m_phoneMode) {
        setLocked(true);
        return;
    }
    m_timer.start(int(qBound<qint64>(100, left, idleLimitMs())));
}

void IdleLock::applicationStateChanged(Qt::ApplicationState state)
{
    if (!m_armed)
        return;
    if (state != Qt::ApplicationActive) {
        if (!m_inBackground.isValid())
            m_inBackground.start();
        return;
    }
    const qint64 away = m_inBackground.isValid() ? m_inBackground.elapsed() : 0;
    m_inBackground.invalidate();
    const qint64 limit = m_testLimitMs > 0 ? m_testLimitMs : qint64(LockAfterBackgroundMinutes) * 60 * 1000;
    if (m_phoneMode && away >= limit)
        setLocked(true);
    else
        check();
}

void IdleLock::setPhoneMode(bool phone)
{
    if (m_phoneMode == phone)
        return;
    m_phoneMode = phone;
    emit phoneModeChanged();
    emit hasPinChanged();
}

bool IdleLock::hasPin() const { return m_store->isOpen() && !m_store->setting(PinHashKey).isEmpty(); }

void IdleLock::setArmed(bool armed)
{
    m_armed = armed;
    m_sinceInput.restart();
    m_inBackground.invalidate();
    m_wrongTries = 0;
    if (armed)
        check();
    else {
        m_timer.stop();
        setLocked(false);
    }
}

void IdleLock::forget()
{
    setArmed(false);
    if (m_store->isOpen()) {
        m_store->setSetting(PasswordHashKey, QString());
        m_store->setSetting(PinHashKey, QString());
    }
    emit hasPinChanged();
}

void IdleLock::rememberPassword(const QString &password)
{
    if (!m_store->isOpen() || password.isEmpty())
        return;
    m_store->setSetting(PasswordHashKey, QString::fromLatin1(PasswordHash::hash(password)));
}

void IdleLock::setIdleMinutes(int minutes)
{
    const int bounded = qBound(1, minutes, MaxIdleMinutes);
    if (m_store->isOpen())
        m_store->setSetting(IdleMinutesKey, QString::number(bounded));
    if (bounded == m_idleMinutes)
        return;
    m_idleMinutes = bounded;
    emit idleMinutesChanged();
    check();
}

void IdleLock::setIdleLimitMsForTest(qint64 ms)
{
    m_testLimitMs = ms;
    check();
}

void IdleLock::lockNow()
{
    if (m_armed)
        setLocked(true);
}

bool IdleLock::unlock(const QString &secret)
{
    if (!m_locked)
        return true;
    const bool withPin = unlocksWithPin();
    if (secret.isEmpty()) {
        setError(withPin ? QStringLiteral("Enter your PIN.") : QStringLiteral("Enter your password."));
        return false;
    }
    const QByteArray hash = m_store->setting(withPin ? PinHashKey : PasswordHashKey).toLatin1();
    if (!withPin && hash.isEmpty()) {
        // Signed in without a password on this device (a patient's code): nothing to check against, so sign in again.
        emit signOutRequested(QStringLiteral("This device has no password to unlock with; sign in again."));
        return false;
    }
    if (!PasswordHash::verify(hash, secret)) {
        if (++m_wrongTries >= MaxWrongTries) {
            emit signOutRequested(QStringLiteral("Too many wrong tries at the lock, so you were signed out. Sign in "
                                                 "again with your password."));
            return false;
        }
        setError(withPin ? QStringLiteral("That PIN is not right. %1 tries left before you are signed out.")
                               .arg(MaxWrongTries - m_wrongTries)
                         : QStringLiteral("That password is not right. %1 tries left before you are signed out.")
                               .arg(MaxWrongTries - m_wrongTries));
        return false;
    }
    m_wrongTries = 0;
    m_sinceInput.restart();
    setError(QString());
    setLocked(false);
    check();
    return true;
}

bool IdleLock::setPin(const QString &pin)
{
    static const QRegularExpression digits(QStringLiteral("^[0-9]{4,8}$"));
    if (!digits.match(pin).hasMatch()) {
        setError(QStringLiteral("A PIN is 4 to 8 digits."));
        return false;
    }
    if (!m_store->isOpen()) {
        setError(m_store->errorString());
        return false;
    }
    m_store->setSetting(PinHashKey, QString::fromLatin1(PasswordHash::hash(pin)));
    setError(QString());
    emit hasPinChanged();
    return true;
}

void IdleLock::clearPin()
{
    if (m_store->isOpen())
        m_store->setSetting(PinHashKey, QString());
    emit hasPinChanged();
}

void IdleLock::setLocked(bool locked)
{
    if (m_locked == locked)
        return;
    m_locked = locked;
    if (!locked)
        setError(QString());
    emit lockedChanged();
}

void IdleLock::setError(const QString &error)
{
    if (m_error == error)
        return;
    m_error = error;
    emit errorChanged();
}

} // namespace larch
