"""Long format: a period column with meter / carrier / unit / value columns, or meter readings."""

from __future__ import annotations

from greendesk.core.meters.catalog import split_label
from greendesk.core.meters.cells import (
    DUP_FIX_EN,
    DUP_FIX_ZH,
    _empty,
    _partial,
    _txt,
    is_total,
)
from greendesk.core.meters.model import Column, Series
from greendesk.core.meters.values import NotANumber, parse_number


class LongMixin:
    """Mixed into the sheet analyser (greendesk.core.meters.detect); uses its state and helpers."""

    def long_format(self, pc: int | None, roles: dict[int, Column], by_role: dict[str, list[int]]) -> None:
        rows = self.rows
        first = {k: (v[0] if v else None) for k, v in by_role.items()}
        mc, cc, uc = first.get("meter"), first.get("carrier"), first.get("unit")
        tc = first.get("tou")
        tou_seen: set[str] = set()
        vc, prc, cuc, mulc = first.get("value"), first.get("previous"), first.get("current"), first.get("multiplier")
        readings = cuc is not None
        self.res.layout = "readings" if readings else "long"
        series: dict[tuple[str, str, str], Series] = {}
        seen: dict[tuple[str, str, str], tuple[float | None, str]] = {}
        last_reading: dict[str, tuple[float, str]] = {}
        totals: list[tuple[int, float]] = []
        vcol = roles[vc] if vc is not None else (roles[cuc] if cuc is not None else None)
        assumed_reported = False
        n_data = 0
        vmap = self.mapped(vcol.ref, vcol.label) if vcol is not None else None
        forced_carrier = vcol.carrier if vmap and vmap.get("carrier") and vcol.carrier in self.cat.carriers else None
        forced_unit = vmap.get("unit") if vmap else None
        for r in range(self.data_start, len(rows)):
            row = rows[r]
            p, tot = self._row_period(pc, r, row)
            if tot:
                if vc is not None and not _partial(row, pc):
                    try:
                        x, _ = parse_number(row[vc] if vc < len(row) else "")
                    except NotANumber:
                        x = None
                    if x is not None:
                        totals.append((r, x))
                continue
            if p is None:
                continue
            if all(_empty(v) for c, v in enumerate(row) if c != pc):
                continue
            n_data += 1

            def cell(c, row=row):
                return row[c] if c is not None and c < len(row) else ""

            meter = _txt(cell(mc)) if mc is not None else ""
            # carrier (a mapping on the value column wins over the carrier and unit columns)
            carrier = forced_carrier
            ctext = _txt(cell(cc)) if cc is not None else ""
            if ctext and carrier is None:
                carrier = self.cat.carrier(split_label(ctext)[0])
                if carrier is None:
                    self.issue("error", "unknown_carrier",
                               f"无法识别能源品种“{ctext}”。可识别的有：{self._carrier_list('zh')}。",
                               f"Unknown carrier '{ctext}'. Known carriers: {self._carrier_list('en')}.",
                               self.where(r, cc), "改为已知的能源名称，或在导入向导中指定（或写入映射文件）。",
                               "Use a known carrier name, or give it in the import wizard (or a mapping file).")
                    continue
            utext = forced_unit or (_txt(cell(uc)) if uc is not None else "")
            if not utext and vcol is not None and vcol.unit:
                utext = vcol.unit
            if not utext and ctext:
                utext = split_label(ctext)[1] or ""
            if carrier is None:
                carrier = (vcol.carrier if vcol is not None else None) or self.default_carrier
            if carrier is None and utext:
                if utext not in self._cu_memo:
                    u = self.cat.unit(utext)
                    cands = self.cat.carriers_for_unit(u) if u is not None else []
                    self._cu_memo[utext] = ("electricity" if u is not None and u.to == "kWh" else
                                            cands[0] if len(cands) == 1 else None)
                carrier = self._cu_memo[utext]
            if carrier is None and mulc is not None:
                carrier = "electricity"
                if not assumed_reported:
                    assumed_reported = True
                    self.issue("info", "carrier_assumed", "抄表记录带倍率且未写能源品种，按电力（kWh）处理。",
                               "A readings ledger with a multiplier and no carrier: taken as electricity (kWh).",
                               self.where(), "如不是电力，请在导入向导中指定（或写入映射文件）。", "If it is not electricity, give it in the import wizard (or a mapping file).")
                if not utext:
                    utext = "kWh"
            if carrier is None:
                col = vcol.header_cell if vcol is not None else self.where(r)
                self.issue("error", "unknown_carrier", "无法确定这一行的能源品种（无品种列、单位或表头提示）。",
                           "Cannot tell the carrier of this row (no carrier column, unit or header word).",
                           f"{self.ctx.file}, {col}", "增加“能源品种”列或在表头写明，或在导入向导中指定（或写入映射文件）。",
                           "Add a carrier column, name it in the header, or give it in the import wizard (or a mapping file).")
                break
            if not utext and self.default_unit is None and len(self.cat.accepted_units(carrier)) and mulc is not None:
                utext = self.cat.carriers[carrier].unit
            uf = self.unit_factor(carrier, utext or None,
                                  lambda r=r, utext=utext: self.where(r, uc) if uc is not None and utext else
                                  f"{self.ctx.file}, {vcol.header_cell if vcol else self.where(r)}")
            if uf is None:
                continue
            base, factor, written = uf
            meter = meter or (vcol.meter if vcol is not None and vcol.meter else None) or self.cat.label(carrier, "zh")
            # the value
            value = None
            vref = None
            if readings:
                cur = self._reading(row, cuc, r)
                prev = self._reading(row, prc, r) if prc is not None else None
                mult = self._reading(row, mulc, r) if mulc is not None else 1.0
                mult = 1.0 if mult is None else mult
                last = last_reading.get(meter)
                if prev is None and prc is None and last is not None:
                    prev = last[0]
                if prc is not None and prev is not None and last is not None and abs(prev - last[0]) > 1e-9:
                    self.issue("warning", "reading_chain",
                               f"表 {meter} 的起码 {prev:g} 与上一次止码 {last[0]:g}（{last[1]}）不连续：换表或录入错误？",
                               f"Meter {meter}: previous reading {prev:g} does not continue the last reading "
                               f"{last[0]:g} ({last[1]}): meter replaced, or a typing error?",
                               self.where(r, prc), "换表时请在备注中注明旧表止码。", "If the meter was replaced, note the old meter's last reading.")
                if cur is not None:
                    last_reading[meter] = (cur, self.ref(r, cuc))
                computed = None
                if cur is not None and prev is not None:
                    if cur < prev:
                        self.issue("warning", "reading_down",
                                   f"表 {meter} 的读数下降（{prev:g} → {cur:g}）：换表或翻转，未计为负用量。",
                                   f"Meter {meter}: the reading went down ({prev:g} → {cur:g}): replaced or rolled "
                                   "over; not counted as negative usage.", self.where(r, cuc),
                                   "在“用量”列填写该月实际用量。", "Enter the month's real usage in a usage column.")
                    else:
                        computed = (cur - prev) * mult
                vref = self.ref(r, cuc)
                if vc is not None:
                    try:
                        uv, _ = parse_number(cell(vc))
                    except NotANumber:
                        self.bad_cell(r, vc, cell(vc))
                        continue
                    if uv is not None:
                        value, vref = uv, self.ref(r, vc)
                        if computed is not None and abs(computed - uv) > max(0.5, abs(uv) * 0.005):
                            self.issue("warning", "usage_mismatch",
                                       f"用量 {uv:g} 与读数计算值 {computed:g}（(止码−起码)×倍率）不符，采用用量列。",
                                       f"Usage {uv:g} differs from the readings ({computed:g} = (current − previous) × "
                                       "multiplier); the usage column is used.", self.where(r, vc),
                                       "核对读数、倍率或用量。", "Check the readings, the multiplier or the usage.")
                if value is None:
                    value = computed
                if value is None:
                    continue
            else:
                v = cell(vc)
                try:
                    value, u2 = parse_number(v)
                except NotANumber:
                    self.bad_cell(r, vc, v)
                    continue
                vref = self.ref(r, vc)
                if value is None:
                    key = (meter, carrier, base)
                    s = series.get(key)
                    if s is None:
                        s = series[key] = Series(self.ctx.file, self.sheet.name, meter, carrier, base, written, factor,
                                                 roles[vc].key)
                    s.missing.setdefault(p.key(), vref)
                    continue
                if u2 is not None:
                    uf2 = self.unit_factor(carrier, u2, self.where(r, vc))
                    if uf2 is None:
                        continue
                    value = value * uf2[1] / factor
            key = (meter, carrier, base)
            s = series.get(key)
            if s is None:
                s = series[key] = Series(self.ctx.file, self.sheet.name, meter, carrier, base, written, factor,
                                         (roles[vc].key if vc is not None else roles[cuc].key))
            stamp = p.stamp or p.key()
            part = _txt(cell(tc)) if tc is not None else ""
            if part and is_total(part):
                continue        # a 合计 row beside the time-of-use rows: the parts are summed instead
            if part:
                tou_seen.add(part)
            skey = (meter, carrier, stamp, part)
            base_value = value * factor
            if skey in seen:
                pv, pref = seen[skey]
                if abs(pv - base_value) <= 1e-9 * max(1.0, abs(pv)):
                    self.issue("info", "duplicate_exact", f"{vref} 与 {pref} 完全重复（同表、同时段、同数值），只计一次。",
                               f"{vref} repeats {pref} exactly (same meter, period and value); counted once.",
                               f"{self.ctx.file}, {vref}")
                else:
                    self.issue("error", "duplicate_conflict",
                               f"表 {meter} 在 {stamp[:10]} 有两个不同的数值：{pref} 与 {vref}。",
                               f"Meter {meter} has two different values for {stamp[:10]}: {pref} and {vref}.",
                               f"{self.ctx.file}, {pref} / {vref}", DUP_FIX_ZH, DUP_FIX_EN)
                continue
            seen[skey] = (base_value, vref)
            s.add(p.key(), base_value, vref)
        self.res.data_rows = n_data
        if vcol is not None and series:
            kinds = {(x.carrier, x.unit_written) for x in series.values()}
            if len(kinds) == 1:
                vcol.carrier, vcol.unit = next(iter(kinds))
            elif len({k[0] for k in kinds}) == 1:
                vcol.carrier = next(iter(kinds))[0]
        for s in series.values():
            for mk in s.months:
                s.missing.pop(mk, None)
        self.res.series.extend(series.values())
        self.res.interval = any(n > 1 for s in series.values() for n in s.counts.values())
        if totals and len(series) == 1:
            s = next(iter(series.values()))
            for r, x in totals:
                self.check_total(x * s.factor, s.total, self.ref(r, vc), s.unit)
