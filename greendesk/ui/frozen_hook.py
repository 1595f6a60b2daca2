"""PyInstaller run-time hook of the built app (build.spec), run before PyInstaller's own hook for PySide6.

That hook imports PySide6 before the app's code runs, so the app could not import it its own way
(greendesk.ui.startup.import_pyside: shiboken's support modules and its three long regular expressions from
greendesk.core.codecache instead of compiled again at every start). This does it first. Anything going wrong
here leaves PySide6 to be imported as usual: a start-up is only slower, never stopped.
"""

try:
    from greendesk.ui.startup import import_pyside

    import_pyside()
except Exception:  # noqa: BLE001, S110 - see above
    pass
