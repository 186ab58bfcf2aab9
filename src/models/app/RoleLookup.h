// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Finds a model role by the name QML uses, for C++ that drives the app's models from outside QML.
#pragma once

#include <QAbstractItemModel>
#include <QByteArray>

namespace larch {

/// The role whose QML name is `name`, or -1 when the model has none.
inline int roleNumber(const QAbstractItemModel *model, const QByteArray &name)
{
    const auto roles = model->roleNames();
    for (auto it = roles.cbegin(); it != roles.cend(); ++it) {
        if (it.value() == name)
            return it.key();
    }
    return -1;
}

} // namespace larch
