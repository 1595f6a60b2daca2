"""Typed, immutable definitions of an evaluation scheme (built by the loader from forms/*.yaml).

Conventions the GUI and the report rely on:

* Ids are unique across a whole scheme: section ids, indicator ids and field ids share
  one namespace, so an answer key is never ambiguous. Field ids are dotted,
  ``<indicator id>.<name>`` for fields owned by an indicator and ``common.<name>`` for
  the scheme's shared inputs (``Scheme.common``, shown as one "basic data" page).
* An answer stored under an *indicator* id is an entered whole-indicator answer:
  a number for a quantitative indicator (the value x, flagged "entered"), or
  ``"yes"``/``"no"`` for a veto or checklist indicator (met as a whole).
* Every figure from a standard carries ``source`` and ``certainty``
  (confirmed | secondary | uncertain | user); ``certainty != "confirmed"`` must be shown.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

from greendesk.core.expr import Expr
from greendesk.core.frozen import frozen
from greendesk.core.i18n import pick

FIELD_TYPES = ("yesno", "choice", "multi", "number", "percent", "integer", "text", "date", "evidence",
               "rows", "calculated")
RULE_KINDS = ("veto", "checklist", "quantitative", "count", "threshold", "multi_product", "cases", "info")
DIRECTIONS = ("higher_better", "lower_better")
CERTAINTIES = ("confirmed", "secondary", "uncertain", "user")
YES, NO, NA = "yes", "no", "na"

Text = dict  # {"zh": ..., "en": ...}


class _Noted:
    """``note`` is for the people who use the scheme (shown in the app, printed in outlines and the report);
    ``maintainer_note`` is for the people who maintain the data (where a figure was found, what is left to
    check) and is never shown or printed. UI and report show :meth:`display_note`."""

    note: Text
    maintainer_note: str

    def display_note(self, lang: str | None = None) -> str:
        """The user-facing note in ``lang`` (the other language when missing); "" when there is none."""
        return pick(self.note, lang) if self.note else ""


@frozen
class Choice:
    value: str
    label: Text
    degree: float | None = None      # share of the item's points this choice earns (checklists)

    def text(self, lang: str | None = None) -> str:
        return pick(self.label, lang)


@frozen
class Field:
    id: str
    type: str
    label: Text
    guidance: Text = field(default_factory=dict)
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    choices: tuple[Choice, ...] = ()
    required: bool = False                       # checked only when finalizing
    relevant: Expr | None = None                 # shown/used only when true
    constraint: Expr | None = None               # must be true for an entered value (``.`` = the value)
    constraint_message: Text = field(default_factory=dict)
    calculation: Expr | None = None              # for type "calculated" (and calculated row columns)
    columns: tuple[Field, ...] = ()              # for type "rows"
    max_rows: int | None = None
    auto: str | None = None                      # key of an automatic value (meters), used when unanswered
    default: Any = None
    indicator_id: str | None = None              # owner indicator; None for common fields
    line: int = 0

    def choice(self, value: str) -> Choice | None:
        for c in self.choices:
            if c.value == value:
                return c
        return None

    def title(self, lang: str | None = None) -> str:
        return pick(self.label, lang)


@frozen
class Band(_Noted):
    id: str
    label: Text
    min: float | None = None       # inclusive lower bound of the banding attribute
    max: float | None = None       # exclusive upper bound
    baseline: float | None = None
    leading: float | None = None
    source: str = ""
    certainty: str = "uncertain"
    note: Text = field(default_factory=dict)     # user-facing {"zh", "en"}: show display_note()
    maintainer_note: str = ""                    # never shown


@frozen
class RuleItem:
    """One line of a checklist: a field (yes/no, choice with degrees, or percent) and its points."""

    field: str
    points: float
    level: str = "required"        # required (必选, full points when met) | optional (可选, by degree)


@frozen
class Case:
    when: Expr
    rule: Rule
    label: Text = field(default_factory=dict)


@frozen
class Rule(_Noted):
    kind: str
    direction: str | None = None
    value: Expr | None = None                # quantitative/count/threshold: how x is computed
    unit: str | None = None
    baseline: float | None = None            # 基准值 B
    leading: float | None = None             # 引领值 L
    threshold: float | None = None           # threshold rule: met when x reaches it
    band_by: Expr | None = None              # attribute that selects a band
    bands: tuple[Band, ...] = ()
    items: tuple[RuleItem, ...] = ()         # checklist / veto lines
    rows: str | None = None                  # multi_product: the rows field
    row_value: Expr | None = None            # per product: x
    row_baseline: Expr | None = None         # per product: B (e.g. quota grade 2)
    row_leading: Expr | None = None          # per product: L (e.g. quota grade 1)
    row_weight: Expr | None = None           # per product: weight (e.g. energy use, tce)
    max_products: int = 3
    cases: tuple[Case, ...] = ()
    source: str = ""
    certainty: str = "uncertain"
    note: Text = field(default_factory=dict)     # user-facing {"zh", "en"}: show display_note()
    maintainer_note: str = ""                    # never shown

    @property
    def benchmark_needed(self) -> bool:
        if self.kind not in ("quantitative", "count"):
            return False
        if self.bands:
            return any(b.baseline is None or b.leading is None for b in self.bands)
        return self.baseline is None or self.leading is None


@frozen
class Indicator(_Noted):
    id: str
    title: Text
    points: float
    rule: Rule
    fields: tuple[Field, ...] = ()
    guidance: Text = field(default_factory=dict)
    evidence: tuple[Text, ...] = ()          # 证明材料要求: the evidence the evaluator looks for
    evidence_source: str = ""                 # where that list comes from ("" = no public source lists it)
    evidence_certainty: str = "uncertain"
    applicable: Expr | None = None           # when false the indicator is "not applicable"
    code: str = ""                            # clause or row number in the source table
    source: str = ""                          # where the points come from
    certainty: str = "uncertain"
    note: Text = field(default_factory=dict)     # user-facing {"zh", "en"}: show display_note()
    maintainer_note: str = ""                    # never shown
    section_id: str = ""
    line: int = 0

    def name(self, lang: str | None = None) -> str:
        return pick(self.title, lang)


@frozen
class Section(_Noted):
    id: str
    title: Text
    indicators: tuple[Indicator, ...]
    weight: float | None = None              # when set, the section's points are scaled to it
    source: str = ""
    certainty: str = "uncertain"
    note: Text = field(default_factory=dict)     # user-facing {"zh", "en"}: show display_note()
    maintainer_note: str = ""                    # never shown

    @property
    def max_points(self) -> float:
        if self.weight is not None:
            return self.weight
        return sum(i.points for i in self.indicators)

    def name(self, lang: str | None = None) -> str:
        return pick(self.title, lang)


@frozen
class Grade(_Noted):
    id: str
    min: float
    label: Text
    requires_qualified: bool = True
    source: str = ""
    certainty: str = "uncertain"
    note: Text = field(default_factory=dict)     # user-facing {"zh", "en"}: show display_note()
    maintainer_note: str = ""                    # never shown


@frozen
class Qualification(_Noted):
    """What makes a factory qualified under the scheme, with its source.

    ``required_lines``: "disqualify" when every 必选 (``level: required``) checklist line must be met
    (an unmet one makes the factory not qualified, and the lines are listed), "score" when an unmet
    line only loses its points. Vetoes always disqualify. ``pass_mark`` is a total the scheme's
    source sets as the pass mark (None: the source sets none; the score then says so).
    """

    required_lines: str = "score"
    pass_mark: float | None = None
    source: str = ""
    certainty: str = "uncertain"
    note: Text = field(default_factory=dict)     # user-facing {"zh", "en"}: show display_note()
    maintainer_note: str = ""                    # never shown


@frozen
class NaPolicy(_Noted):
    """How a not-applicable row (indicator or checklist line) is scored, with its source.

    ``mode``: "rescale" (default: the row's points leave the maximum and the total is rescaled to the
    scheme's full maximum), "exclude" (the points leave the maximum, no rescaling: the total is out of
    the applicable points) or "full" (the row earns its points).
    """

    mode: str = "rescale"
    source: str = ""
    certainty: str = "uncertain"
    note: Text = field(default_factory=dict)     # user-facing {"zh", "en"}: show display_note()
    maintainer_note: str = ""                    # never shown


@frozen
class PointsTable(_Noted):
    """One set of indicator points a profile can choose (``points_table``), with its source."""

    id: str
    label: Text
    points: dict = field(default_factory=dict)   # indicator id -> points; indicators not listed keep theirs
    source: str = ""
    certainty: str = "uncertain"
    note: Text = field(default_factory=dict)     # user-facing {"zh", "en"}: show display_note()
    maintainer_note: str = ""                    # never shown

    def name(self, lang: str | None = None) -> str:
        return pick(self.label, lang)


@frozen
class SchemeSource(_Noted):
    standard: str
    clause: str = ""
    date: str = ""
    certainty: str = "uncertain"
    note: Text = field(default_factory=dict)     # user-facing {"zh", "en"}: show display_note()
    maintainer_note: str = ""                    # never shown


@frozen
class Scheme:
    id: str
    version: str
    title: Text
    source: SchemeSource
    sections: tuple[Section, ...]
    grades: tuple[Grade, ...] = ()
    common: tuple[Field, ...] = ()           # shared inputs (output value, energy use, site area ...)
    description: Text = field(default_factory=dict)
    base: str | None = None                  # for a local profile: the scheme it builds on
    na_policy: str = "rescale"               # not-applicable rows: "rescale" (default), "exclude" or "full"
    na_policy_certainty: str = "uncertain"
    na: NaPolicy = field(default_factory=NaPolicy)                  # the policy with its source
    qualification: Qualification = field(default_factory=Qualification)
    points_tables: tuple[PointsTable, ...] = ()               # the point tables the scheme offers
    points_table: str | None = None                           # the one in use (its points are the indicators')
    renamed: dict[str, str] = field(default_factory=dict)   # old answer id -> new id
    removed: tuple[str, ...] = ()                           # answer ids the scheme no longer has
    path: str = ""
    # Derived lookups, filled by the loader.
    fields_by_id: dict[str, Field] = field(default_factory=dict, repr=False, compare=False)
    indicators_by_id: dict[str, Indicator] = field(default_factory=dict, repr=False, compare=False)
    calc_order: tuple[str, ...] = field(default=(), repr=False, compare=False)

    @property
    def max_points(self) -> float:
        return sum(s.max_points for s in self.sections)

    def points_table_used(self) -> PointsTable | None:
        return next((p for p in self.points_tables if p.id == self.points_table), None)

    def indicators(self) -> list[Indicator]:
        return [i for s in self.sections for i in s.indicators]

    def field(self, field_id: str) -> Field:
        return self.fields_by_id[field_id]

    def indicator(self, indicator_id: str) -> Indicator:
        return self.indicators_by_id[indicator_id]

    def name(self, lang: str | None = None) -> str:
        return pick(self.title, lang)
