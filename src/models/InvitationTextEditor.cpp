#include "InvitationTextEditor.h"

#include "ApiClient.h"

#include <QRegularExpression>

namespace larch {

InvitationTextEditor::InvitationTextEditor(ApiClient *api, std::function<QString()> practiceId, QObject *parent)
    : QObject(parent), m_api(api), m_practiceId(std::move(practiceId))
{
}

QString InvitationTextEditor::problemWith(const QString &text)
{
    const int links = text.count(QLatin1String("{link}"));
    if (links == 0)
        return QStringLiteral("Add {link} where the invitation link should go.");
    if (links > 1)
        return QStringLiteral("Use {link} only once.");
    static const QRegularExpression placeholder(QStringLiteral("\\{[^}]*\\}"));
    if (QString(text).remove(QLatin1String("{link}")).contains(placeholder))
        return QStringLiteral("Only {link} can be filled in; remove the other words in braces.");
    const int length = int(text.trimmed().size());
    if (length < 20)
        return QStringLiteral("Write at least 20 characters so patients know who invites them.");
    if (length > 320)
        return QStringLiteral("Shorten the text to 320 characters or fewer (it is %1 now).").arg(length);
    return {};
}

void InvitationTextEditor::load()
{
    setError({});
    setBusy(true);
    m_api->fetchInvitationText(m_practiceId(), this, [this](const ApiResult &result) {
        setBusy(false);
        if (!result.ok()) {
            setError(result.error.sentence);
            return;
        }
        m_text = result.body.value(QLatin1String("text")).toString();
        m_isDefault = result.body.value(QLatin1String("isDefault")).toBool();
        emit textChanged();
    });
}

void InvitationTextEditor::save(const QString &text)
{
    if (m_busy)
        return;
    const QString problem = problemWith(text);
    if (!problem.isEmpty()) {
        setError(problem);
        return;
    }
    setError({});
    setBusy(true);
    m_api->saveInvitationText(m_practiceId(), text.trimmed(), this, [this](const ApiResult &result) {
        setBusy(false);
        if (!result.ok()) {
            setError(result.error.sentence);
            return;
        }
        m_text = result.body.value(QLatin1String("text")).toString();
        m_isDefault = result.body.value(QLatin1String("isDefault")).toBool();
        emit textChanged();
        emit saved();
    });
}

void InvitationTextEditor::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged();
}

void InvitationTextEditor::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    emit errorChanged();
}

} // namespace larch
