"""The accountant's workbook: six sheets for a period, streamed from batched queries in write-only mode."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from sqlalchemy import func, select, tuple_

from erp.accounting.chart import Chart, load_chart
from erp.accounting.entries import METHOD_NAMES, entries
from erp.accounting.ledger import BATCH, Document, fiscal_segments, last_sequence, validated
from erp.accounting.sheets import Column, Sheet
from erp.catalog.models import VAT_RATES
from erp.clients.models import Client
from erp.extensions import db
from erp.funding.models import Resource
from erp.funding.monitor import figures
from erp.invoicing.models import Invoice, InvoiceKind, JournalEntry, Payment
from erp.jobs.costing import costings_in_batches, count_opened
from erp.money import ZERO
from erp.settings.models import FiscalYear

SHEETS = ("Journal des ventes", "Écritures", "Règlements", "Autres ressources", "Coûts par OF", "Autofinancement")
STATUS_NAMES = {"issued": "Émise", "partly_paid": "Partiellement payée", "paid": "Payée",
                "cancelled": "Annulée par avoir", "draft": "Brouillon"}
JOB_STATUS_NAMES = {"planned": "Planifié", "in_progress": "En cours", "done": "Terminé", "delivered": "Livré",
                    "invoiced": "Facturé", "cancelled": "Annulé"}
JOB_KIND_NAMES = {"fabrication": "Fabrication", "service": "Service", "internal": "Travaux internes"}
RESOURCE_NAMES = {"donation": "Don", "patronage": "Mécénat", "sponsorship": "Parrainage",
                  "apprenticeship_tax": "Taxe d’apprentissage", "subsidy": "Subvention"}
FUNDER_NAMES = {"individual": "Particulier", "company": "Entreprise", "region": "Région",
                "department": "Département", "state": "État", "town": "Commune", "other": "Autre"}
RATES = list(VAT_RATES)


def _rate_name(rate: Decimal) -> str:
    return f"{rate.normalize():f}".replace(".", ",") + " %"


@dataclass
class Progress:
    """Rows written out of rows to write, reported to a callback after each batch."""

    total: int
    report: Callable[[int, int], None] | None = None
    done: int = 0

    def add(self, rows: int) -> None:
        self.done += rows
        if self.report is not None:
            self.report(self.done, self.total)


def count_rows(start: date, end: date, upto: int) -> int:
    """Roughly how many rows the workbook will hold, for the progress bar."""
    documents = db.session.scalar(select(func.count(Invoice.id)).where(
        Invoice.number.is_not(None), Invoice.issue_date.between(start, end)))
    payments = db.session.scalar(select(func.count(Payment.id)).where(Payment.day.between(start, end)))
    resources = db.session.scalar(select(func.count(Resource.id)).where(Resource.day.between(start, end)))
    # documents appear in the sales journal and in the entries, payments in the entries and their own sheet
    return 2 * documents + 2 * payments + resources + count_opened(start, end) + 1


def _sales_journal(book, start: date, end: date, upto: int, progress: Progress) -> Sheet:
    columns = [Column("Date", 11, "date"), Column("Numéro", 15), Column("Type", 16), Column("Client", 30),
               Column("SIREN client", 11), Column("Section", 16),
               *(Column(f"HT {_rate_name(rate)}", 13, "money") for rate in RATES),
               *(Column(f"TVA {_rate_name(rate)}", 12, "money") for rate in RATES if rate),
               Column("Total HT", 14, "money"), Column("Total TVA", 13, "money"), Column("Total TTC", 14, "money"),
               Column("Acomptes déduits TTC", 14, "money"), Column("Net à payer", 14, "money"),
               Column("CA de production HT", 14, "money"), Column("Payé", 13, "money"),
               Column("Reste dû", 13, "money"), Column("Statut", 18), Column("Facture d’origine", 15)]
    sheet = Sheet(book, SHEETS[0], columns)
    for batch in validated(start, end, upto, with_payments=False):
        for document in batch:
            sheet.row(_sales_row(document))
        progress.add(len(batch))
    sheet.close()
    return sheet


def _sales_row(document: Document) -> list:
    sign = document.sign
    nets = [sign * document.by_rate.get(rate, (ZERO, ZERO))[0] for rate in RATES]
    vats = [sign * document.by_rate.get(rate, (ZERO, ZERO))[1] for rate in RATES if rate]
    is_credit = document.kind is InvoiceKind.CREDIT_NOTE
    return [document.issue_date, document.number, document.kind.title, document.client_name, document.client_siren,
            document.section_name, *nets, *vats, sign * document.total_net, sign * document.total_vat,
            sign * document.total_gross, -document.deposits_gross, sign * document.amount_due, document.revenue_net,
            ZERO if is_credit else document.paid_amount, ZERO if is_credit else document.balance,
            "Avoir émis" if is_credit else STATUS_NAMES[document.status.value], document.credited_number]


def _entries_sheet(book, chart: Chart, start: date, end: date, upto: int, progress: Progress) -> Sheet:
    columns = [Column("Journal", 8), Column("Libellé journal", 12), Column("Date", 11, "date"),
               Column("N° d’écriture", 15), Column("Compte", 10), Column("Libellé du compte", 28),
               Column("Compte client", 10), Column("Nom du client", 28), Column("Pièce", 15),
               Column("Date de pièce", 11, "date"), Column("Libellé", 44), Column("Débit", 14, "money"),
               Column("Crédit", 14, "money")]
    sheet = Sheet(book, SHEETS[1], columns)
    for batch in entries(chart, start, end, upto):
        for entry in batch:
            for line in entry.lines:
                sheet.row([entry.journal.code, entry.journal.label, entry.day, entry.number, line.account.number,
                           line.account.label, line.aux_number, line.aux_label, entry.piece, entry.piece_date,
                           entry.label, line.debit, line.credit])
        progress.add(len(batch))
    sheet.close()
    return sheet


def _keyset_batches(query, keys):
    """The rows of a query ordered and limited on `keys`, a batch at a time, each batch after the last."""
    after = None
    while rows := db.session.execute(query.where(tuple_(*keys) > tuple_(*after)) if after else query).all():
        yield rows
        after = rows[-1][:len(keys)]


def _payments_sheet(book, start: date, end: date, upto: int, progress: Progress) -> Sheet:
    columns = [Column("Date", 11, "date"), Column("Facture", 15), Column("Client", 30), Column("Mode", 11),
               Column("Référence", 20), Column("Montant", 14, "money"), Column("Note", 30)]
    sheet = Sheet(book, SHEETS[2], columns)
    query = (select(Payment.day, Payment.id, Invoice.number, Client.name, Payment.method, Payment.reference,
                    Payment.amount, Payment.note)
             .join(Invoice, Invoice.id == Payment.invoice_id).join(Client, Client.id == Invoice.client_id)
             .join(JournalEntry, (JournalEntry.kind == "payment") & (JournalEntry.record_id == Payment.id))
             .where(Payment.day.between(start, end), JournalEntry.sequence <= upto)
             .order_by(Payment.day, Payment.id).limit(BATCH))
    for rows in _keyset_batches(query, (Payment.day, Payment.id)):
        for day, _id, number, client, method, reference, amount, note in rows:
            sheet.row([day, number, client, METHOD_NAMES[method.value], reference, amount, note])
        progress.add(len(rows))
    sheet.close()
    return sheet


def _resources_sheet(book, chart: Chart, start: date, end: date, progress: Progress) -> Sheet:
    columns = [Column("Date", 11, "date"), Column("Nature", 18), Column("Financeur", 30),
               Column("Type de financeur", 14), Column("Compte", 10), Column("Libellé du compte", 28),
               Column("Référence", 20), Column("Exercice", 11), Column("Montant", 14, "money")]
    sheet = Sheet(book, SHEETS[3], columns)
    query = (select(Resource.day, Resource.id, Resource.kind, Resource.funder, Resource.funder_kind, Resource.account,
                    Resource.reference, FiscalYear.label, Resource.amount)
             .join(FiscalYear, FiscalYear.id == Resource.fiscal_year_id)
             .where(Resource.day.between(start, end)).order_by(Resource.day, Resource.id).limit(BATCH))
    for rows in _keyset_batches(query, (Resource.day, Resource.id)):
        for day, _id, kind, funder, funder_kind, account, reference, year, amount in rows:
            sheet.row([day, RESOURCE_NAMES[kind.value], funder, FUNDER_NAMES[funder_kind.value], account,
                       chart.label_of(account), reference, year, amount])
        progress.add(len(rows))
    sheet.close()
    return sheet


def _costs_sheet(book, start: date, end: date, progress: Progress) -> Sheet:
    columns = [Column("N° OF", 14), Column("Intitulé", 34), Column("Client", 26), Column("Section", 16),
               Column("Type", 14), Column("Statut", 11), Column("Ouvert le", 11, "date"),
               Column("Matières prévues", 13, "money"), Column("Matières réelles", 13, "money"),
               Column("Heures élèves prévues", 11, "hours"), Column("Heures élèves réelles", 11, "hours"),
               Column("Heures encadrant prévues", 11, "hours"), Column("Heures encadrant réelles", 11, "hours"),
               Column("Autres coûts prévus", 13, "money"), Column("Autres coûts réels", 13, "money"),
               Column("Coût décaissé prévu", 13, "money"), Column("Coût décaissé réel", 13, "money"),
               Column("Valeur du travail prévue", 13, "money"), Column("Valeur du travail réelle", 13, "money"),
               Column("CA HT", 13, "money"), Column("Marge sur coût décaissé", 13, "money"),
               Column("Marge sur valeur du travail", 13, "money"), Column("Écart (réel − prévu)", 13, "money")]
    sheet = Sheet(book, SHEETS[4], columns)
    for batch in costings_in_batches(start, end):
        for costing in batch:
            job, est, act = costing.job, costing.estimated, costing.actual
            sheet.row([job.number, job.title, job.client.name if job.client else "", job.section.name,
                       JOB_KIND_NAMES[job.kind.value], JOB_STATUS_NAMES[job.status.value], job.created_at.date(),
                       est.materials, act.materials, est.student_hours, act.student_hours, est.craftsman_hours,
                       act.craftsman_hours, est.other, act.other, est.cash_cost, act.cash_cost, est.market_value,
                       act.market_value, costing.revenue, costing.cash_margin, costing.market_margin,
                       costing.variance])
        progress.add(len(batch))
    sheet.close()
    return sheet


def self_financing_rows(start: date, end: date, today: date) -> tuple[list[str], list[tuple[str, str, list]]]:
    """The monitor's figures for each fiscal year the period touches (from the dashboard's own service):
    the column headers and (label, kind, values) rows."""
    years = []
    for year_start, year_end, part_start, part_end in fiscal_segments(start, end):
        fiscal_year = db.session.scalar(select(FiscalYear).where(FiscalYear.start_date == year_start))
        if fiscal_year is not None:
            years.append(figures(fiscal_year, today, with_previous=False, start=part_start, end=part_end))
    headers = [f"{f.fiscal_year.label} ({f.start:%d/%m/%Y} – {f.end:%d/%m/%Y})" for f in years]
    rows = [("Chiffre d’affaires de production HT", "money", [f.revenue for f in years])]
    for kind, name in RESOURCE_NAMES.items():
        rows.append((f"Autres ressources : {name}", "money", [f.resources_by_kind[kind] for f in years]))
    rows += [
        ("Total des autres ressources", "money", [f.other_resources for f in years]),
        ("Taux d’autofinancement", "percent", [f.ratio for f in years]),
        ("Objectif d’autofinancement", "percent", [f.target_percent for f in years]),
        ("Budget de l’exercice", "money", [f.fiscal_year.budget for f in years]),
        ("Chiffre d’affaires visé", "money", [f.target_amount for f in years]),
        ("Couverture du budget", "percent", [f.coverage for f in years]),
        ("Commandes acceptées non facturées", "money", [f.accepted_not_invoiced for f in years]),
        ("Devis en cours pondérés", "money", [f.open_weighted for f in years]),
        ("Prévision de chiffre d’affaires", "money", [f.forecast for f in years]),
        ("Manque à gagner prévu", "money", [f.shortfall for f in years]),
        ("Impayés en retard", "money", [f.overdue for f in years]),
    ]
    sections = sorted({name for f in years for _id, name, _total in f.by_section})
    for name in sections:
        rows.append((f"CA section {name}", "money",
                     [next((total for _id, n, total in f.by_section if n == name), ZERO) for f in years]))
    return headers, rows


def _self_financing_sheet(book, start: date, end: date, today: date, progress: Progress) -> Sheet:
    headers, rows = self_financing_rows(start, end, today)
    # figures, not a list of amounts: each row has its own format and there is no totals row
    sheet = Sheet(book, SHEETS[5], [Column("Indicateur", 40), *(Column(header, 26) for header in headers)])
    for label, kind, values in rows:
        sheet.row([label, *values], kinds=["text", *(kind for _value in values)])
    sheet.close()
    progress.add(1)
    return sheet


@dataclass(frozen=True)
class Summary:
    """What was written: rows per sheet."""

    rows: dict


def write_workbook(target, start: date, end: date, today: date,
                   report: Callable[[int, int], None] | None = None) -> Summary:
    """Write the period's workbook to a path or binary file; `report(done, total)` follows the progress."""
    if start > end:
        raise ValueError("the period starts after it ends")
    upto = last_sequence()
    chart = load_chart()
    progress = Progress(count_rows(start, end, upto), report)
    book = Workbook(write_only=True)
    sheets = [_sales_journal(book, start, end, upto, progress),
              _entries_sheet(book, chart, start, end, upto, progress),
              _payments_sheet(book, start, end, upto, progress),
              _resources_sheet(book, chart, start, end, progress),
              _costs_sheet(book, start, end, progress),
              _self_financing_sheet(book, start, end, today, progress)]
    book.save(target)
    return Summary({sheet.ws.title: sheet.rows for sheet in sheets})
