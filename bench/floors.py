"""The floors Atelier cannot beat, measured in the same run on the same data and machine."""
from flask import Flask, render_template_string
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bench.timing import Figure, QueryCounter, figure, timed

BARE_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Clients</title></head><body>
<table><thead><tr><th>Nom</th><th>Ville</th><th>E-mail</th></tr></thead><tbody>
{% for client in clients %}<tr><td><a href="/clients/{{ client.id }}">{{ client.name }}</a></td>
<td>{{ client.city }}</td><td>{{ client.email }}</td></tr>{% endfor %}
</tbody></table></body></html>"""


class _Base(DeclarativeBase):
    pass


class _ClientRow(_Base):
    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))


def bare_endpoint(url: str, repeat: int, counter: QueryCounter) -> Figure:
    """A bare Flask + Flask-SQLAlchemy endpoint listing 50 clients through the ORM into a Jinja table."""
    bare_db = SQLAlchemy(model_class=_Base)
    app = Flask("bare")
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    bare_db.init_app(app)

    @app.get("/clients")
    def clients():
        rows = bare_db.session.scalars(select(_ClientRow).order_by(_ClientRow.name).limit(50)).all()
        return render_template_string(BARE_PAGE, clients=rows)

    client = app.test_client()

    def get():
        assert client.get("/clients").status_code == 200
    latencies, queries = timed(get, repeat, counter=counter)
    with app.app_context():
        bare_db.engine.dispose()
    return figure("Flask + SQLAlchemy nus, 50 lignes", latencies, queries)


def weasyprint_floor(html: str, repeat: int) -> Figure:
    """WeasyPrint alone rendering the invoice's HTML (the same template output) to a PDF."""
    from weasyprint import HTML

    latencies, _ = timed(lambda: HTML(string=html).write_pdf(), repeat)
    return figure("WeasyPrint seul, même HTML de facture", latencies)
