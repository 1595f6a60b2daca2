"""Evaluation schemes as data (forms/*.yaml) and the scoring engine.

Modules:

* ``model``      frozen dataclasses: Scheme, Section, Indicator, Rule, Band, Field, Choice, Grade;
* ``loader``     the strict YAML loader (errors name file:line, key and the fix);
* ``registry``   ``get_scheme(id)``, ``list_schemes()``, ``load_scheme_file(path)``, ``scheme_path(id)``;
* ``values``     parse and validate answers (``validate_answer(scheme, id, value)``);
* ``scoring``    ``score()``, ``evaluate()`` (live form state for the GUI), ``score_assessment()``;
* ``continuity`` carry-over between years, renames, orphans;
* ``schema_doc`` the published JSON Schema (forms/scheme.schema.json).

Expressions in scheme files use :mod:`greendesk.core.expr`.
"""
