// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The enums QML compares roles and properties with: every value's name is the word the wire and the store use and
// reads back as the same value, roles carry the enum's own type (which QML reads as a number), and once
// registerEnumNames() ran, C++ that reads such a role as text gets that word.
#include "models/app/AccountStates.h"
#include "models/app/EnumNames.h"
#include "models/attachments/AttachmentStates.h"
#include "models/conversations/ConversationListModel.h"
#include "models/conversations/ConversationStates.h"
#include "models/invites/InviteStates.h"
#include "models/thread/MessageStates.h"

#include <QMetaEnum>
#include <QSet>
#include <QTest>

using namespace larch;

namespace {
/// Every value of a Q_ENUM_NS enum.
template<typename Enum>
QList<Enum> valuesOf()
{
    const QMetaEnum meta = QMetaEnum::fromType<Enum>();
    QList<Enum> values;
    for (int i = 0; i < meta.keyCount(); ++i)
        values << Enum(meta.value(i));
    return values;
}

/// Each value's name reads back as that value, and no two values share a name.
template<typename Enum>
void roundTrips(QString (*name)(Enum), Enum (*fromName)(QStringView))
{
    QSet<QString> names;
    for (Enum value : valuesOf<Enum>()) {
        const QString text = name(value);
        QVERIFY2(!names.contains(text), qPrintable(text));
        names.insert(text);
        QCOMPARE(fromName(text), value);
    }
}

/// The names QML saw before the enums, one per value in the enum's order.
template<typename Enum>
void namesAre(QString (*name)(Enum), const QStringList &expected)
{
    QStringList names;
    for (Enum value : valuesOf<Enum>())
        names << name(value);
    QCOMPARE(names, expected);
}
} // namespace

class TestEnums : public QObject {
    Q_OBJECT
private slots:
    void namesAreTheWordsOfTheWireAndTheStore()
    {
        namesAre(&DeliveryState::name, {"", "pending", "queued", "sent", "delivered", "read", "failed", "received"});
        namesAre(&MessageKind::name, {"message", "notice"});
        namesAre(&VerificationState::name, {"verified", "unverifiable", "keyPending"});
        namesAre(&AttachmentKind::name, {"", "image", "video", "pdf"});
        namesAre(&AttachmentState::name, {"", "uploading", "sent", "available", "downloading", "ready", "failed"});
        namesAre(&Channel::name, {"", "secure", "sms", "email"});
        namesAre(&InvitationState::name, {"", "pending", "paired", "revoked", "expired"});
        namesAre(&AccountRole::name, {"", "admin", "clinician", "patient"});
        namesAre(&DeviceState::name, {"", "active", "pending", "keychainUnavailable"});
        namesAre(&OnboardingStep::name, {"contact", "code", "name", "done"});
        namesAre(&CodeError::name, {"", "wrong", "locked", "expired"});
        namesAre(&ContactMatch::name, {"joined", "invited"});
    }

    void namesReadBack()
    {
        roundTrips(&DeliveryState::name, &DeliveryState::fromName);
        roundTrips(&AttachmentKind::name, &AttachmentKind::fromName);
        roundTrips(&Channel::name, &Channel::fromName);
        roundTrips(&InvitationState::name, &InvitationState::fromName);
        roundTrips(&AccountRole::name, &AccountRole::fromName);
        roundTrips(&ContactMatch::name, &ContactMatch::fromName);
        // A word from a newer server is no value Larch knows.
        QCOMPARE(DeliveryState::fromName(u"bounced"), DeliveryState::None);
        QCOMPARE(Channel::fromName(u"fax"), Channel::None);
        QCOMPARE(AccountRole::fromName(u"owner"), AccountRole::None);
    }

    void rolesCarryTheEnumAndReadAsTheirNames()
    {
        ConversationListModel list;
        ConversationSummary sms;
        sms.id = QStringLiteral("c-1");
        sms.kind = QStringLiteral("sms");
        sms.invitationState = QStringLiteral("pending");
        list.reset({sms});
        const QVariant channel = list.index(0).data(ConversationListModel::ChannelRole);
        QCOMPARE(channel.metaType(), QMetaType::fromType<Channel::Value>());
        QCOMPARE(channel.value<Channel::Value>(), Channel::Sms);
        QCOMPARE(list.index(0).data(ConversationListModel::InvitationStateRole).value<InvitationState::Value>(),
                 InvitationState::Pending);
        registerEnumNames();
        QCOMPARE(channel.toString(), QStringLiteral("sms"));
        QCOMPARE(QVariant::fromValue(DeliveryState::None).toString(), QString());
        QCOMPARE(QVariant::fromValue(DeviceState::KeychainUnavailable).toString(),
                 QStringLiteral("keychainUnavailable"));
        QCOMPARE(QVariant::fromValue(AttachmentState::Downloading).toString(), QStringLiteral("downloading"));
        QCOMPARE(QVariant::fromValue(CodeError::None).toString(), QString());
        QCOMPARE(QVariant::fromValue(ContactMatch::Invited).toString(), QStringLiteral("invited"));
    }
};

QTEST_GUILESS_MAIN(TestEnums)
#include "tst_models_enums.moc"
