"""The counter: a walk-in tyre service invoiced and paid in one short form."""
from datetime import date

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from erp.auth.models import Role
from erp.auth.policy import roles
from erp.catalog.models import CatalogItem
from erp.catalog.services import item_choices
from erp.clients.models import Client, ClientKind
from erp.clients.services import client_choices, save_client
from erp.errors import DomainError, ValidationFailed
from erp.extensions import db
from erp.forms import as_choices
from erp.invoicing.counter import counter_sale
from erp.invoicing.forms import CounterSaleForm
from erp.invoicing.views import bp
from erp.jobs.models import Section
from erp.web import form_status, reject


def _counter_section() -> Section | None:
    """The tyre workshop serves the counter; a craftsman sells for his own section."""
    if current_user.role is Role.CRAFTSMAN:
        return current_user.section
    return db.session.scalar(select(Section).where(Section.code == "PNE")) or db.session.scalar(
        select(Section).order_by(Section.id))


@bp.route("/counter", methods=["GET", "POST"])
@roles(Role.DIRECTOR, Role.ACCOUNTANT, Role.CRAFTSMAN)
def counter():
    """Walk-in service: choose the client (or type a new one), the items, the payment — done."""
    section = _counter_section()
    form = CounterSaleForm()
    form.client_id.choices = as_choices([(0, _("— new private client below —")), *client_choices()])
    for row in form.rows:
        row.item_id.choices = as_choices([(0, "—"), *item_choices(section.id if section else None)])
    if form.validate_on_submit():
        try:
            items = [(db.get_or_404(CatalogItem, row.item_id.data), row.quantity.data)
                     for row in form.rows if row.item_id.data and row.quantity.data]
            client = db.session.get(Client, form.client_id.data) if form.client_id.data else None
            if client is None:
                if not (form.new_client_name.data and form.new_client_city.data):
                    raise ValidationFailed(_("Choose a client, or give the new client's name and city."),
                                      field="new_client_name")
                if not form.new_client_email.data:
                    raise ValidationFailed(_("Give the new client's e-mail: the invoice is sent there."),
                                           field="new_client_email")
                client = save_client(current_user, None, kind=ClientKind.INDIVIDUAL, name=form.new_client_name.data,
                                     email=form.new_client_email.data,
                                     address_line1=form.new_client_address.data or "—",
                                     postcode=form.new_client_postcode.data or "—", city=form.new_client_city.data)
            invoice = counter_sale(current_user, client=client, section=section, items=items,
                                   method=form.method.data, reference=form.reference.data or "",
                                   vehicle=form.vehicle.data or "", today=date.today())
        except DomainError as error:
            reject(form, error)
        else:
            db.session.commit()
            flash(_("Invoice %(number)s issued and paid.", number=invoice.number), "success")
            if current_user.role is Role.CRAFTSMAN:
                return redirect(url_for("invoicing.counter"))
            return redirect(url_for("invoicing.show", invoice_id=invoice.id))
    return render_template("invoicing/counter.html", form=form, section=section), form_status(form)
