"""The MIIT self-evaluation template's basic-information fields that came with workspace schema 4.

The 附件2-1 template's 基本信息表 asks for 注册机关, 成立日期, 注册资本, 营业期限 (有效期), 邮编,
申报工作联系部门, 手机 and 传真 besides the name, credit code, address, legal representative and
contact (shared/domain/public-facts-2026.md §3.2 item 8, a copy of the template at
https://www.igat.cn/wenku/rscag/rLjb6lnlLp [secondary]). Each field here has its Chinese label (as the
template words it), an English label and a check; :func:`clean` is called by
``Workspace._clean_factory``.
"""

from __future__ import annotations

import datetime as _dt
import re

from greendesk.core.errors import UserError

# key: (zh label, en label)
TEMPLATE_FIELDS: dict[str, tuple[str, str]] = {
    "registration_authority": ("注册机关", "Registration authority"),
    "established_on": ("成立日期", "Date of establishment"),
    "registered_capital": ("注册资本", "Registered capital"),
    "business_term": ("营业期限", "Business term"),
    "postcode": ("邮编", "Postcode"),
    "contact_department": ("申报工作联系部门", "Department handling the application"),
    "contact_mobile": ("手机", "Mobile phone"),
    "contact_fax": ("传真", "Fax"),
}

# every profile field with its labels (the older ones too), for `greendesk factory --set` and the app
ALL_LABELS: dict[str, tuple[str, str]] = {
    "name": ("单位名称", "Name"), "uscc": ("统一社会信用代码", "Unified social credit code"),
    "industry_code": ("所属行业代码", "Industry code"), "industry_name": ("所属行业", "Industry"),
    "province": ("省", "Province"), "city": ("市", "City"), "district": ("区县", "District"),
    "address": ("地址", "Address"), "land_area_m2": ("用地面积（m²）", "Land area (m²)"),
    "legal_rep": ("法定代表人", "Legal representative"), "contact_name": ("联系人", "Contact person"),
    "contact_phone": ("联系电话", "Telephone"), "contact_email": ("电子邮箱", "E-mail"),
    "ownership": ("所有制性质", "Ownership"), "description": ("单位简介", "Brief description"),
    **TEMPLATE_FIELDS,
}

_POSTCODE = re.compile(r"^\d{6}$")
_MOBILE = re.compile(r"^1\d{10}$")
_PHONE = re.compile(r"^[0-9+()\-\s转/]{5,40}$")


def _label(key: str) -> tuple[str, str]:
    return ALL_LABELS.get(key, (key, key))


def clean(out: dict) -> dict:
    """Check and normalise the template fields present in ``out`` (in place; empty text stays empty)."""
    for key in TEMPLATE_FIELDS:
        if key not in out or out[key] is None:
            continue
        v = str(out[key]).strip()
        out[key] = v
        if not v:
            continue
        zh, en = _label(key)
        if key == "postcode" and not _POSTCODE.match(v):
            raise UserError(f"{zh}应为 6 位数字（如 400000），而不是“{v}”。", f"{en} must be 6 digits (e.g. 400000), not '{v}'.")
        if key == "established_on":
            try:
                d = _dt.date.fromisoformat(v.replace("/", "-"))
            except ValueError:
                raise UserError(f"{zh}应为日期 YYYY-MM-DD（如 2005-03-01），而不是“{v}”。",
                                f"{en} must be a date YYYY-MM-DD (e.g. 2005-03-01), not '{v}'.") from None
            if not (1900 <= d.year <= _dt.date.today().year):
                raise UserError(f"{zh} {v} 不合理。", f"{en} {v} is not plausible.")
            out[key] = d.isoformat()
        if key == "contact_mobile":
            digits = re.sub(r"[\s\-]", "", v)
            digits = digits[3:] if digits.startswith("+86") else digits
            if not _MOBILE.match(digits):
                raise UserError(f"{zh}应为 11 位手机号码（1 开头），而不是“{v}”。",
                                f"{en} must be an 11-digit mobile number starting with 1, not '{v}'.")
            out[key] = digits
        if key == "contact_fax" and not _PHONE.match(v):
            raise UserError(f"{zh}“{v}”不是电话号码（只能有数字、空格、-、+、括号）。",
                            f"{en} '{v}' is not a telephone number (digits, spaces, -, +, brackets only).")
        if len(v) > 200:
            raise UserError(f"{zh}过长（最多 200 字）。", f"{en} is too long (200 characters at most).")
    return out
