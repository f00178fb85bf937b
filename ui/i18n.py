"""Loading the Qt translations: ours (.qm from resources/translations) and Qt's own.

Source strings are Chinese; English comes from station_en.qm.  Qt's own
dialogs (file chooser, context menus) get qtbase_zh_CN / qtbase_en so no
English leaks into the Chinese screens.  The core's messages follow
station.i18n.set_lang.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from station import i18n as core_i18n
from station.store.paths import resources_dir

log = logging.getLogger(__name__)

_installed: dict[str, list[QTranslator]] = {}


def translations_dir():
    return resources_dir() / "translations"


def install_translators(lang: str) -> None:
    """Make `lang` the language of the UI and the core messages (idempotent)."""
    core_i18n.set_lang(lang)
    app = QCoreApplication.instance()
    if app is None:
        return
    key = f"{id(app)}:{lang}"
    if key in _installed:
        return
    for other in list(_installed):
        for tr in _installed.pop(other):
            app.removeTranslator(tr)
    loaded: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_tr = QTranslator(app)
    if qt_tr.load("qtbase_en" if lang == "en" else "qtbase_zh_CN", qt_dir):
        app.installTranslator(qt_tr)
        loaded.append(qt_tr)
    if lang == "en":
        ours = QTranslator(app)
        path = translations_dir() / "station_en.qm"
        if ours.load(str(path)):
            app.installTranslator(ours)
            loaded.append(ours)
        else:
            log.warning("English translation %s could not be loaded", path)
    QLocale.setDefault(QLocale(QLocale.Language.English if lang == "en" else QLocale.Language.Chinese,
                               QLocale.Country.UnitedStates if lang == "en" else QLocale.Country.China))
    _installed[key] = loaded
