// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Opening a message's file on demand: download and decrypt, show, save a copy, let go (App.attachments).
#pragma once

#include "models/attachments/AttachmentCopyWriter.h"
#include "models/attachments/AttachmentStates.h"

#include <memory>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QtQml/qqmlregistration.h>
#include <QUrl>

namespace larch {

class ApiClient;
class AttachmentDownload;
class AttachmentImages;
class AttachmentTempFiles;
class LocalStore;
class Outbox;
class ThreadModel;

/// The file the viewer shows: one at a time, a message's file found by the message's id and its place in it. Photos are decrypted into memory and served through the
/// "attachment" image provider; videos and PDFs into a private temporary file (AttachmentTempFiles). Keys stay
/// here and in the store: QML sees ids, names, image:// and file:// URLs. release() (the viewer closed) drops the
/// decrypted copy, removing its file. The thread's cards follow the download through ThreadModel::setDownload, each
/// file on its own: opening one file of a message leaves its other files' cards as they are.
class AttachmentViewer : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The attachment viewer is App.attachments.")
    /// The message whose file is open; "" when none.
    Q_PROPERTY(QString messageId READ messageId NOTIFY openedChanged)
    /// Which of the message's files is open: its place in the message, from 0; -1 when none is open.
    Q_PROPERTY(int index READ index NOTIFY openedChanged)
    /// Image, Video or Pdf; None when none is open.
    Q_PROPERTY(larch::AttachmentKind::Value kind READ kindValue NOTIFY openedChanged)
    /// The file's sanitised name.
    Q_PROPERTY(QString name READ name NOTIFY openedChanged)
    Q_PROPERTY(QString mime READ mime NOTIFY openedChanged)
    /// "2.4 MB"
    Q_PROPERTY(QString sizeText READ sizeText NOTIFY openedChanged)
    /// image://attachment/… of the sender's thumbnail, shown while the file downloads; "" when it sent none.
    Q_PROPERTY(QString thumbnail READ thumbnail NOTIFY openedChanged)
    /// None (nothing open), Downloading, Ready (source shows it) or Failed (error says why).
    Q_PROPERTY(larch::AttachmentState::Value state READ stateValue NOTIFY stateChanged)
    /// 0..1 of the download.
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)
    /// Why the download failed, one sentence; "" otherwise.
    Q_PROPERTY(QString error READ error NOTIFY stateChanged)
    /// Whether "Try again" can help after a failure: false when the file is damaged or gone for good (another
    /// download would fail the same way), true after network trouble.
    Q_PROPERTY(bool canRetry READ canRetry NOTIFY stateChanged)
    /// What the viewer shows once ready: image://attachment/full/<id> for photos, a private file:// otherwise.
    Q_PROPERTY(QUrl source READ source NOTIFY stateChanged)
    /// Where "Save a copy" wrote the file, or why it could not; "" before any.
    Q_PROPERTY(QString saveMessage READ saveMessage NOTIFY saveMessageChanged)
    /// saveMessage says why saving failed.
    Q_PROPERTY(bool saveFailed READ saveFailed NOTIFY saveMessageChanged)
    /// True while "Save a copy" is writing (on a worker thread); another copy waits until it is done.
    Q_PROPERTY(bool saving READ isSaving NOTIFY savingChanged)
