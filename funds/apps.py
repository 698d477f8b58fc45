from django.apps import AppConfig
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "funds"
    verbose_name = _("Co-financing and competitive funds")

    def ready(self):
        """Registration only: the menu, the purchases to watch on the home page and in the daily reminders,
        the winners' resolution PDF."""
        from core.navigation import NavItem, WorkPanel, register_menu, register_panel
        from core.reminders import register_reminder_source
        from core.reports import ReportKind, register_report

        from . import selectors
        from .permissions import policy

        register_menu(
            NavItem(_("PROCOMPITE"), "funds:contest_list", icon="trophy", permission=(policy, "contest_view"), order=45)
        )
        register_menu(
            NavItem(
                _("BonoPyME vouchers"),
                "funds:voucher_list",
                icon="ticket-perforated",
                permission=(policy, "voucher_view"),
                order=46,
            )
        )
        register_panel(
            "funds.purchases_to_watch",
            WorkPanel(
                _("PROCOMPITE purchases at risk or late"),
                selectors.purchases_panel,
                permission=(policy, "purchases_panel_view"),
                order=45,
            ),
        )
        for flag in ("at_risk", "late", "over_limit"):
            register_reminder_source(
                f"funds.purchase_{flag}", lambda today, flag=flag: selectors.purchase_reminders(today, flag=flag)
            )
        register_report(
            ReportKind(
                key="funds.resolution",
                title=_("Winners' resolution (PDF)"),
                get_object=selectors.resolution_contest,
                template="funds/pdf/resolution.html",
                context=selectors.resolution_context,
                filename=lambda contest: f"resolucion-ganadores-{slugify(contest.name)}.pdf",
            )
        )
