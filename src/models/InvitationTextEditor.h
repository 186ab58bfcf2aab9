// The practice's invitation text (Settings, administrators): what an SMS or email invitation says around its link.
#pragma once

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>
#include <functional>

namespace larch {

class ApiClient;

/// Loads and saves the invitation text; checks it as the server will (one {link}, no other placeholder, 20 to 320
/// characters) so the administrator sees the problem before saving.
class InvitationTextEditor : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The invitation text belongs to App.invitationText.")
    /// The text as saved on the server (the editor starts from it).
    Q_PROPERTY(QString text READ text NOTIFY textChanged)
    /// True while the practice uses Larch's default text.
    Q_PROPERTY(bool isDefault READ isDefault NOTIFY textChanged)
    /// A load or save is in flight.
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    /// A sentence on why loading or saving failed and how to fix it; "" when nothing did.
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
public:
    InvitationTextEditor(ApiClient *api, std::function<QString()> practiceId, QObject *parent = nullptr);

    QString text() const { return m_text; }
    bool isDefault() const { return m_isDefault; }
    bool busy() const { return m_busy; }
    QString error() const { return m_error; }

    /// What is wrong with a draft text, as a sentence; "" when it can be saved.
    Q_INVOKABLE static QString problemWith(const QString &text);
    Q_INVOKABLE void load();
    /// Saves a draft; the draft is kept (the screen keeps it) when saving fails.
    Q_INVOKABLE void save(const QString &text);

signals:
    void textChanged();
    void busyChanged();
    void errorChanged();
    void saved();

private:
    void setBusy(bool busy);
    void setError(const QString &error);

    ApiClient *m_api;
    std::function<QString()> m_practiceId;
    QString m_text;
    bool m_isDefault = true;
    bool m_busy = false;
    QString m_error;
};

} // namespace larch
