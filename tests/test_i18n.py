"""French first: every UI string is translated, formats are French (DESIGN §1)."""
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from erp import i18n

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _source_messages() -> set:
    found = set()
    for directory, method in (("erp", "python"), ("templates", "jinja2")):
        for _file, _line, message, _comments, _context in extract_from_dir(
                ROOT / directory, method_map=[("**.py" if method == "python" else "**.html", method)],
                keywords=KEYWORDS):
            found.add(message if isinstance(message, str) else tuple(message))
    return found


def test_every_ui_string_has_a_french_translation():
    """A string added to the code without its French translation fails the build."""
    with open(ROOT / "erp/translations/fr/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle, locale="fr")
    missing = []
    for message in _source_messages():
        entry = catalog.get(message)
        translated = entry is not None and (all(entry.string) if isinstance(entry.string, tuple) else entry.string)
        if not translated or (entry is not None and entry.fuzzy):
            missing.append(message)
    assert missing == []


def test_the_french_catalog_compiles_without_errors():
    """Placeholders in every translation match the English string (pybabel compile would refuse them)."""
    with open(ROOT / "erp/translations/fr/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle, locale="fr")
    problems = [(message.id, [str(e) for e in errors]) for message, errors in catalog.check()]
    assert problems == []


def test_french_formats(app):
    """Amounts as 1 234,56 €, dates as 22/11/2026, in the school's time zone."""
    with app.test_request_context("/"):
        assert i18n.money(Decimal("1234.56")).replace("\u202f", " ").replace("\xa0", " ") == "1 234,56 €"
        assert i18n.day(date(2026, 11, 22)) == "22/11/2026"
        assert i18n.moment(datetime(2026, 11, 22, 23, 30, tzinfo=timezone.utc)) == "23/11/2026 00:30"
        assert i18n.number(Decimal("12.50")) == "12,5"


def test_english_is_available(client, login, db):
    """A user who prefers English gets English pages."""
    user = login()
    user.locale = "en"
    db.session.commit()
    assert "Log out" in client.get("/overview").get_data(as_text=True)


def test_choices_built_at_import_are_translated(client, login):
    """Select options defined on form classes follow the user's language (lazy strings, not frozen English)."""
    from erp.auth.models import Role

    login(Role.DIRECTOR)
    page = client.get("/jobs/new").get_data(as_text=True)
    assert "Travaux internes" in page and "Internal work" not in page
