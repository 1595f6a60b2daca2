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

from greendesk.core.meters.catalog import carrier_choices
from greendesk.core.meters.model import Column, Issue, Series
from greendesk.core.meters.plan import (
                                        FilePlan,
                                        ImportPlan,
                                        ImportSummary,
                                        analyse,
                                        commit,
                                        imports,
                                        load_mapping,
                                        remove_import,
)

__all__ = ["carrier_choices", "Column", "FilePlan", "ImportPlan", "ImportSummary", "Issue", "Series", "analyse", "commit", "imports",
           "load_mapping", "remove_import"]
