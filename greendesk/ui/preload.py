"""Start-up: import the core's modules (workspace, schemes, energy) on a worker thread while Qt loads.

Pure imports and the bundled scheme (cached by the registry) only; nothing touches Qt or a
workspace. The main thread's own imports simply find the modules ready, or wait for the import
lock if the worker is still busy with one.
"""

from __future__ import annotations

import threading

_thread: threading.Thread | None = None


def _work() -> None:
    try:
        import sqlite_utils.plugins as plugins

        # GreenDesk uses no sqlite-utils plugins: skip the scan of every installed package's entry points.
        plugins._plugins_loaded = True
        import greendesk.core.workspace  # noqa: F401
        from greendesk.core.schemes import registry, scoring  # noqa: F401

        for sid in registry.scheme_ids():
            if sid == "gbt36132-2025":
                registry.get_scheme(sid)
        import greendesk.core.energy  # noqa: F401
        import greendesk.core.meters.catalog  # noqa: F401
    except Exception:  # noqa: BLE001 - the main thread will import again and report properly
        pass


def start() -> None:
    global _thread
    if _thread is None:
        _thread = threading.Thread(target=_work, name="greendesk-preload", daemon=True)
        _thread.start()
