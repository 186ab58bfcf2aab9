// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Keeps a closed PDF viewer's document alive until Qt Quick's image reader can no longer be rendering from it.
#pragma once

#include <QObject>
#include <QtQml/qqmlregistration.h>

class QJSEngine;
class QQmlEngine;

namespace larch {

/// Qt 6.4 renders PdfPageImage pages on Qt Quick's image reader thread from a file object the PdfDocument owns,
/// without holding on to it: a document destroyed while a page of it is still being rendered takes that object
/// from under the reader, and the app crashes. PdfViewer hands its document here as it closes; the document is
/// deleted a grace period later, when any render it started is long over. There is one keeper for the process,
/// outside every QML engine: an engine being torn down stops its image reader only after deleting its own
/// objects, so documents it owned could still be rendering then.
class PdfDocumentKeeper : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
public:
    /// Far longer than a page render takes (tens of milliseconds, a few hundred for a large scanned page).
    static constexpr int GraceMs = 5000;

    /// The process's keeper (QML asks through this; the engine does not own it).
    static PdfDocumentKeeper *create(QQmlEngine *, QJSEngine *);
    static PdfDocumentKeeper *instance();

    /// Takes document (a PdfDocument) from its parent, with its current source kept as it is, and deletes it
    /// GraceMs from now, or when the application object goes (after every engine and its image reader).
    Q_INVOKABLE void keep(QObject *document);

private:
    explicit PdfDocumentKeeper(QObject *parent);
};

} // namespace larch
