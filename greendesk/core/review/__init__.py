"""The reviewer's desk (issue 12): many signed packages verified, loaded into DuckDB and compared.

Qt-free. :func:`greendesk.core.review.load.review_packages` verifies and loads;
:mod:`greendesk.core.review.store` holds the tables and the comparison views;
:mod:`greendesk.core.review.workbook` writes the summary workbook;
:mod:`greendesk.core.review.contract` is the versioned data contract of the embedded JSON.
"""
