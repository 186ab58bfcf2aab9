// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/attachments/AttachmentStates.h"

namespace larch {

QString AttachmentKind::name(Value value)
{
    switch (value) {
    case None: return {};
    case Image: return QStringLiteral("image");
    case Video: return QStringLiteral("video");
    case Pdf: return QStringLiteral("pdf");
    }
    return {};
}

AttachmentKind::Value AttachmentKind::fromName(QStringView name)
{
    for (Value value : {Image, Video, Pdf}) {
        if (name == AttachmentKind::name(value))
            return value;
    }
    return None;
}

QString AttachmentState::name(Value value)
{
    switch (value) {
    case None: return {};
    case Uploading: return QStringLiteral("uploading");
    case Sent: return QStringLiteral("sent");
    case Available: return QStringLiteral("available");
    case Downloading: return QStringLiteral("downloading");
    case Ready: return QStringLiteral("ready");
    case Failed: return QStringLiteral("failed");
    }
    return {};
}

} // namespace larch