public:
    enum class State { None, Downloading, Ready, Failed };
    /// Photos up to this size are decrypted into memory; larger ones into a private temporary file, like videos.
    static constexpr qint64 InMemoryMaxBytes = 16 * 1024 * 1024;

    AttachmentViewer(LocalStore *store, ApiClient *api, ThreadModel *thread, std::shared_ptr<AttachmentImages> images,
                     AttachmentTempFiles *files, QObject *parent = nullptr);
    ~AttachmentViewer() override;
    /// Where cancelUpload goes.
    void setOutbox(Outbox *outbox);

    QString messageId() const { return m_messageId; }
    int index() const { return m_index; }
    AttachmentKind::Value kindValue() const { return m_kind; }
    /// kind's name, "image", "video", "pdf" or "", for C++ that reads it as text.
    QString kind() const { return AttachmentKind::name(m_kind); }
    QString name() const { return m_name; }
    QString mime() const { return m_mime; }
    QString sizeText() const { return m_sizeText; }
    QString thumbnail() const { return m_thumbnail; }
    AttachmentState::Value stateValue() const;
    /// state's name, "downloading", "ready", "failed" or "", for C++ that reads it as text.
    QString state() const { return AttachmentState::name(stateValue()); }
    double progress() const { return m_progress; }
    QString error() const { return m_error; }
    bool canRetry() const;
    QUrl source() const { return m_source; }
    QString saveMessage() const { return m_saveMessage; }
    bool saveFailed() const { return m_saveFailed; }
    bool isSaving() const { return m_copies.isBusy(); }
    /// The decrypted file of a video or PDF while open; "" otherwise.
    QString filePath() const { return m_path; }

    /// Opens a stored message's file (index: its place in the message, from 0): shown at once when it is already
    /// here, else downloaded (the previous file is let go). Tried again after a failure. A message that is not
    /// here, or an index past its files, leaves the viewer failed with a sentence saying so.
    Q_INVOKABLE void open(const QString &messageId, int index = 0);
    /// Stops the download; nothing stays open.
    Q_INVOKABLE void cancel();
    /// The viewer closed: the decrypted copy goes (memory freed, temporary file removed).
    Q_INVOKABLE void release();
    /// Writes the open file's decrypted bytes to destination (a FileDialog's file:// or content:// URL) on a
    /// worker thread; saveMessage says it is saving, then how it went, and saved() follows success. Another file
    /// than the open one (messageId, index) is refused with a sentence.
    Q_INVOKABLE void saveCopy(const QString &messageId, int index, const QUrl &destination);
    /// Stops a local echo's upload and drops the message (Outbox::cancel).
    Q_INVOKABLE void cancelUpload(const QString &clientId);
    /// Downloads/<file name> of a message's file, the place a FileDialog offers first.
    Q_INVOKABLE QUrl suggestedSaveUrl(const QString &messageId, int index) const;

    static QString notHereText();
    static QString noSuchFileText();
    static QString openFirstText();

signals:
    void openedChanged();
    void stateChanged();
    void progressChanged();
    void saveMessageChanged();
    void savingChanged();
    /// saveCopy wrote the file.
    void saved(const QString &path);

private:
    void setState(State state, const QString &error = {});
    void setProgress(double progress);
    void setSaveMessage(const QString &message, bool failed);
    void finishDownload();
    void dropDownload();
    /// Frees the open file's decrypted copy and stops its download; the fields stay.
    void letGo();
    void finishCopy(const QString &path, const QString &error);
    /// Gives a decrypted temporary file back to m_files, or keeps it until the copy being written from it is done.
    void releaseFile(const QString &path);

    LocalStore *m_store;
    ApiClient *m_api;
    ThreadModel *m_thread;
    std::shared_ptr<AttachmentImages> m_images;
    QPointer<AttachmentTempFiles> m_files;
    QPointer<Outbox> m_outbox;
    AttachmentDownload *m_download = nullptr;
    QString m_messageId;
    int m_index = -1;
    AttachmentKind::Value m_kind = AttachmentKind::None;
    bool m_inMemory = false; ///< a photo decrypted into memory (shown through the image provider), not a file
    QString m_name;
    QString m_mime;
    QString m_sizeText;
    QString m_thumbnail;
    State m_state = State::None;
    double m_progress = 0;
    QString m_error;
    QUrl m_source;
    QString m_path; ///< the private temporary file of a video or PDF
    QString m_saveMessage;
    bool m_saveFailed = false;
    QString m_copySource; ///< the temporary file a copy is being written from; "" when none
    bool m_copySourceReleased = false; ///< the viewer let it go meanwhile: it goes once the copy is written
    AttachmentCopyWriter m_copies;
};

} // namespace larch
