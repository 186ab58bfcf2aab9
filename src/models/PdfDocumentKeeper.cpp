#include "PdfDocumentKeeper.h"

#include <QQmlEngine>
#include <QTimer>

namespace larch {

PdfDocumentKeeper::PdfDocumentKeeper(QObject *parent) : QObject(parent) {}

void PdfDocumentKeeper::keep(QObject *document)
{
    if (!document)
        return;
    QQmlEngine::setObjectOwnership(document, QQmlEngine::CppOwnership);
    document->setParent(this);
    QTimer::singleShot(GraceMs, document, &QObject::deleteLater);
}

} // namespace larch
