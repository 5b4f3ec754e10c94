"""Officers register volunteers: one by form, or many from a CSV/Excel file (dry run first)."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import (
    session as cookie,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..areas.access import OutOfScope, current_scope, get_volunteer
from ..auth.audit import record
from ..auth.models import User
from ..auth.services import PhoneTaken
from ..db import get_session
from .forms import ConfirmImportForm, ImportForm, RegisterForm
from .idcard import BadNationalId
from .importfile import (
    MAX_BYTES,
    MAX_ROWS,
    ImportFileError,
    discard_upload,
    read_table,
    save_upload,
    size_text,
    take_upload,
    template_csv,
    upload_folder,
)
from .imports import DryRun, ImportRejected, check_rows, run_import
from .services import (
    NationalIdTaken,
    UnknownVillage,
    is_unclaimed,
    issue_activations,
    register_by_officer,
    unclaimed_by_phones,
    villages_in_scope,
)
from .slips import make_slip

bp = Blueprint("registration", __name__)

log = logging.getLogger(__name__)
_IMPORT_KEY = "volunteer_import"  # the kept file's token, in the officer's signed session


def village_groups(session: Session) -> dict[str | None, list[tuple[int | str, str]]]:
    """The villages in the officer's area as <optgroup>s, one per subdistrict."""
    groups: dict[str | None, list[tuple[int | str, str]]] = {None: [("", _("Choose a village"))]}
    for village in villages_in_scope(session, current_scope()):
        sub = village.subdistrict
        label = f"อ.{sub.district.name_th} › ต.{sub.name_th}"
        groups.setdefault(label, []).append((village.id, f"หมู่ {village.moo} {village.name_th}"))
    return groups


def _slips_page(session: Session, users: list[User], *, imported: int | None = None):
    """Give the accounts new activation codes, commit, and show their slips: the only time
    the codes are seen (never stored in clear, never cached)."""
    config = current_app.config
    pairs = issue_activations(
        session, users, secret=config["SECRET_KEY"], days=config["ACTIVATION_DAYS"]
    )
    session.commit()
    claim_url = url_for("site.volunteers.claim", _external=True)
    slips = [make_slip(user, code, claim_url) for user, code in pairs]
    page = render_template(
        "volunteers/slips.html",
        slips=slips,
        imported=imported,
        days=config["ACTIVATION_DAYS"],
        next_url=_after_register(),
    )
    return page, 200, {"Cache-Control": "no-store"}


def _after_register() -> str:
    """The volunteer list once it exists, else the form again."""
    if "officer.lists.readiness_list" in current_app.view_functions:
        return url_for("officer.lists.readiness_list")
    return url_for("officer.registration.register")


@bp.route("/volunteers/new", methods=["GET", "POST"])
def register():
    """Register one volunteer in a village of the officer's area (they claim it later)."""
    session = get_session()
    form = RegisterForm()
    form.village.choices = village_groups(session)
    if form.validate_on_submit():
        try:
            user = register_by_officer(
                session,
                scope=current_scope(),
                officer_id=current_user.id,
                secret=current_app.config["SECRET_KEY"],
                full_name=form.full_name.data,
                phone=form.phone.normalised or "",
                volunteer_type=form.volunteer_type.data,
                village_id=form.village.data,
                national_id=form.national_id.data or None,
            )
        except PhoneTaken:
            form.phone.errors.append(_("This mobile number is registered already."))
        except UnknownVillage:
            form.village.errors.append(_("Choose a village in your area."))
        except BadNationalId:
            form.national_id.errors.append(
                _("This is not a valid ID card number (13 digits, check digit).")
            )
        except NationalIdTaken:
            form.national_id.errors.append(_("This ID card number is registered already."))
        else:
            record(
                session,
                actor_id=current_user.id,
                action="volunteer.register",
                subjects=[user.id],
                area_code=current_user.area_code,
            )
            log.info("officer %s registered volunteer %s", current_user.id, user.id)
            flash(
                _("%(name)s is registered. Print the slip below and give it to them: its "
                  "activation code is shown only now.", name=user.full_name),
                "success",
            )  # fmt: skip
            return _slips_page(session, [user])
    return render_template("volunteers/register.html", form=form)


def _uploads() -> Path:
    """Where checked files wait for their import (one place: `importfile.upload_folder`)."""
    return upload_folder(current_app)


def _import_page(form: ImportForm, dry_run: DryRun | None = None, confirm=None, status=200):
    """The import page: upload form, and the dry run's result when there is one."""
    first = villages_in_scope(get_session(), current_scope(), limit=1)
    page = render_template(
        "volunteers/import.html",
        form=form,
        dry_run=dry_run,
        confirm=confirm,
        max_rows=MAX_ROWS,
        max_size=size_text(MAX_BYTES),
        example_code=first[0].code if first else "",
    )
    return page, status


