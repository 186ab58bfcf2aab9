// Runs the tst_*.qml QuickTests in this folder against the statically linked `Larch` QML module.
#include "QrCode.h"

#include <QtQml/QQmlEngine>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuickControls2/QQuickStyle>
#include <QtQuickTest/quicktest.h>

Q_IMPORT_QML_PLUGIN(LarchPlugin)

// Gives each test engine the app's style and the resource path where the `Larch` module lives.
class Setup : public QObject
{
    Q_OBJECT
public slots:
    void applicationAvailable() { QQuickStyle::setStyle(QStringLiteral("Basic")); }
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/"));
        // Practice Links' QR codes, as the app serves them (the engine owns the provider).
        engine->addImageProvider(QStringLiteral("qr"), new larch::QrImageProvider);
    }
};

QUICK_TEST_MAIN_WITH_SETUP(qml_components, Setup)

#include "tst_qml_components.moc"
