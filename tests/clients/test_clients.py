"""Clients: SIREN/SIRET required for businesses (INV-06), likely duplicates, archive not delete, search."""
import pytest
from sqlalchemy import func, select

from erp.auth.models import Role
from erp.clients.models import Client, ClientKind
from tests.conftest import count_queries


def _form(**changes):
    return {"kind": "company", "name": "Menuiserie Vuillet", "siren": "", "siret": "732 829 320 00074",
            "vat_number": "", "email": "Contact@Vuillet.FR", "phone": "", "address_line1": "ZA des Paters",
            "address_line2": "", "postcode": "39100", "city": "Dole", "site_line1": "", "site_line2": "",
            "site_postcode": "", "site_city": "", "payment_terms_days": "", "notes": ""} | changes


def test_a_company_is_saved_with_its_siren_derived_from_the_siret(client, login, db):
    """The SIRET gives the SIREN; the e-mail is stored lower-case; empty terms mean the school's default."""
    login(Role.CRAFTSMAN)
    assert client.post("/clients/new", data=_form()).status_code == 302
    saved = db.session.scalar(select(Client))
    assert (saved.siren, saved.siret, saved.email) == ("732829320", "73282932000074", "contact@vuillet.fr")
    assert saved.payment_terms_days is None


@pytest.mark.parametrize("changes, message", [
    ({"siret": ""}, "doit indiquer son SIREN ou son SIRET"),
    ({"siret": "73282932000075"}, "Ce SIRET n’est pas valide"),
    ({"siret": "", "siren": "123456789"}, "Ce SIREN n’est pas valide"),
    ({"siren": "552081317"}, "Le SIRET doit commencer par le SIREN"),
    ({"kind": "public_body", "siret": ""}, "doit indiquer son SIREN"),
    ({"name": ""}, "Ce champ est requis"),
    ({"email": "pas-une-adresse"}, "Adresse électronique non valide"),
    ({"payment_terms_days": "90"}, "entre 0 et 60"),
    ({"site_line1": "Chantier", "site_city": ""}, "code postal et la ville du chantier"),
    ({"name": "Vuillet\tet fils\nSARL"}, "retour à la ligne"),
])
def test_bad_client_input_is_refused(client, login, db, changes, message):
    """Missing or invalid identifiers, addresses and terms: 422, French message, nothing written."""
    login(Role.CRAFTSMAN)
    response = client.post("/clients/new", data=_form(**changes))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Client.id))) == 0


def test_an_individual_needs_no_siren(client, login, db):
    """Private individuals are invoiced without SIREN (B2C)."""
    login(Role.CRAFTSMAN)
    response = client.post("/clients/new", data=_form(kind="individual", name="Mme Claire Bouvier", siret=""))
    assert response.status_code == 302


def test_a_likely_duplicate_is_flagged_before_saving(client, login, db, make_client):
    """Same SIRET or e-mail: a warning listing the look-alike; ticking the box saves anyway."""
    login(Role.CRAFTSMAN)
    make_client(name="Vuillet SARL", siret="73282932000074", email="autre@example.org")
    response = client.post("/clients/new", data=_form())
    assert response.status_code == 409 and "Ce client existe peut-être déjà" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Client.id))) == 1
    assert client.post("/clients/new", data=_form(confirm_duplicate="y")).status_code == 302
    assert db.session.scalar(select(func.count(Client.id))) == 2


def test_clients_are_archived_not_deleted(client, login, db, make_client):
    """Archiving hides a client from the list and the quote form; documents stay; it can be restored."""
    login(Role.DIRECTOR)
    customer = make_client(name="Ancien client")
    client.post(f"/clients/{customer.id}/archive")
    assert "Ancien client" not in client.get("/clients/").get_data(as_text=True)
    assert "Ancien client" in client.get("/clients/?archived=1").get_data(as_text=True)
    assert "Ancien client" not in client.get("/quotes/new").get_data(as_text=True)
    client.post(f"/clients/{customer.id}/archive")
    db.session.expire_all()
    assert db.session.get(Client, customer.id).archived is False


def test_search_sort_and_page(client, login, make_client):
    """Search by name or city; sort; paginate (25 a page)."""
    login(Role.ACCOUNTANT)
    for n in range(27):
        make_client(name=f"Client {n:02d}", city="Tavaux" if n == 5 else "Dole", email=f"c{n}@example.org")
    assert "Client 05" in client.get("/clients/?q=tavaux").get_data(as_text=True)
    first = client.get("/clients/?sort=name").get_data(as_text=True)
    assert "Client 00" in first and "Client 26" not in first and "27 résultats" in first
    assert "Client 26" in client.get("/clients/?sort=name&page=2").get_data(as_text=True)


def test_client_list_runs_a_fixed_number_of_queries(client, login, db, make_client):
    """No query per row on the client list."""
    login(Role.DIRECTOR)

    def count():
        with count_queries(db.engine) as queries:
            client.get("/clients/")
        return len(queries)

    make_client()
    few = count()
    for n in range(15):
        make_client(kind=ClientKind.ASSOCIATION, email=f"x{n}@example.org")
    assert count() == few