@bp.route("/volunteers/import", methods=["GET", "POST"])
def import_volunteers():
    """Upload a file: the dry run lists every bad row; a clean file can then be imported."""
    if request.method == "POST" and "token" in request.form:
        return _confirm_import()
    form = ImportForm()
    if not form.validate_on_submit():
        return _import_page(form, status=400 if form.is_submitted() else 200)
    upload = form.file.data
    try:
        data = upload.stream.read(MAX_BYTES + 1)
    finally:
        upload.close()  # a large upload is a temp file: close it now, not at GC
    try:
        rows = read_table(data, upload.filename or "")
    except ImportFileError as error:
        form.file.errors = [str(error)]
        return _import_page(form, status=400)
    scope, secret = current_scope(), current_app.config["SECRET_KEY"]
    skip = bool(form.skip_registered.data)
    dry_run = check_rows(get_session(), rows, scope=scope, secret=secret, skip_registered=skip)
    confirm = None
    if dry_run.ok and dry_run.good:
        token = save_upload(_uploads(), current_user.id, data)
        cookie[_IMPORT_KEY] = token
        confirm = ConfirmImportForm(formdata=None, token=token, skip_registered="1" if skip else "")
    return _import_page(form, dry_run, confirm)


def _confirm_import():
    """Import the kept file: everything checked again, all rows or none."""
    confirm = ConfirmImportForm()
    token = confirm.token.data or ""
    if not confirm.validate_on_submit() or cookie.get(_IMPORT_KEY) != token:
        flash(_("This import has expired. Upload the file again."), "error")
        return redirect(url_for("officer.registration.import_volunteers"))
    data = take_upload(_uploads(), current_user.id, token)  # deleted as it is read
    if data is None:
        flash(_("The file has expired. Please upload it again."), "error")
        return redirect(url_for("officer.registration.import_volunteers"))
    session = get_session()
    try:
        rows = read_table(data)
        inserted = run_import(
            session,
            rows,
            scope=current_scope(),
            officer_id=current_user.id,
            secret=current_app.config["SECRET_KEY"],
            skip_registered=confirm.skip_registered.data == "1",
        )
        count = len(inserted)
        users = unclaimed_by_phones(session, current_scope(), [row.phone for row in inserted])
        record(
            session,
            actor_id=current_user.id,
            action="volunteers.import",
            subjects=[user.id for user in users],
            area_code=current_user.area_code,
            rows=count,
        )
        session.commit()
    except ImportFileError as error:  # a kept file passed once; the reader may have changed
        session.rollback()
        discard_upload(_uploads(), current_user.id, token)
        flash(str(error), "error")
        return redirect(url_for("officer.registration.import_volunteers"))
    except ImportRejected as rejected:
        session.rollback()
        flash(_("Nothing was imported: some rows are no longer valid."), "error")
        return _import_page(ImportForm(formdata=None), rejected.dry_run, status=409)
    except IntegrityError:  # someone registered one of the numbers at this very moment
        session.rollback()
        flash(_("Nothing was imported: some rows are no longer valid. Check again."), "error")
        return redirect(url_for("officer.registration.import_volunteers"))
    discard_upload(_uploads(), current_user.id, token)
    cookie.pop(_IMPORT_KEY, None)
    log.info("officer %s imported %s volunteers", current_user.id, count)
    flash(_("%(count)s volunteers imported.", count=count), "success")
    return _slips_page(session, users, imported=count)


@bp.post("/volunteers/<int:user_id>/activation")
def new_activation(user_id: int):
    """A new activation slip for a volunteer of the area who has not claimed their account
    (the old code stops working): for a lost slip, or accounts registered before slips."""
    session = get_session()
    try:
        user = get_volunteer(session, current_scope(), user_id)
    except OutOfScope:
        abort(404, description=_("There is no such volunteer in your area."))
    if not is_unclaimed(user):
        abort(409, description=_("This volunteer has set a password already: no slip needed."))
    record(
        session,
        actor_id=current_user.id,
        action="volunteer.slip",
        subjects=[user.id],
        area_code=current_user.area_code,
    )
    log.info("officer %s issued an activation code to volunteer %s", current_user.id, user.id)
    return _slips_page(session, [user])


@bp.get("/volunteers/import/template.csv")
def import_template():
    """The import template: the header row, in Thai."""
    return Response(
        template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=volunteers-template.csv"},
    )
