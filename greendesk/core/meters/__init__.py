"""Meter ledgers: reading, layout detection, normalisation, quality checks and storage.

Public interface (used by the GUI wizard and the command line)::

    plan = analyse(paths, year=2025, mapping=None, progress=cb, cancel=event)   # reads only
    plan.set_column("Sheet1!C", carrier="electricity", unit="万kWh")           # edit, re-derive
    summary = commit(ws, assessment_id, plan, progress=cb, cancel=event)        # all-or-nothing

A mapping (``--mapping FILE``, YAML or JSON; or the ``mapping`` argument) overrides detection::

    year: 2025                      # for month labels without a year
    sheets:
      说明: {skip: true}            # leave a sheet out
      能源月报: {header_row: 3, units_row: 4}
    columns:                        # key: "Sheet!C" (a column), "Sheet!5" (a row, months across),
      "能源月报!B": {carrier: electricity, unit: 万kWh, meter: 总表}   #   "file.xlsx:Sheet!C", "C" or the header text
      "压缩空气": {ignore: true}

Heavy libraries (python-calamine) are imported only when a spreadsheet is read.
"""

from __future__ import annotations

import importlib

# Attributes are loaded on first use (PEP 562): energy accounting imports the catalogue
# from this package at GUI start-up, and the import machinery (plan, detection, ~70 ms of
# regex compilation) is only needed when a ledger is read.
_EXPORTS = {
    "carrier_choices": "catalog",
    "Column": "model", "Issue": "model", "Series": "model",
    "FilePlan": "plan", "ImportPlan": "plan", "ImportSummary": "plan", "analyse": "plan", "commit": "plan",
    "imports": "plan", "load_mapping": "plan", "remove_import": "plan",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f"greendesk.core.meters.{_EXPORTS[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
