// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/attachments/PdfDocumentKeeper.h"

#include <QCoreApplication>
#include <QQmlEngine>
#include <QTimer>

namespace larch {

PdfDocumentKeeper::PdfDocumentKeeper(QObject *parent) : QObject(parent) { }

PdfDocumentKeeper *PdfDocumentKeeper::instance()
{
    // A child of the application object: it goes, with the documents it still keeps, when the application does.
    static PdfDocumentKeeper *keeper = new PdfDocumentKeeper(QCoreApplication::instance());
    return keeper;
}

PdfDocumentKeeper *PdfDocumentKeeper::create(QQmlEngine *, QJSEngine *)
{
    PdfDocumentKeeper *keeper = instance();
    QJSEngine::setObjectOwnership(keeper, QJSEngine::CppOwnership);
    return keeper;
}

void PdfDocumentKeeper::keep(QObject *document)
{
    if (!document)
        return;
    QQmlEngine::setObjectOwnership(document, QQmlEngine::CppOwnership);
    document->setParent(this);
    QTimer::singleShot(GraceMs, document, &QObject::deleteLater);
}

} // namespace larch
