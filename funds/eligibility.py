"""A business plan against its category's rules: every failing rule, named, in a sentence.

The limits are inclusive ("at least 5 %" accepts 5 %). Shares are compared exactly and
only rounded for the message, towards the side that explains the refusal (4.999 % is
shown as 4.99 %, never as 5 %).
"""

import datetime
from decimal import ROUND_DOWN, ROUND_UP, Decimal

from django.utils.translation import gettext as _

HUNDRED = Decimal(100)
BOARD = ("president", "secretary", "treasurer")


def _number(value: Decimal, rounding=ROUND_DOWN) -> str:
    """4 or 4.5 or 4.99: two decimals at most, no trailing zeros."""
    text = f"{Decimal(value).quantize(Decimal('0.01'), rounding=rounding):,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _money(value: Decimal) -> str:
    return f"{Decimal(value):,.2f}"


def share(part: Decimal, total: Decimal) -> Decimal:
    return (part * HUNDRED / total) if total else Decimal(0)


def problems(plan, *, on: datetime.date, members: int | None = None) -> list[str]:
    """Why ``plan`` is not eligible on ``on`` (empty: it is)."""
    category, aeo, contest = plan.category, plan.aeo, plan.contest
    code = category.code
    found: list[str] = []
    if members is None:
        members = aeo.members.count()

    if contest.chains.exists() and not contest.chains.filter(pk=plan.chain_id).exists():
        found.append(_("The productive chain %(chain)s is not prioritised by this contest.") % {"chain": plan.chain})
    zones = [z.casefold() for z in contest.zone_list]
    if zones and aeo.district.province.casefold() not in zones:
        found.append(
            _("The province %(province)s is not a prioritised zone of this contest.")
            % {"province": aeo.district.province}
        )

    if aeo.kind == "natural":
        roles = set(aeo.members.exclude(board_role="member").values_list("board_role", flat=True))
        labels = {"president": _("president"), "secretary": _("secretary"), "treasurer": _("treasurer")}
        for role in BOARD:
            if role not in roles:
                found.append(_("The AEO's board has no %(role)s.") % {"role": labels[role]})
        if not aeo.minutes:
            found.append(_("The certified minutes of constitution of the AEO are missing."))

    if category.legal_person_only and aeo.kind != "legal":
        found.append(
            _("Category %(code)s is for legal persons; this AEO is a group of natural persons.") % {"code": code}
        )
    if category.min_members is not None and members < category.min_members:
        found.append(
            _("The AEO has %(value)s members; category %(code)s requires at least %(limit)s.")
            % {"value": members, "code": code, "limit": category.min_members}
        )
    if category.min_years is not None:
        years = aeo.years_of_existence(on)
        if years is None:
            found.append(
                _(
                    "The AEO's date of constitution is missing; "
                    "category %(code)s requires at least %(limit)s years of existence."
                )
                % {"code": code, "limit": category.min_years}
            )
        elif years < category.min_years:
            found.append(
                _("The AEO has %(value)s years of existence; category %(code)s requires at least %(limit)s.")
                % {"value": years, "code": code, "limit": category.min_years}
            )
    if category.min_sales_uit is not None or category.max_sales_uit is not None:
        if aeo.annual_sales is None:
            found.append(
                _("The AEO's annual sales are missing; category %(code)s sets limits in UIT.") % {"code": code}
            )
        else:
            uit = aeo.annual_sales / contest.uit_value
            if category.min_sales_uit is not None and uit < category.min_sales_uit:
                found.append(
                    _("The annual sales are %(value)s UIT; category %(code)s requires at least %(limit)s UIT.")
                    % {"value": _number(uit), "code": code, "limit": _number(category.min_sales_uit)}
                )
            if category.max_sales_uit is not None and uit > category.max_sales_uit:
                found.append(
                    _("The annual sales are %(value)s UIT; category %(code)s allows at most %(limit)s UIT.")
                    % {"value": _number(uit, ROUND_UP), "code": code, "limit": _number(category.max_sales_uit)}
                )

    total = plan.total_investment
    if not total:
        found.append(_("The plan has no investment lines yet."))
        return found
    public = plan.public_amount
    if public < category.min_cofinancing:
        found.append(
            _("The co-financing requested is S/ %(value)s; category %(code)s requires at least S/ %(limit)s.")
            % {"value": _money(public), "code": code, "limit": _money(category.min_cofinancing)}
        )
    if public > category.max_cofinancing:
        found.append(
            _("The co-financing requested is S/ %(value)s; category %(code)s allows at most S/ %(limit)s.")
            % {"value": _money(public), "code": code, "limit": _money(category.max_cofinancing)}
        )
    counterpart = share(plan.counterpart_money + plan.counterpart_in_kind, total)
    if counterpart < category.min_counterpart_share:
        found.append(
            _("The counterpart is %(value)s %%; category %(code)s requires at least %(limit)s %%.")
            % {"value": _number(counterpart), "code": code, "limit": _number(category.min_counterpart_share)}
        )
    monetary = share(plan.counterpart_money, total)
    if monetary < category.min_monetary_share:
        found.append(
            _("The monetary counterpart is %(value)s %%; category %(code)s requires at least %(limit)s %%.")
            % {"value": _number(monetary), "code": code, "limit": _number(category.min_monetary_share)}
        )
    public_share = share(public, total)
    if public_share > category.max_public_share:
        found.append(
            _("The public co-financing is %(value)s %%; category %(code)s allows at most %(limit)s %%.")
            % {"value": _number(public_share, ROUND_UP), "code": code, "limit": _number(category.max_public_share)}
        )
    return found
