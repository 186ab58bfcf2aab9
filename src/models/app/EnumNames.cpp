// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/app/EnumNames.h"

#include "models/app/AccountStates.h"
#include "models/attachments/AttachmentStates.h"
#include "models/conversations/ConversationStates.h"
#include "models/invites/InviteStates.h"
#include "models/thread/MessageStates.h"

#include <QMetaType>

namespace larch {

void registerEnumNames()
{
    static const bool registered = [] {
        QMetaType::registerConverter<AccountRole::Value, QString>(&AccountRole::name);
        QMetaType::registerConverter<DeviceState::Value, QString>(&DeviceState::name);
        QMetaType::registerConverter<AttachmentKind::Value, QString>(&AttachmentKind::name);
        QMetaType::registerConverter<AttachmentState::Value, QString>(&AttachmentState::name);
        QMetaType::registerConverter<Channel::Value, QString>(&Channel::name);
        QMetaType::registerConverter<InvitationState::Value, QString>(&InvitationState::name);
        QMetaType::registerConverter<OnboardingStep::Value, QString>(&OnboardingStep::name);
        QMetaType::registerConverter<CodeError::Value, QString>(&CodeError::name);
        QMetaType::registerConverter<ContactMatch::Value, QString>(&ContactMatch::name);
        QMetaType::registerConverter<DeliveryState::Value, QString>(&DeliveryState::name);
        QMetaType::registerConverter<MessageKind::Value, QString>(&MessageKind::name);
        QMetaType::registerConverter<VerificationState::Value, QString>(&VerificationState::name);
        return true;
    }();
    Q_UNUSED(registered)
}

} // namespace larch
