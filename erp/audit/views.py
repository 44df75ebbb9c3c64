"""The director browses the audit trail."""
from datetime import date

from flask import Blueprint, render_template, request
from sqlalchemy import select

from erp.audit.services import audit_query
from erp.auth.models import Role, User
from erp.auth.policy import roles
from erp.extensions import db
from erp.web import paginate

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _date_arg(name: str):
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.route("/")
@roles(Role.DIRECTOR)
def index():
    """Who did what, newest first, filtered by person, action, record and dates."""
    filters = {
        "user_id": request.args.get("user", type=int),
        "action": request.args.get("action", "").strip()[:60],
        "record_type": request.args.get("record_type", "").strip()[:40],
        "record_id": request.args.get("record_id", type=int),
        "day_from": _date_arg("from"),
        "day_to": _date_arg("to"),
    }
    page = paginate(audit_query(**filters))
    users = db.session.execute(select(User.id, User.full_name).order_by(User.full_name)).all()
    return render_template("audit/index.html", page=page, filters=filters, users=users)
