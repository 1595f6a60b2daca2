"""The review database (DuckDB): tables filled from verified packages, comparisons as SQL views.

Tables: ``packages`` (one row per file hash: verification state, reasons, signer), ``factories``,
``assessments`` (one per package, with the factory's industry class and province as that package
states them), ``indicators``, ``carriers_by_month``, ``evidence`` (the manifest) and
``outlier_rules`` (the thresholds the outlier view applies, as data).

Views (the comparisons; only packages whose verification passed, ``status = 'accepted'``):

* ``v_current``: the latest accepted package per factory, year and scheme;
* ``v_indicator_peers``: per indicator, each factory beside its peers of the same year, scheme,
  industry class (GB/T 4754 小类, the first four digits of the code) and province: rank by value
  and by points, the group's median and quartiles (the factory included), and the median of the
  others (the factory left out);
* ``v_monthly``: each carrier's months with the month before and their ratio;
* ``v_outliers``: figures that look wrong (rules in ``outlier_rules``);
* ``v_packages``: every package, accepted or rejected, with score, grade and its number of flags.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from greendesk.core.errors import UserError

DB_FORMAT = "greendesk-review/1"

# Review heuristics from issue 12, not figures from a standard: a reviewer may change them in the
# database (UPDATE outlier_rules ...) and the views follow.
OUTLIER_RULES = [
    ("energy_intensity_vs_peers", 5.0, "能耗强度超过同行其他工厂中位数的 {t} 倍",
     "energy intensity over {t}x the median of the other factories of its peer group",
     "review heuristic (issue 12)"),
    ("renewable_share_over_limit", 100.0, "可再生能源占比超过 {t}%",
     "renewable share above {t} %", "a share cannot exceed 100 % (review check, issue 12)"),
    ("monthly_jump", 3.0, "相邻两个月的用量相差超过 {t} 倍",
     "month-to-month change of a carrier's quantity over {t}x", "review heuristic (issue 12)"),
]

TABLES = [
    """CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS packages (
        package_id INTEGER PRIMARY KEY, sha256 VARCHAR NOT NULL UNIQUE, file VARCHAR NOT NULL, size BIGINT,
        loaded_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
        status VARCHAR NOT NULL CHECK (status IN ('accepted', 'rejected')),
        valid BOOLEAN NOT NULL, trusted BOOLEAN, signer VARCHAR, signer_organization VARCHAR,
        signer_fingerprint VARCHAR, signer_uscc VARCHAR, signer_status VARCHAR, signed_at VARCHAR,
        signed_at_source VARCHAR, reasons VARCHAR[] NOT NULL, data_format VARCHAR, manifest_format VARCHAR,
        factory_key VARCHAR, factory_name VARCHAR, factory_uscc VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS factories (
        factory_key VARCHAR PRIMARY KEY, uscc VARCHAR, name VARCHAR, industry_code VARCHAR,
        industry_class VARCHAR, industry_name VARCHAR, province VARCHAR, city VARCHAR, district VARCHAR,
        last_package_id INTEGER)""",
    """CREATE TABLE IF NOT EXISTS assessments (
        package_id INTEGER PRIMARY KEY, factory_key VARCHAR NOT NULL, factory_name VARCHAR, year INTEGER,
        scheme_id VARCHAR, scheme_version VARCHAR, assessment_status VARCHAR, generated_at VARCHAR,
        app_version VARCHAR, industry_code VARCHAR, industry_class VARCHAR, province VARCHAR, city VARCHAR,
        total DOUBLE, max DOUBLE, percent DOUBLE, qualified BOOLEAN, grade VARCHAR, grade_label VARCHAR,
        energy_tce DOUBLE, co2_t DOUBLE, renewable_share_pct DOUBLE, output_value_wan_yuan DOUBLE)""",
    """CREATE TABLE IF NOT EXISTS indicators (
        package_id INTEGER NOT NULL, indicator_id VARCHAR NOT NULL, section VARCHAR, title VARCHAR,
        kind VARCHAR, value DOUBLE, unit VARCHAR, points DOUBLE, max DOUBLE, state VARCHAR,
        applicable BOOLEAN, provenance VARCHAR, PRIMARY KEY (package_id, indicator_id))""",
    """CREATE TABLE IF NOT EXISTS carriers_by_month (
        package_id INTEGER NOT NULL, carrier VARCHAR NOT NULL, name VARCHAR, unit VARCHAR, renewable BOOLEAN,
        month VARCHAR NOT NULL, quantity DOUBLE, tce DOUBLE, co2_t DOUBLE,
        PRIMARY KEY (package_id, carrier, month))""",
    """CREATE TABLE IF NOT EXISTS evidence (
        package_id INTEGER NOT NULL, name VARCHAR NOT NULL, original_name VARCHAR, kind VARCHAR,
        item_id VARCHAR, size BIGINT, sha256 VARCHAR, ok BOOLEAN)""",
    """CREATE TABLE IF NOT EXISTS outlier_rules (
        rule VARCHAR PRIMARY KEY, threshold DOUBLE NOT NULL, text_zh VARCHAR, text_en VARCHAR, basis VARCHAR)""",
    # The signer's certificate of each package (for trusting it from the window, the file may have moved).
    """CREATE TABLE IF NOT EXISTS package_certificates (
        package_id INTEGER PRIMARY KEY, fingerprint VARCHAR NOT NULL, certificate_pem VARCHAR NOT NULL)""",
    # The reviewer's 审核备注 (greendesk.core.review.notes): appended, never updated; a later note on the
    # same package and indicator names the one it replaces.
    """CREATE TABLE IF NOT EXISTS review_notes (
        note_id INTEGER PRIMARY KEY, package_sha256 VARCHAR NOT NULL, indicator_id VARCHAR NOT NULL,
        old_value DOUBLE, new_value DOUBLE, unit VARCHAR, reason VARCHAR NOT NULL, reviewer VARCHAR NOT NULL,
        noted_at TIMESTAMPTZ NOT NULL, replaces INTEGER)""",
]

VIEWS = {
    "v_current": """
        SELECT a.* FROM assessments a JOIN packages p USING (package_id)
        WHERE p.status = 'accepted'
        QUALIFY row_number() OVER (PARTITION BY a.factory_key, a.year, a.scheme_id
                                   ORDER BY a.generated_at DESC, a.package_id DESC) = 1""",
    "v_indicator_peers": """
        SELECT c.year, c.scheme_id, c.industry_class, c.province, i.indicator_id, i.title, i.unit,
               c.factory_key, c.factory_name, c.package_id, i.value, i.points, i.max,
               count(*) OVER w AS peer_n,
               rank() OVER (w ORDER BY i.value) AS rank_by_value,
               rank() OVER (w ORDER BY i.points DESC) AS rank_by_points,
               quantile_cont(i.value, 0.25) OVER w AS q1,
               median(i.value) OVER w AS median,
               quantile_cont(i.value, 0.75) OVER w AS q3,
               median(i.value) OVER (w ORDER BY i.value ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                                     EXCLUDE CURRENT ROW) AS others_median
        FROM v_current c JOIN indicators i USING (package_id)
        WHERE i.value IS NOT NULL AND isfinite(i.value)
        WINDOW w AS (PARTITION BY c.year, c.scheme_id, c.industry_class, c.province, i.indicator_id)""",
    "v_monthly": """
        SELECT *, CASE WHEN quantity > 0 AND previous > 0 THEN quantity / previous END AS ratio
        FROM (SELECT c.year, c.factory_key, c.factory_name, c.package_id, m.carrier, m.name, m.unit, m.month,
                     m.quantity,
                     lag(m.quantity) OVER (PARTITION BY m.package_id, m.carrier ORDER BY m.month) AS previous
              FROM v_current c JOIN carriers_by_month m USING (package_id))""",
    "v_outliers": """
        SELECT o.*, replace(r.text_zh, '{t}', regexp_replace(CAST(r.threshold AS VARCHAR), '\\.0$', '')) AS text_zh,
               replace(r.text_en, '{t}', regexp_replace(CAST(r.threshold AS VARCHAR), '\\.0$', '')) AS text_en
        FROM (SELECT p.package_id, p.factory_key, p.factory_name, p.year, r.rule, p.indicator_id AS subject,
               p.value, p.others_median AS reference, p.value / p.others_median AS ratio, p.unit
        FROM v_indicator_peers p JOIN outlier_rules r ON r.rule = 'energy_intensity_vs_peers'
        WHERE (p.unit LIKE 'kgce/%' OR p.unit LIKE 'tce/%') AND p.others_median > 0
              AND p.value > r.threshold * p.others_median
        UNION ALL
        SELECT c.package_id, c.factory_key, c.factory_name, c.year, r.rule, i.indicator_id, i.value,
               r.threshold, NULL, i.unit
        FROM v_current c JOIN indicators i USING (package_id) JOIN outlier_rules r
             ON r.rule = 'renewable_share_over_limit'
        WHERE i.indicator_id LIKE '%renewable%' AND i.unit = '%' AND i.value > r.threshold
        UNION ALL
        SELECT m.package_id, m.factory_key, m.factory_name, m.year, r.rule, coalesce(m.name, m.carrier) || ' ' || m.month,
               m.quantity, m.previous, m.ratio, m.unit
        FROM v_monthly m JOIN outlier_rules r ON r.rule = 'monthly_jump'
        WHERE m.ratio > r.threshold OR m.ratio < 1 / r.threshold) o JOIN outlier_rules r USING (rule)""",
    "v_notes": """
        SELECT n.note_id, n.package_sha256, p.package_id, p.file, coalesce(a.factory_name, p.factory_name) AS factory_name,
               a.year, n.indicator_id, i.title, coalesce(n.unit, i.unit) AS unit, n.old_value, n.new_value, n.reason,
               n.reviewer, n.noted_at, n.replaces,
               row_number() OVER (PARTITION BY n.package_sha256, n.indicator_id ORDER BY n.note_id DESC) = 1 AS current,
               count(*) OVER (PARTITION BY n.package_sha256, n.indicator_id) AS versions
        FROM review_notes n LEFT JOIN packages p ON p.sha256 = n.package_sha256
             LEFT JOIN assessments a ON a.package_id = p.package_id
             LEFT JOIN indicators i ON i.package_id = p.package_id AND i.indicator_id = n.indicator_id""",
    "v_packages": """
        SELECT p.package_id, p.file, p.status, p.valid, p.trusted, p.signer_status, p.signer,
               p.signer_fingerprint, p.signed_at, coalesce(a.factory_name, p.factory_name) AS factory_name,
               coalesce(a.factory_key, p.factory_key) AS factory_key, a.year, a.scheme_id, a.industry_class,
               a.province, a.total, a.max, a.grade, a.qualified,
               coalesce(f.flags, 0) AS flags, array_to_string(p.reasons, '; ') AS reasons, p.sha256,
               coalesce(nn.notes, 0) AS notes
        FROM packages p LEFT JOIN assessments a USING (package_id)
             LEFT JOIN (SELECT package_id, count(*) AS flags FROM v_outliers GROUP BY package_id) f USING (package_id)
             LEFT JOIN (SELECT package_sha256 AS sha256, count(DISTINCT indicator_id) AS notes FROM review_notes
                        GROUP BY package_sha256) nn USING (sha256)""",
}

# What the summary workbook shows: view, sheet name (zh, en), columns with headers (zh, en).
SHEETS = [
    ("v_packages", ("材料包", "Packages"), [
        ("package_id", "编号", "No."), ("file", "文件", "File"), ("status", "审核状态", "Status"),
        ("signer_status", "签名人", "Signer on record"), ("signer", "签名人名称", "Signer"),
        ("signed_at", "签名时间", "Signed at"), ("factory_name", "工厂", "Factory"), ("year", "年度", "Year"),
        ("industry_class", "行业小类", "Industry class"), ("province", "省份", "Province"),
        ("total", "得分", "Score"), ("max", "满分", "Max"), ("grade", "等级", "Grade"),
        ("flags", "异常数", "Flags"), ("reasons", "未通过原因", "Reasons"), ("sha256", "SHA-256", "SHA-256")]),
    ("v_indicator_peers", ("指标对比", "Indicators vs peers"), [
        ("indicator_id", "指标", "Indicator"), ("title", "名称", "Title"), ("unit", "单位", "Unit"),
        ("year", "年度", "Year"), ("industry_class", "行业小类", "Industry class"), ("province", "省份", "Province"),
        ("factory_name", "工厂", "Factory"), ("value", "指标值", "Value"), ("points", "得分", "Points"),
        ("max", "满分", "Max"), ("peer_n", "同组工厂数", "Peers"), ("rank_by_value", "按值排名", "Rank by value"),
        ("rank_by_points", "按得分排名", "Rank by points"), ("q1", "下四分位数", "Q1"), ("median", "中位数", "Median"),
        ("q3", "上四分位数", "Q3"), ("others_median", "其他工厂中位数", "Median of the others")]),
    ("v_outliers", ("异常", "Outliers"), [
        ("factory_name", "工厂", "Factory"), ("year", "年度", "Year"), ("text", "异常说明", "What looks wrong"),
        ("subject", "对象", "Subject"), ("value", "值", "Value"), ("reference", "参照值", "Reference"),
        ("ratio", "倍数", "Ratio"), ("unit", "单位", "Unit"), ("rule", "规则", "Rule"),
        ("package_id", "材料包编号", "Package")]),
    ("v_notes", ("审核备注", "Review notes"), [
        ("note_id", "备注编号", "Note"), ("factory_name", "工厂", "Factory"), ("year", "年度", "Year"),
        ("indicator_id", "指标", "Indicator"), ("title", "名称", "Title"), ("unit", "单位", "Unit"),
        ("old_value", "申报值", "Declared"), ("new_value", "审核值", "Reviewed"), ("reason", "理由", "Reason"),
        ("reviewer", "审核人", "Reviewer"), ("noted_at", "时间", "Time"), ("current", "当前", "Current"),
        ("replaces", "替换备注", "Replaces"), ("package_id", "材料包编号", "Package"),
        ("package_sha256", "材料包 SHA-256", "Package SHA-256")]),
    ("v_monthly", ("月度用能", "Monthly energy"), [
        ("factory_name", "工厂", "Factory"), ("year", "年度", "Year"), ("carrier", "能源品种", "Carrier"),
        ("name", "名称", "Name"), ("unit", "单位", "Unit"), ("month", "月份", "Month"),
        ("quantity", "用量", "Quantity"), ("previous", "上月", "Previous month"), ("ratio", "环比倍数", "Ratio"),
        ("package_id", "材料包编号", "Package")]),
]


_SCHEMA_HASH = hashlib.sha256(repr((TABLES, VIEWS, OUTLIER_RULES)).encode()).hexdigest()[:16]


def default_db_path() -> Path:
    """The reviewer's own database, beside the store of known signers (the settings folder)."""
    from greendesk.core.package.trust import store_path

    folder = store_path().parent
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "review.duckdb"


def connect(db_path: str | Path | None):
    """Open (or create) the review database; ``None`` is an in-memory one. Tables and views are (re)made."""
    import duckdb

    target = ":memory:" if db_path is None else str(db_path)
    if db_path is not None:
        p = Path(db_path)
        if p.is_dir():
            raise UserError(f"{p} 是文件夹，请给出数据库文件名。", f"{p} is a folder; give a database file name.")
        if p.exists() and p.stat().st_size and not _looks_like_duckdb(p):
            raise UserError(f"{p} 不是审核数据库（DuckDB 文件），不会改动它。",
                            f"{p} is not a review database (DuckDB file); it was left untouched.")
    try:
        con = duckdb.connect(target)
    except duckdb.IOException as e:
        raise UserError(f"无法打开审核数据库 {target}：{e}", f"Cannot open the review database {target}: {e}") from e
    try:   # set up already, by this version of the tables and views: nothing to write
        row = con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is not None and row[0] == _SCHEMA_HASH:
            return con
    except duckdb.CatalogException:
        pass
    for ddl in TABLES:
        con.execute(ddl)
    row = con.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    if row is None:
        con.execute("INSERT INTO meta VALUES ('format', ?)", [DB_FORMAT])
    elif row[0] != DB_FORMAT:
        con.close()
        raise UserError(f"审核数据库 {target} 的版本为 {row[0]}，本版本 GreenDesk 使用 {DB_FORMAT}。",
                        f"The review database {target} is {row[0]}; this GreenDesk uses {DB_FORMAT}.")
    for rule in OUTLIER_RULES:
        con.execute("INSERT INTO outlier_rules VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", list(rule))
    for name, sql in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", [_SCHEMA_HASH])
    return con


def _looks_like_duckdb(p: Path) -> bool:
    with p.open("rb") as f:
        head = f.read(16)
    return head[8:12] == b"DUCK"


def known_hashes(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT sha256 FROM packages").fetchall()}


_TYPES: dict[str, list[str]] = {}


def insert_rows(con, table: str, rows: list[tuple]) -> None:
    """Many rows in one statement: one typed list per column, unnested (DuckDB binds a few large parameters
    much faster than many small ones; executemany runs row by row)."""
    if not rows:
        return
    types = _TYPES.get(table)
    if types is None:
        types = _TYPES[table] = [r[1] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    columns = [list(c) for c in zip(*rows, strict=True)]
    select = ", ".join(f"unnest(${i + 1}::{ty}[])" for i, ty in enumerate(types))
    con.execute(f"INSERT INTO {table} SELECT {select}", columns)
