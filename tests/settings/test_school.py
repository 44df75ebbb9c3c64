"""School settings: legal identifiers checked with python-stdnum, legal caps, logo (INV-04, INV-20)."""
import io
from decimal import Decimal

import pytest
from PIL import Image
from sqlalchemy import select

from erp.audit.models import AuditEntry
from erp.auth.models import Role
from erp.settings.models import School, VatRegime
from erp.settings.services import get_school

VALID = {
    "legal_name": "École de Production de Dole", "address_line1": "12 rue des Forges", "address_line2": "",
    "postcode": "39100", "city": "Dole", "email": "contact@example.org", "phone": "03 84 00 00 00",
    "website": "", "siren": "732 829 320", "siret": "732 829 320 00074", "rna": "W391000123",
    "vat_number": "FR 44 732829320", "vat_regime": "liable", "iban": "FR76 3000 1007 9412 3456 7890 185",
    "bic": "BDFEFRPPCCT", "payment_terms_days": "30", "late_penalty_rate": "12,15", "quote_validity_days": "30",
    "insurance_mention": "Décennale MAIF", "fiscal_year_start_month": "9", "portal_link_days": "90",
}


def _post(client, db, **changes):
    school = get_school()
    db.session.commit()
    return client.post("/settings/school", data=VALID | {"version": school.version} | changes)


def test_valid_settings_are_saved_compact_and_audited(client, login, db):
    """Identifiers are stored without spaces; the change is in the audit trail."""
    login(Role.DIRECTOR)
    assert _post(client, db).status_code == 302
    db.session.expire_all()
    school = db.session.get(School, 1)
    assert (school.siren, school.siret, school.vat_number) == ("732829320", "73282932000074", "FR44732829320")
    assert school.iban == "FR7630001007941234567890185"
    assert school.late_penalty_rate == Decimal("12.15") and school.vat_regime is VatRegime.LIABLE
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "settings.update")) is not None


@pytest.mark.parametrize("field, value, message", [
    ("siren", "732829321", "Ce SIREN n’est pas valide"),
    ("siret", "73282932000075", "Ce SIRET n’est pas valide"),
    ("siret", "55208131766522", "Le SIRET doit commencer par le SIREN"),
    ("vat_number", "FR00732829320", "Ce numéro de TVA français n’est pas valide"),
    ("iban", "FR7630001007941234567890186", "Cet IBAN n’est pas valide"),
    ("rna", "123", "W suivi de 9 chiffres"),
    ("payment_terms_days", "90", "60"),
    ("payment_terms_days", "-1", "0"),
    ("late_penalty_rate", "12,155", "2 décimales au maximum"),
    ("late_penalty_rate", "abc", "Saisissez un nombre"),
    ("legal_name", "", "Ce champ est requis"),
    ("legal_name", "x" * 500, "120 caractères"),
])
def test_bad_settings_are_refused_beside_the_field(client, login, db, field, value, message):
    """Each wrong identifier or value: 422, a French message, nothing saved."""
    login(Role.DIRECTOR)
    response = _post(client, db, **{field: value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(School, 1).siren == ""


def test_vat_on_debits_needs_a_liable_school(client, login, db):
    """INV-09: the débits option cannot be set for a school under franchise."""
    login(Role.DIRECTOR)
    response = _post(client, db, vat_regime="franchise", vat_on_debits="y")
    assert response.status_code == 422 and "TVA sur les débits" in response.get_data(as_text=True)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (31, 59, 87)).save(buffer, "PNG")
    return buffer.getvalue()


def test_logo_upload_accepts_real_images_only(client, login, db):
    """A PNG is kept and served; a script renamed .png is refused."""
    login(Role.DIRECTOR)
    response = client.post("/settings/school/logo", data={"logo": (io.BytesIO(_png()), "logo.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    served = client.get("/settings/school/logo")
    assert served.status_code == 200 and served.mimetype == "image/png" and served.data == _png()
    response = client.post("/settings/school/logo",
                           data={"logo": (io.BytesIO(b"<svg onload=alert(1)>"), "logo.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "PNG ou JPEG" in response.get_data(as_text=True)
    assert client.get("/settings/school/logo").data == _png()


def test_only_the_director_edits_the_settings(client, login):
    """The accountant and craftsmen cannot open the settings page."""
    login(Role.ACCOUNTANT)
    assert client.get("/settings/school").status_code == 403
