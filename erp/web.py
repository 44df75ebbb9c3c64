"""Small helpers that keep views thin: form status codes, domain errors beside fields, pagination."""
from urllib.parse import urlsplit

from flask import current_app, flash, request
from flask_wtf import FlaskForm
from flask_sqlalchemy.pagination import SelectPagination

from erp.errors import DomainError
from erp.extensions import db


def form_status(form: FlaskForm) -> int:
    """200 for a fresh form; the domain error's code, or 422, for a submitted form that was refused."""
    if getattr(form, "rejected_status", None):
        return form.rejected_status
    return 422 if form.is_submitted() and form.errors else 200


def reject(form: FlaskForm | None, error: DomainError) -> int:
    """Undo the transaction and show the domain error beside its field (or as a flash)."""
    db.session.rollback()
    if form is not None:
        form.rejected_status = error.status_code
    field = getattr(form, error.field, None) if (form is not None and error.field) else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)] if isinstance(field.errors, list) else [str(error.message)]
    else:
        flash(str(error.message), "danger")
    return error.status_code


def safe_next(target: str | None, default: str) -> str:
    """Redirect only to a path of this application, never to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def page_number() -> int:
    """The ?page= argument, never below 1."""
    return max(request.args.get("page", 1, type=int) or 1, 1)


def paginate(query):
    """Paginate a select() with the configured page size; a page past the end is empty, not 404."""
    return db.paginate(query, page=page_number(), per_page=current_app.config["PAGE_SIZE"], error_out=False)


class RowsPagination(SelectPagination):
    """A page of a select() of several columns (a record and its aggregates): whole rows, not the first column."""

    def _query_items(self) -> list:
        query = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(query).all())


def paginate_rows(query, per_page: int | None = None) -> RowsPagination:
    """Paginate a select() whose rows are tuples, like `paginate`."""
    return RowsPagination(select=query, session=db.session(), page=page_number(),
                          per_page=per_page or current_app.config["PAGE_SIZE"], error_out=False)


def public_url(endpoint: str, **values) -> str:
    """An absolute URL for clients (e-mails), built on PUBLIC_URL whatever the current request."""
    from flask import current_app

    parts = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def form_values(form: FlaskForm, names) -> dict:
    """The data of the named fields, as keyword arguments for a service."""
    return {name: getattr(form, name).data for name in names}


def handle_form(form: FlaskForm, save, *, success: str, next_url, template: str, **context):
    """The one shape of a form view: validate, call the service, commit, flash, redirect —
    or show the form again with the errors beside the fields and a 4xx status."""
    from flask import redirect, render_template

    if form.validate_on_submit():
        try:
            record = save()
        except DomainError as error:
            reject(form, error)
        else:
            db.session.commit()
            flash(success, "success")
            return redirect(next_url(record) if callable(next_url) else next_url)
    return render_template(template, form=form, **context), form_status(form)


def run_form(form: FlaskForm, action, *, success: str, done_url: str, reshow):
    """The shape of an action posted from a detail page: validate, run the service, commit, flash and go back —
    or show the page again (`reshow(status, form)`) with the errors beside the fields."""
    from flask import redirect

    if form.validate_on_submit():
        try:
            action(form)
        except DomainError as error:
            reject(form, error)
        else:
            db.session.commit()
            if success:
                flash(success, "success")
            return redirect(done_url)
    return reshow(form_status(form) if form.errors or getattr(form, "rejected_status", None) else 400, form)
