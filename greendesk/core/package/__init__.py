"""The signed PDF declaration package.

Public API (heavy libraries, reportlab and pyHanko, are imported only when called):

* :func:`export_package` (``greendesk.core.package.export``): build, sign, write;
* :func:`verify_package` (``greendesk.core.package.verify``): check a package;
* :func:`collect_report_data` (``greendesk.core.package.data``): what the report shows.
"""

from __future__ import annotations


def export_package(*args, **kwargs) -> dict:
    from greendesk.core.package.export import export_package as _f

    return _f(*args, **kwargs)


def verify_package(*args, **kwargs) -> dict:
    from greendesk.core.package.verify import verify_package as _f

    return _f(*args, **kwargs)


def collect_report_data(*args, **kwargs):
    from greendesk.core.package.data import collect_report_data as _f

    return _f(*args, **kwargs)
