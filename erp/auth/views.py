"""Login, logout, one's own profile, and the director's management of staff accounts."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from erp.auth import services
from erp.auth.forms import ChangePasswordForm, LoginForm, NewUserForm, PreferencesForm, SetPasswordForm, UserForm
from erp.auth.models import Role, User
from erp.auth.policy import public, roles, staff
from erp.errors import DomainError
from erp.extensions import db, limiter
from erp.forms import ConfirmForm, as_choices
from erp.jobs.services import section_choices
from erp.web import form_status, paginate, reject, safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@public
def login():
    """Log a staff member in, then go back to the page they asked for."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.rollback()
            form.password.errors.append(_("Wrong e-mail or password, or the account is deactivated."))
            return render_template("auth/login.html", form=form), 401
        session.clear()  # a fresh session on login: no fixation
        login_user(user, remember=form.remember.data)
        db.session.commit()
        return redirect(safe_next(request.args.get("next"), url_for("home.index")))
    return render_template("auth/login.html", form=form), form_status(form)


@bp.route("/logout", methods=["POST"])
@public
def logout():
    """Log out (a POST, so no link or image can log anybody out)."""
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/profile", methods=["GET", "POST"])
@staff
def profile():
    """One's own language preference and password."""
    prefs = PreferencesForm(prefix="prefs", obj=current_user)
    password = ChangePasswordForm(prefix="pw")
    if prefs.submit.data and prefs.validate_on_submit():
        current_user.locale = prefs.locale.data
        db.session.commit()
        flash(_("Preferences saved."), "success")
        return redirect(url_for("auth.profile"))
    if password.submit.data and password.validate_on_submit():
        try:
            services.change_own_password(current_user, password.current_password.data, password.password.data)
        except DomainError as error:
            reject(password, error)
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # the token changed: keep this session
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.profile"))
    status = max(form_status(prefs), form_status(password))
    return render_template("auth/profile.html", prefs=prefs, password=password), status


@bp.route("/users")
@roles(Role.DIRECTOR)
def users():
    """Staff accounts."""
    page = paginate(select(User).options(selectinload(User.section)).order_by(User.active.desc(), User.full_name))
    return render_template("auth/users.html", page=page, confirm=ConfirmForm())


def _user_form(form_class, user=None):
    form = form_class(obj=user)
    form.section_id.choices = as_choices([(0, "—"), *section_choices()])
    if user is not None and not form.is_submitted():
        form.section_id.data = user.section_id or 0
    return form


@bp.route("/users/new", methods=["GET", "POST"])
@roles(Role.DIRECTOR)
def user_new():
    """Create a staff account."""
    form = _user_form(NewUserForm)
    if form.validate_on_submit():
        try:
            user = services.create_user(
                current_user, email=form.email.data, full_name=form.full_name.data, role=form.role.data,
                password=form.password.data, section_id=form.section_id.data or None, locale=form.locale.data)
        except DomainError as error:
            reject(form, error)
        else:
            db.session.commit()
            flash(_("Account created for %(name)s.", name=user.full_name), "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=None), form_status(form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles(Role.DIRECTOR)
def user_edit(user_id: int):
    """Edit a staff account."""
    user = db.get_or_404(User, user_id)
    form = _user_form(UserForm, user)
    if form.validate_on_submit():
        try:
            services.update_user(
                current_user, user, version=form.version.data, email=form.email.data,
                full_name=form.full_name.data, role=form.role.data,
                section_id=form.section_id.data or None, locale=form.locale.data)
        except DomainError as error:
            reject(form, error)
        else:
            db.session.commit()
            flash(_("Account saved."), "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=user,
                           password_form=SetPasswordForm(formdata=None), confirm=ConfirmForm()), form_status(form)


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@roles(Role.DIRECTOR)
def user_password(user_id: int):
    """Set a new password for a staff member who lost theirs."""
    user = db.get_or_404(User, user_id)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(current_user, user, form.password.data)
        except DomainError as error:
            reject(None, error)
        else:
            db.session.commit()
            flash(_("New password set for %(name)s.", name=user.full_name), "success")
            return redirect(url_for("auth.user_edit", user_id=user.id))
    edit_form = _user_form(UserForm, user)
    return render_template("auth/user_form.html", form=edit_form, user=user, password_form=form,
                           confirm=ConfirmForm()), 422


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@roles(Role.DIRECTOR)
def user_active(user_id: int):
    """Deactivate or reactivate a staff account."""
    user = db.get_or_404(User, user_id)  # CSRFProtect has already checked the token
    try:
        services.set_active(current_user, user, not user.active)
    except DomainError as error:
        reject(None, error)
        return redirect(url_for("auth.users"))
    db.session.commit()
    flash(_("Account reactivated.") if user.active else _("Account deactivated."), "success")
    return redirect(url_for("auth.users"))
