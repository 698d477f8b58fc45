"""Vouchers: issued by a programme, redeemed once by what they pay for, released when it is cancelled."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import visible_centres
from core.exceptions import DomainError
from core.money import to_money

from ..models import Voucher, VoucherProgramme
from ..permissions import policy


def normalise_code(code: str) -> str:
    return (code or "").strip().upper()


@transaction.atomic
def programme_create(*, user, centre, name: str, funder: str = "") -> VoucherProgramme:
    policy.check(user, "voucher_issue")
    if not visible_centres(user).filter(pk=centre.pk).exists():
        raise DomainError(_("You do not work with that centre."), field="centre")
    programme, _created = VoucherProgramme.objects.get_or_create(
        centre=centre, name=name.strip(), defaults={"funder": funder.strip()}
    )
    return programme


@transaction.atomic
def voucher_issue(
    *,
    user,
    programme: VoucherProgramme,
    code: str,
    amount: Decimal,
    valid_from: datetime.date,
    valid_until: datetime.date,
    holder_company=None,
    holder_entrepreneur=None,
) -> Voucher:
    """Issue a voucher of a programme to a company or a person."""
    policy.check(user, "voucher_issue", programme)
    if not visible_centres(user).filter(pk=programme.centre_id).exists():
        raise DomainError(_("You do not work with that centre."), field="programme")
    code = normalise_code(code)
    if not code:
        raise DomainError(_("A voucher needs its code."), field="code")
    if Voucher.objects.filter(code=code).exists():
        raise DomainError(_("The voucher %(code)s already exists.") % {"code": code}, field="code")
    amount = to_money(amount)
    if amount <= 0:
        raise DomainError(_("The amount must be greater than zero."), field="amount")
    if valid_until < valid_from:
        raise DomainError(_("A voucher cannot expire before it becomes valid."), field="valid_until")
    if (holder_company is None) == (holder_entrepreneur is None):
        raise DomainError(_("A voucher is held by one company or one person."), field="holder_company")
    return Voucher.objects.create(
        programme=programme,
        centre_id=programme.centre_id,
        code=code,
        amount=amount,
        valid_from=valid_from,
        valid_until=valid_until,
        holder_company=holder_company,
        holder_entrepreneur=holder_entrepreneur,
    )


def _locked(code: str) -> Voucher:
    try:
        # The row lock makes two redemptions of one code at the same moment wait for each other:
        # the second sees the first's redemption and is refused.
        return Voucher.objects.select_for_update().get(code=code)
    except Voucher.DoesNotExist:
        raise DomainError(
            _("There is no voucher with the code %(code)s.") % {"code": code}, field="voucher_code"
        ) from None


def _held_by(voucher: Voucher, *, company=None, entrepreneur=None) -> bool:
    """Whether the company or person the caller names may use the voucher (no one named: anybody)."""
    if entrepreneur is not None:
        return voucher.holder_entrepreneur_id == entrepreneur.pk or (
            voucher.holder_company_id is not None and voucher.holder_company_id == entrepreneur.company_id
        )
    if company is not None:
        if voucher.holder_company_id is not None:
            return voucher.holder_company_id == company.pk
        return voucher.holder_entrepreneur.company_id == company.pk
    return True


@transaction.atomic
def voucher_redeem(
    *,
    user,
    code: str,
    amount: Decimal,
    reference: str,
    cost: Decimal | None = None,
    on: datetime.date | None = None,
    company=None,
    entrepreneur=None,
) -> Voucher:
    """Redeem a voucher for ``amount`` against what ``reference`` names ("assistance.fundingline:12").

    Once only, within its validity, for no more than its amount nor than ``cost`` (what is
    left to pay), and, when the caller names whose service or enrolment it pays, only by
    its holder. Concurrency-safe: the voucher's row is locked.
    """
    policy.check(user, "voucher_redeem")
    code = normalise_code(code)
    if not code:
        raise DomainError(_("A BonoPyME voucher needs its code."), field="voucher_code")
    on = on or timezone.localdate()
    amount = to_money(amount)
    voucher = _locked(code)
    if not visible_centres(user).filter(pk=voucher.centre_id).exists():
        raise DomainError(_("There is no voucher with the code %(code)s.") % {"code": code}, field="voucher_code")
    if voucher.status == Voucher.Status.CANCELLED:
        raise DomainError(_("The voucher %(code)s was cancelled.") % {"code": code}, field="voucher_code")
    if voucher.status == Voucher.Status.REDEEMED:
        raise DomainError(_("The voucher %(code)s was already used.") % {"code": code}, field="voucher_code")
    if on < voucher.valid_from:
        raise DomainError(
            _("The voucher %(code)s is valid from %(date)s.")
            % {"code": code, "date": f"{voucher.valid_from:%d/%m/%Y}"},
            field="voucher_code",
        )
    if voucher.is_expired(on):
        raise DomainError(
            _("The voucher %(code)s expired on %(date)s.") % {"code": code, "date": f"{voucher.valid_until:%d/%m/%Y}"},
            field="voucher_code",
        )
    if amount <= 0:
        raise DomainError(_("The amount must be greater than zero."), field="amount")
    if amount > voucher.amount:
        raise DomainError(
            _("The voucher %(code)s is worth S/ %(worth)s; it cannot pay S/ %(amount)s.")
            % {"code": code, "worth": f"{voucher.amount:,.2f}", "amount": f"{amount:,.2f}"},
            field="amount",
        )
    if cost is not None and amount > to_money(cost):
        raise DomainError(
            _("This amount (S/ %(amount)s) is larger than what is left to pay of the cost (S/ %(remaining)s).")
            % {"amount": f"{amount:,.2f}", "remaining": f"{to_money(cost):,.2f}"},
            field="amount",
        )
    if not _held_by(voucher, company=company, entrepreneur=entrepreneur):
        raise DomainError(
            _("The voucher %(code)s belongs to %(holder)s.") % {"code": code, "holder": voucher.holder},
            field="voucher_code",
        )
    voucher.status = Voucher.Status.REDEEMED
    voucher.redeemed_at = timezone.now()
    voucher.redeemed_amount = amount
    voucher.redeemed_for = reference
    voucher.redeemed_by = user
    voucher.save(
        update_fields=["status", "redeemed_at", "redeemed_amount", "redeemed_for", "redeemed_by", "updated_at"]
    )
    return voucher


@transaction.atomic
def voucher_release(*, user, code: str, reference: str) -> Voucher:
    """What the voucher paid was cancelled: it may be redeemed again. Only the redeeming record releases it."""
    policy.check(user, "voucher_redeem")
    voucher = _locked(normalise_code(code))
    if voucher.status != Voucher.Status.REDEEMED or voucher.redeemed_for != reference:
        return voucher  # nothing of this record to release: releasing twice does no harm
    voucher.status = Voucher.Status.AVAILABLE
    voucher.redeemed_at = None
    voucher.redeemed_amount = None
    voucher.redeemed_for = ""
    voucher.redeemed_by = None
    voucher.save(
        update_fields=["status", "redeemed_at", "redeemed_amount", "redeemed_for", "redeemed_by", "updated_at"]
    )
    return voucher
