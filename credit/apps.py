from django.apps import AppConfig
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "credit"
    verbose_name = _("Rotating credit fund")

    def ready(self):
        """Registration only: the menu, the borrower's timeline, the fund statement's PDF."""
        from clients.timeline import register_timeline_source
        from core.navigation import NavItem, WorkPanel, register_menu, register_panel
        from core.reminders import register_reminder_source
        from core.reports import ReportKind, register_report

        from . import selectors
        from .permissions import policy

        register_menu(
            NavItem(_("Credit"), "credit:loan_list", icon="cash-coin", permission=(policy, "loan_view"), order=40)
        )
        register_menu(
            NavItem(_("Fund position"), "credit:fund_position", icon="bank", permission=(policy, "fund_view"), order=42)
        )
        register_menu(
            NavItem(
                _("Loan simulator"), "credit:simulator", icon="calculator", permission=(policy, "simulate"), order=41
            )
        )
        register_panel(
            "credit.officer_work",
            WorkPanel(
                _("Loans to follow up: due this week or in arrears"),
                selectors.officer_work_panel,
                permission=(policy, "work_panel_view"),
                order=40,
            ),
        )
        register_timeline_source("credit.loans", selectors.timeline_loans)
        register_reminder_source("credit.instalment_due", selectors.instalment_reminders)
        register_reminder_source(
            "credit.instalment_overdue", lambda today: selectors.instalment_reminders(today, overdue=True)
        )
        register_report(
            ReportKind(
                key="credit.fund_statement",
                title=_("End-of-fund statement (PDF)"),
                get_object=selectors.statement_operator,
                template="credit/pdf/fund_statement.html",
                context=selectors.statement_document,
                clean_parameters=selectors.statement_parameters,
                filename=lambda operator: f"balance-fondo-{slugify(operator.name)}.pdf",
            )
        )
        from clients.privacy import PersonalDataSource, register_personal_data_source

        from . import privacy

        register_personal_data_source(PersonalDataSource("credit", privacy.personal_data))
        register_report(
            ReportKind(
                key="credit.schedule",
                title=_("Repayment schedule (PDF)"),
                get_object=selectors.printable_loan,
                template="credit/pdf/schedule.html",
                context=selectors.loan_document,
                filename=lambda loan: f"cronograma-{loan.code}.pdf",
            )
        )
        register_report(
            ReportKind(
                key="credit.statement",
                title=_("Loan statement (PDF)"),
                get_object=selectors.printable_loan,
                template="credit/pdf/statement.html",
                context=selectors.loan_document,
                filename=lambda loan: f"estado-de-cuenta-{loan.code}.pdf",
            )
        )
