// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "ComposeTestKit.h"

#include <QCoreApplication>
#include <QDir>
#include <QDropEvent>
#include <QFile>
#include <QImage>
#include <QMimeData>
#include <QPainter>
#include <QPdfWriter>
#include <QQuickItem>
#include <QQuickWindow>

namespace {
// The point in the window where a drag over the middle of item is.
QPoint middle(QQuickItem *item) { return item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint(); }
} // namespace

ComposeTestKit::ComposeTestKit(QObject *parent) : QObject(parent)
{
    QImage xray(640, 480, QImage::Format_RGB32);
    xray.fill(QColor(40, 40, 48));
    QPainter(&xray).fillRect(200, 100, 240, 280, QColor(220, 220, 230));
    xray.save(m_dir.filePath(QStringLiteral("xray.png")), "PNG");
    xray.save(m_dir.filePath(QStringLiteral("wound.jpg")), "JPEG");

    QPdfWriter pdf(m_dir.filePath(QStringLiteral("Referral.pdf")));
    {
        QPainter painter(&pdf);
        painter.fillRect(QRect(400, 400, 3000, 600), QColor(15, 110, 110));
        pdf.newPage();
        painter.fillRect(QRect(400, 400, 3000, 600), QColor(15, 110, 110));
    }

    QFile notes(m_dir.filePath(QStringLiteral("notes.txt")));
    if (notes.open(QIODevice::WriteOnly))
        notes.write("Bring the referral letter.\n");
    QDir(m_dir.path()).mkdir(QStringLiteral("Scans"));

    m_model.setPrivateDir(m_dir.filePath(QStringLiteral("outgoing")));
    m_model.setConversation(QStringLiteral("c0000000-0000-4000-8000-000000000001"));
}

QUrl ComposeTestKit::file(const QString &name) const { return QUrl::fromLocalFile(m_dir.filePath(name)); }

void ComposeTestKit::reset()
{
    m_model.clear();
    m_model.dismissRefusal();
    m_model.setMaxBytes(larch::ComposeAttachmentModel::DefaultMaxBytes);
}

bool ComposeTestKit::dropFiles(QQuickItem *item, const QList<QUrl> &urls)
{
    if (!item || !item->window())
        return false;
    QMimeData mime;
    mime.setUrls(urls);
    const QPoint at = middle(item);
    QDragEnterEvent enter(at, Qt::CopyAction | Qt::MoveAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(item->window(), &enter);
    QDragMoveEvent move(at, Qt::CopyAction | Qt::MoveAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(item->window(), &move);
    QDropEvent drop(at, Qt::CopyAction | Qt::MoveAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(item->window(), &drop);
    return drop.isAccepted() && drop.dropAction() == Qt::CopyAction;
}

void ComposeTestKit::dragOver(QQuickItem *item, const QList<QUrl> &urls)
{
    if (!item || !item->window())
        return;
    auto *mime = new QMimeData; // outlives the events: the window keeps the drag until it leaves
    mime->setParent(this);
    mime->setUrls(urls);
    const QPoint at = middle(item);
    QDragEnterEvent enter(at, Qt::CopyAction | Qt::MoveAction, mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(item->window(), &enter);
    QDragMoveEvent move(at, Qt::CopyAction | Qt::MoveAction, mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(item->window(), &move);
}

void ComposeTestKit::dragLeave(QQuickItem *item)
{
    if (!item || !item->window())
        return;
    QDragLeaveEvent leave;
    QCoreApplication::sendEvent(item->window(), &leave);
}
