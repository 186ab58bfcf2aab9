// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The practice's Practice Links for staff: the list, adding and changing links, copying them and saving their QR
// codes for flyers.
#pragma once

#include <functional>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>
#include <QUrl>

namespace larch {

class ApiClient;
class PracticeLinkModel;
struct ApiResult;
struct Event;
struct PracticeLink;

/// Loads the practice's links into a PracticeLinkModel and keeps it current from practice_link.updated events.
/// Every staff member sees and shares the links; only administrators add, rename or turn them on and off.
class PracticeLinks : public QObject {
    Q_OBJECT
    Q_MOC_INCLUDE("models/practicelinks/PracticeLinkModel.h")
    QML_ELEMENT
    QML_UNCREATABLE("The Practice Links belong to App.practiceLinks.")
    /// The links, oldest first.
    Q_PROPERTY(larch::PracticeLinkModel *model READ links CONSTANT)
    /// True for administrators, who may add links, rename them and turn them on or off.
    Q_PROPERTY(bool canEdit READ canEdit NOTIFY canEditChanged)
    /// A load or a change is in flight.
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    /// The list has been fetched since sign-in (until then an empty model means "not known yet").
    Q_PROPERTY(bool loaded READ loaded NOTIFY loadedChanged)
    /// A sentence on why loading the list, turning a link on or off, or saving a QR code failed; "" when nothing did.
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    /// A sentence on why adding or renaming a link failed (shown in its dialog); "" when nothing did.
    Q_PROPERTY(QString formError READ formError NOTIFY formErrorChanged)
    /// A short confirmation of the last action ("Link copied."); "" when there is none.
    Q_PROPERTY(QString notice READ notice NOTIFY noticeChanged)
public:
    /// The server's limits, in characters as a person counts them (textLength).
    static constexpr int MaxLabelLength = 60;
    static constexpr int MaxTagLength = 30;

    /// practiceId and isAdmin answer for the signed-in staff member at the time of the call.
    PracticeLinks(ApiClient *api, std::function<QString()> practiceId, std::function<bool()> isAdmin,
                  QObject *parent = nullptr);

    PracticeLinkModel *links() const { return m_model; }
    bool canEdit() const { return m_isAdmin(); }
    bool busy() const { return m_pending > 0; }
    bool loaded() const { return m_loaded; }
    QString error() const { return m_error; }
    QString formError() const { return m_formError; }
    QString notice() const { return m_notice; }

    /// What is wrong with a link's name, as a sentence; "" when it can be saved.
    Q_INVOKABLE static QString problemWithLabel(const QString &label);
    /// What is wrong with a link's tag ("" is fine: no tag), as a sentence; "" when it can be saved.
    Q_INVOKABLE static QString problemWithTag(const QString &tag);
    /// A file name for a link's QR code, made from its name: "Front desk flyer QR code.png".
    Q_INVOKABLE static QString qrFileName(const QString &label);
    /// Where "Save QR code…" proposes to save: qrFileName(label) in the Pictures folder (else Documents, else home).
    Q_INVOKABLE static QUrl suggestedQrFile(const QString &label);

    /// Fetches the list again.
    Q_INVOKABLE void load();
    /// Adds a link (administrators); added(linkId) follows success, formError a refusal.
    Q_INVOKABLE void add(const QString &label, const QString &tag);
    /// Renames a link and sets or removes (tag "") its tag (administrators); updated(linkId) follows success.
    Q_INVOKABLE void update(const QString &linkId, const QString &label, const QString &tag);
    /// Turns a link on or off (administrators). The row shows the new state at once and goes back if refused.
    Q_INVOKABLE void setEnabled(const QString &linkId, bool on);
    /// Puts a link on the clipboard.
    Q_INVOKABLE void copyLink(const QString &url);
    /// Saves a link's QR code as a PNG of at least 1024 pixels a side at fileUrl (file:// URL or path; ".png" is
    /// added when missing). False with error set when it could not be written.
    Q_INVOKABLE bool saveQrCode(const QString &url, const QUrl &fileUrl);
    /// Clears the confirmation once it has been read.
    Q_INVOKABLE void dismissNotice();
    /// Forgets the add/edit dialog's last refusal (the dialog opens afresh).
    Q_INVOKABLE void clearFormError() { setFormError({}); }

    /// Applies a practice_link.updated event of the staff member's practice; other events are ignored.
    void applyEvent(const Event &event);
    /// Forgets everything (sign-out) and says whether the signed-in person may edit now.
    void reset();
    /// The practice identity this staff device holds (32-byte public key; empty for none): every link shared and
    /// every QR code carries its fingerprint.
    void setIdentityKey(const QByteArray &signPublic);

signals:
    void canEditChanged();
    void busyChanged();
    void loadedChanged();
    void errorChanged();
    void formErrorChanged();
    void noticeChanged();
    /// A link was added; the dialog that asked for it closes.
    void added(const QString &linkId);
    /// A link was renamed or its tag changed; the dialog that asked for it closes.
    void updated(const QString &linkId);

private:
    /// Sends a request counted in busy; answers in done unless a reset happened meanwhile.
    void track(const std::function<void(ApiClient *, QObject *, std::function<void(const ApiResult &)>)> &start,
               std::function<void(const ApiResult &)> done);
    bool applyLink(const QJsonObject &json);
    void setLoaded(bool loaded);
    void setError(const QString &error);
    void setFormError(const QString &error);
    void setNotice(const QString &notice);

    ApiClient *m_api;
    std::function<QString()> m_practiceId;
    std::function<bool()> m_isAdmin;
    PracticeLinkModel *m_model;
    int m_pending = 0;
    quint64 m_generation = 0; ///< answers from before a reset are dropped
    bool m_loaded = false;
    QString m_error;
    QString m_formError;
    QString m_notice;
};

} // namespace larch
