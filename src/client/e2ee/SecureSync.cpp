// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/e2ee/SecureSync.h"

#include "client/e2ee/KeyHandover.h"
#include "client/e2ee/KeyRing.h"
#include "client/e2ee/MessageOpener.h"
#include "client/e2ee/PracticeIdentityPins.h"
#include "client/e2ee/PracticeKeyKeeper.h"
#include "client/net/ApiClient.h"

#include <QDateTime>

namespace larch {

namespace {
namespace E2eeEvent {
constexpr auto DeviceAdded = "device.added";
constexpr auto DeviceApproved = "device.approved";
constexpr auto DeviceRevoked = "device.revoked";
constexpr auto KeyRequested = "key.requested";
constexpr auto ConversationEpoch = "conversation.epoch";
constexpr auto ConversationKeys = "conversation.keys";
constexpr auto RotationNeeded = "practice.key.rotation_needed";
constexpr auto PracticeKeyRotated = "practice.key.rotated";
} // namespace E2eeEvent
} // namespace

SecureSync::SecureSync(LocalStore *store, ApiClient *api, QObject *parent)
    : QObject(parent), m_store(store), m_api(api), m_devices(new DeviceDirectory(store, api, this)),
      m_keys(new KeyRing(store, api, this)), m_opener(new MessageOpener(store, m_keys, m_devices, this)),
      m_keeper(new PracticeKeyKeeper(store, api, m_keys, m_devices, this)),
      m_pins(new PracticeIdentityPins(store, this)), m_handover(new KeyHandover(store, api, m_keys, m_devices, this)),
      m_planner(new EpochPlanner(api, m_keys, m_devices, m_keeper, this))
{
    connect(m_opener, &MessageOpener::messageOpened, this, &SecureSync::messageOpened);
    connect(m_opener, &MessageOpener::previewChanged, this, &SecureSync::previewChanged);
    connect(m_devices, &DeviceDirectory::devicesChanged, this, &SecureSync::pendingDevicesChanged);
    m_keys->setPins(m_pins);
    connect(m_pins, &PracticeIdentityPins::noticeAdded, this, &SecureSync::noticeAdded);
    connect(m_pins, &PracticeIdentityPins::changed, this, &SecureSync::identityChanged);
    connect(m_keys, &KeyRing::keysAdded, this, [this](const QString &conversationId) {
        // New keys may open messages that were waiting for them.
        if (m_running)
            m_opener->reopen(conversationId, true);
    });
}

SecureSync::~SecureSync() = default;

void SecureSync::start(const Session &session, const DeviceKeys &device, bool deviceActive)
{
    stop();
    m_running = true;
    m_userId = session.user.id;
    m_deviceId = device.deviceId;
    m_staff = session.user.isStaff();
    m_admin = session.user.isAdmin();
    m_deviceActive = deviceActive;
    m_keeper->setAdmin(m_admin);
    m_keys->start(device, session.user.id, session.user.practiceId, m_staff);
}

void SecureSync::stop()
{
    ++m_generation;
    m_running = false;
    m_keeper->stop();
    m_handover->stop();
    m_planner->stop();
    m_opener->stop();
    m_keys->stop();
    m_devices->clear();
    m_pins->clear();
}

void SecureSync::setDeviceActive(bool active)
{
    if (m_running && active && !m_deviceActive)
        becomeActive();
}

bool SecureSync::isActiveStaff() const { return m_running && m_staff && m_deviceActive; }

void SecureSync::connected()
{
    if (!m_running)
        return;
    const quint64 generation = m_generation;
    // Staff see every device of the practice in any conversation's list: that is where pending ones show.
    if (m_staff) {
        const QList<ConversationSummary> conversations = m_store->conversations().summaries();
        if (!conversations.isEmpty())
            m_devices->fetch(conversations.first().id, [](bool) {});
    }
    if (isActiveStaff()) {
        m_keeper->ensureCurrent([this, generation](bool ok, const QString &sentence) {
            if (generation != m_generation)
                return;
            if (!ok)
                qWarning("larch keys: the practice key could not be checked: %s", qPrintable(sentence));
            else
                emit readyToSend();
            m_handover->answerAll();
        });
    }
    if (!m_staff) {
        // Each practice's identity is looked at once a connection (one conversation of it tells for all).
        QSet<QString> practices;
        for (const ConversationSummary &c : m_store->conversations().summaries()) {
            const QString practice = m_store->conversations().practice(c.id);
            if (!c.isStandard() && !practices.contains(practice)) {
                practices.insert(practice);
                checkIdentity(c.id);
            }
        }
    }
    m_opener->reopen(QString(), true);
}

void SecureSync::checkIdentity(const QString &conversationId)
{
    if (!m_running || m_staff || conversationId.isEmpty())
        return;
    m_keys->invalidateConversation(conversationId);
    m_keys->refreshConversation(conversationId, [](bool) {});
}

bool SecureSync::acceptIdentity(const QString &practiceId, bool verified)
{
    if (!m_running || m_staff || !m_pins->accept(practiceId, verified))
        return false;
    for (const ConversationSummary &c : m_store->conversations().summaries()) {
        if (m_store->conversations().practice(c.id) == practiceId)
            m_keys->invalidateConversation(c.id);
    }
    emit readyToSend();
    return true;
}

QSet<QString> SecureSync::heldConversations() const
{
    QSet<QString> held;
    if (!m_running || m_staff)
        return held;
    QHash<QString, bool> changed;
    for (const ConversationSummary &c : m_store->conversations().summaries()) {
        const QString practice = m_store->conversations().practice(c.id);
        if (!changed.contains(practice))
            changed.insert(practice, m_pins->isChanged(practice));
        if (changed.value(practice))
            held.insert(c.id);
    }
    return held;
}

void SecureSync::replacePracticeIdentity(Done done)
{
    if (!isActiveStaff()) {
        done(false, QStringLiteral("Only an approved administrator's device can replace the practice's identity."));
        return;
    }
    m_keeper->replaceIdentity(std::move(done));
}

bool SecureSync::applyEvent(const Event &event)
{
    const QString &type = event.type;
    const QJsonObject &data = event.data;
    const QString conversationId = data.value(QLatin1String("conversationId")).toString();
    if (type == QLatin1String(E2eeEvent::DeviceAdded) || type == QLatin1String(E2eeEvent::DeviceApproved)
        || type == QLatin1String(E2eeEvent::DeviceRevoked)) {
        if (const auto device = DeviceInfo::fromJson(data))
            deviceEvent(type, *device);
        return true;
    }
    if (!m_running)
        return type.startsWith(QLatin1String("key.")) || type.startsWith(QLatin1String("conversation."))
            || type.startsWith(QLatin1String("practice."));
    if (type == QLatin1String(E2eeEvent::KeyRequested)) {
        if (isActiveStaff())
            m_handover->answerAll();
        return true;
    }
    if (type == QLatin1String(E2eeEvent::ConversationEpoch) || type == QLatin1String(E2eeEvent::ConversationKeys)) {
        m_keys->invalidateConversation(conversationId);
        m_opener->reopen(conversationId, true);
        return true;
    }
    if (type == QLatin1String(E2eeEvent::RotationNeeded)) {
        if (isActiveStaff()) {
            const quint64 generation = m_generation;
            m_keeper->ensureCurrent([this, generation](bool ok, const QString &sentence) {
                if (generation == m_generation && !ok)
                    qWarning("larch keys: the practice key could not be rotated: %s", qPrintable(sentence));
            });
        }
        return true;
    }
    if (type == QLatin1String(E2eeEvent::PracticeKeyRotated)) {
        m_keys->invalidateAll();
        if (m_staff)
            m_keys->refreshPracticeKeys([](bool) {});
        return true;
    }
    return false;
}

void SecureSync::deviceEvent(const QString &type, const DeviceInfo &device)
{
    if (!m_running)
        return;
    m_devices->apply(device);
    if (m_staff && !m_devices->anyDevice(device.id)) {
        // A device none of the lists holds yet (a new colleague, or a list dropped by apply): staff see every
        // device of the practice in any conversation's list, so one list is enough to show pending ones.
        const QList<ConversationSummary> conversations = m_store->conversations().summaries();
        if (!conversations.isEmpty())
            m_devices->fetch(conversations.first().id, [](bool) {});
    }
    // Sealing to the patient's devices must see the change before the next message.
    for (const QString &conversationId : m_store->conversations().conversationsWithMember(device.userId))
        m_keys->invalidateConversation(conversationId);
    if (device.id == m_deviceId) {
        if (type == QLatin1String(E2eeEvent::DeviceApproved) && !m_deviceActive)
            becomeActive();
        return;
    }
    if (type == QLatin1String(E2eeEvent::DeviceAdded))
        addNotices(device, true);
    else if (type == QLatin1String(E2eeEvent::DeviceRevoked))
        addNotices(device, false);
    emit pendingDevicesChanged();
}

void SecureSync::addNotices(const DeviceInfo &device, bool added)
{
    if (m_noticesQuiet)
        return;
    const QStringList conversations = m_store->conversations().conversationsWithMember(device.userId);
    if (conversations.isEmpty())
        return;
    if (!added || m_devices->isLoaded(conversations.first())) {
        writeNotices(device, added, added && isFirstDevice(device, conversations));
        return;
    }
    // Whether this is the person's first device needs their device list: fetch it, then write.
    const quint64 generation = m_generation;
    m_devices->fetch(conversations.first(), [this, device, conversations, generation](bool ok) {
        if (generation == m_generation)
            writeNotices(device, true, ok && isFirstDevice(device, conversations));
    });
}

void SecureSync::writeNotices(const DeviceInfo &device, bool added, bool first)
{
    if (m_noticesQuiet)
        return;
    const QString name = m_store->conversations().memberName(device.userId);
    const QString who = name.isEmpty() ? QStringLiteral("A member") : name;
    // A person's first device is their arrival, not a change of devices: safety codes only matter
    // once someone who could already read gains another device.
    const QString text = first ? QStringLiteral("%1 joined Larch.").arg(who)
        : added                ? QStringLiteral("%1 added a new device.").arg(who)
                               : QStringLiteral("%1's device was removed.").arg(who);
    const QString key = (added ? QStringLiteral("added/") : QStringLiteral("removed/")) + device.id;
    const qint64 at = added ? device.createdAt : device.revokedAt.value_or(QDateTime::currentMSecsSinceEpoch());
    for (const QString &conversationId : m_store->conversations().conversationsWithMember(device.userId)) {
        if (auto notice = m_store->messages().addNotice(conversationId, key, text, at))
            emit noticeAdded(*notice);
    }
}

bool SecureSync::isFirstDevice(const DeviceInfo &device, const QStringList &conversations) const
{
    bool known = false;
    for (const QString &conversationId : conversations) {
        if (!m_devices->isLoaded(conversationId))
            continue;
        known = true;
        for (const DeviceInfo &other : m_devices->devices(conversationId)) {
            if (other.userId == device.userId && other.id != device.id && other.createdAt <= device.createdAt)
                return false;
        }
    }
    // With no device list loaded nothing is known, and "added a new device" is the safe sentence.
    return known;
}

void SecureSync::becomeActive()
{
    m_deviceActive = true;
    emit deviceApproved();
    const quint64 generation = m_generation;
    // ensureCurrent fetches the keys this device now holds; an administrator's device also gives a practice without
    // an identity its first one.
    m_keeper->ensureCurrent([this, generation](bool ok, const QString &sentence) {
        if (generation != m_generation)
            return;
        if (!ok)
            qWarning("larch keys: the practice key could not be checked: %s", qPrintable(sentence));
        m_keys->invalidateAll();
        m_opener->reopen(QString(), true);
        m_handover->answerAll();
        emit readyToSend();
    });
}

void SecureSync::seal(const OutboxEntry &entry, Sealed done)
{
    // An entry that carries a file is sealed as content: the caption with the file's key and hash.
    if (entry.attachmentRef) {
        sealContent(entry.conversationId, entry.clientId, MessageContent{entry.body, {*entry.attachmentRef}},
                    std::move(done));
        return;
    }
    sealWith(entry.conversationId, entry.clientId, std::nullopt, entry.body, std::move(done));
}

void SecureSync::sealContent(const QString &conversationId, const QString &clientId, const MessageContent &content,
                             Sealed done)
{
    sealWith(conversationId, clientId, content, content.text, std::move(done));
}

void SecureSync::sealWith(const QString &conversationId, const QString &clientId,
                          const std::optional<MessageContent> &content, const QString &text, Sealed done)
{
    if (!m_running) {
        done(std::nullopt, {ErrorText::sessionEnded(), true});
        return;
    }
    const quint64 generation = m_generation;
    m_planner->prepare(
        conversationId,
        [this, generation, conversationId, clientId, content, text,
         done](const std::optional<EpochPlanner::Ready> &ready, const EpochPlanner::Failure &failure) {
            if (generation != m_generation)
                return;
            if (!ready) {
                done(std::nullopt, failure);
                return;
            }
            const DeviceKeys &device = m_keys->device();
            const MessageEnvelope envelope = content
                ? larch::sealContent(ready->key.bytes(), conversationId, ready->epoch, clientId, device.deviceId,
                                     device.signSecret.bytes(), *content)
                : sealMessage(ready->key.bytes(), conversationId, ready->epoch, clientId, device.deviceId,
                              device.signSecret.bytes(), text);
            if (envelope.isEmpty()) {
                done(std::nullopt,
                     {QStringLiteral("This message could not be encrypted. Shorten it and send it again."), false});
                return;
            }
            done(envelope.toJson(), {});
        });
}

StoredMessage SecureSync::open(const Message &message) { return m_opener->open(message); }

QList<DeviceInfo> SecureSync::pendingStaffDevices() const
{
    if (!isActiveStaff())
        return {};
    QList<DeviceInfo> list = m_devices->staffDevices(QStringLiteral("pending"));
    list.removeIf([this](const DeviceInfo &d) { return d.id == m_deviceId; });
    return list;
}

void SecureSync::approveDevice(const QString &deviceId, Done done)
{
    if (!isActiveStaff()) {
        done(false, QStringLiteral("Only an approved staff device can approve another device."));
        return;
    }
    m_keeper->approve(deviceId, done);
}

void SecureSync::declineDevice(const QString &deviceId, Done done)
{
    if (!m_admin) {
        done(false,
             QStringLiteral("Only an administrator of your practice can decline a device. Ask an "
                            "administrator to do it."));
        return;
    }
    const auto device = m_devices->anyDevice(deviceId);
    const quint64 generation = m_generation;
    m_api->revokeDevice(deviceId, this, [this, generation, device, done](const ApiResult &result) {
        if (generation != m_generation)
            return;
        if (!result.ok()) {
            done(false, result.error.sentence);
            return;
        }
        if (device) {
            DeviceInfo revoked = *device;
            revoked.state = QStringLiteral("revoked");
            revoked.revokedAt = QDateTime::currentMSecsSinceEpoch();
            m_devices->apply(revoked);
        }
        emit pendingDevicesChanged();
        done(true, {});
    });
}

void SecureSync::loadDevices(const QString &conversationId)
{
    if (m_running && !m_devices->isLoaded(conversationId))
        m_devices->fetch(conversationId, [](bool) {});
}

QList<DeviceInfo> SecureSync::conversationDevices(const QString &conversationId) const
{
    return m_devices->devices(conversationId);
}

} // namespace larch
