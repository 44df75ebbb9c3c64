"""Client pages: list with search, sort and pagination; create and edit with a duplicate warning."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from erp.auth.models import Role
from erp.auth.policy import roles
from erp.clients import services
from erp.clients.forms import ClientForm
from erp.clients.models import Client, ClientKind
from erp.errors import DomainError
from erp.extensions import db
from erp.web import form_status, paginate, reject

bp = Blueprint("clients", __name__, url_prefix="/clients")
STAFF = (Role.DIRECTOR, Role.CRAFTSMAN, Role.ACCOUNTANT)


@bp.route("/")
@roles(*STAFF)
def index():
    """Clients, searchable and sortable, archived ones on request."""
    search = request.args.get("q", "").strip()[:80]
    kind = request.args.get("kind", "")
    kind_filter = ClientKind(kind) if kind in ClientKind._value2member_map_ else None
    archived = request.args.get("archived") == "1"
    sort = request.args.get("sort", "name")
    page = paginate(services.clients_query(search=search, kind=kind_filter, archived=archived, sort=sort))
    return render_template("clients/index.html", page=page, q=search, kind=kind, archived=archived, sort=sort,
                           kinds=list(ClientKind))


@bp.route("/<int:client_id>")
@roles(*STAFF)
def show(client_id: int):
    """One client, with its documents."""
    from erp.quotes.services import quotes_query

    client = db.get_or_404(Client, client_id)
    quotes = db.session.scalars(quotes_query(client_id=client.id)).all()
    return render_template("clients/show.html", client=client, quotes=quotes)


def _save(client: Client | None):
    form = ClientForm(obj=client)
    duplicates = []
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in services.CLIENT_FIELDS}
        try:
            duplicates = services.duplicates_of(values, exclude_id=client.id if client else None)
            if duplicates and not form.confirm_duplicate.data:
                form.rejected_status = 409  # shown with the list of look-alikes and a tick to go on
            else:
                client = services.save_client(current_user, client, version=form.version.data, **values)
                db.session.commit()
                flash(_("Client saved."), "success")
                return redirect(url_for("clients.show", client_id=client.id))
        except DomainError as error:
            reject(form, error)
    return render_template("clients/form.html", form=form, client=client, duplicates=duplicates), form_status(form)


@bp.route("/new", methods=["GET", "POST"])
@roles(*STAFF)
def new():
    """Add a client."""
    return _save(None)


@bp.route("/<int:client_id>/edit", methods=["GET", "POST"])
@roles(*STAFF)
def edit(client_id: int):
    """Change a client's details."""
    return _save(db.get_or_404(Client, client_id))


@bp.route("/<int:client_id>/archive", methods=["POST"])
@roles(Role.DIRECTOR, Role.ACCOUNTANT)
def archive(client_id: int):
    """Archive or restore a client; its documents stay."""
    client = db.get_or_404(Client, client_id)
    services.set_archived(current_user, client, not client.archived)
    db.session.commit()
    flash(_("Client archived.") if client.archived else _("Client restored."), "success")
    return redirect(url_for("clients.show", client_id=client.id))


@bp.route("/<int:client_id>/space-link", methods=["POST"])
@roles(Role.DIRECTOR, Role.ACCOUNTANT, Role.CRAFTSMAN)
def space_link(client_id: int):
    """Give the client one private link to all their quotes and invoices, by e-mail when there is an address."""
    from erp.clients.delivery import send_space_link

    client = db.get_or_404(Client, client_id)
    try:
        url = send_space_link(current_user, client)
    except DomainError as error:
        reject(None, error)
        return redirect(url_for("clients.show", client_id=client.id))
    db.session.commit()
    flash(_("Client space link sent to %(email)s.", email=client.email) if client.email
          else _("Client space link: %(url)s", url=url), "success")
    return redirect(url_for("clients.show", client_id=client.id))
