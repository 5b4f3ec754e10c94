"""Admins' pages for training plans: list, create, edit, activate."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session
from wtforms import SelectChoice

from ..db import get_session, utcnow
from ..web import or_404
from .models import TrainingPlan
from .plan_forms import NewPlanForm, PlanForm
from .plans import (
    INLINE_ATTEMPTS,
    BadSlug,
    PlanExpired,
    SlugTaken,
    activate,
    create_plan,
    get_plan,
    indicator_groups,
    list_plans,
    needs_reevaluation,
    reevaluate,
    update_plan,
)
from .progress import today_bangkok
from .tasks import queue_reevaluation

bp = Blueprint("plans", __name__)


def _inline_max() -> int:
    """Re-evaluations scanning more attempts than this are queued, not run in the request."""
    return int(current_app.config.get("PLAN_INLINE_ATTEMPTS", INLINE_ATTEMPTS))


def _plan_data(plan: TrainingPlan) -> dict:
    """The plan's values to fill the form with (a submitted form overrides them)."""
    return {
        "name_th": plan.name_th,
        "name_en": plan.name_en,
        "campaign_year": plan.campaign_year,
        "indicators": [i.number for i in plan.indicators],
        "expires_on": plan.expires_on,
        "passes_from": plan.passes_from,
        "show_answers_after_fail": plan.show_answers_after_fail,
        "deadline": plan.deadline,
        "target_profile": ", ".join(f"{v:g}" for v in plan.target_profile or ()),
    }


def _with_choices(form: PlanForm, session: Session) -> list:
    """Give the form its indicator choices; the groups the page shows them in."""
    groups = indicator_groups(session)
    form.indicators.choices = [
        SelectChoice(str(i.number), i.title_en) for _c, items in groups for i in items
    ]
    return groups


def _after_reevaluation(counts: dict[str, int] | None, plan: TrainingPlan) -> None:
    """Say how many volunteers were re-evaluated, or queue the job (after the commit)."""
    if counts is not None:
        flash(
            _(
                "%(n)s volunteer(s) re-evaluated, %(ready)s newly ready.",
                n=counts["volunteers"],
                ready=counts["newly_ready"],
            ),
            "success",
        )
    elif queue_reevaluation(plan.id):
        flash(
            _(
                "Re-evaluating every volunteer is queued: lists and counts update when the "
                "job has run."
            ),
            "success",
        )
    else:
        flash(
            _("The re-evaluation could not be queued. Run `flask plans reevaluate` on the server."),
            "error",
        )


@bp.get("/plans")
def plans():
    """Every training plan with its indicators, dates and readiness counts."""
    return render_template("readiness/plans.html", summaries=list_plans(get_session()))


@bp.route("/plans/new", methods=["GET", "POST"])
def new_plan():
    """Add a training plan (inactive until activated)."""
    session = get_session()
    form = NewPlanForm()
    groups = _with_choices(form, session)
    if form.validate_on_submit():
        try:
            plan = create_plan(
                session, slug=form.slug.data, values=form.values(), user_id=current_user.id
            )
        except SlugTaken:
            form.slug.errors.append(_("Another plan has this id."))
        except BadSlug:
            form.slug.errors.append(
                _("Use lower-case English letters and digits joined by hyphens.")
            )
        else:
            session.commit()
            flash(_("Plan saved. Volunteers train for it once you activate it."), "success")
            return redirect(url_for("admin.plans.edit_plan", plan_id=plan.id))
    return render_template("readiness/plan_form.html", form=form, plan=None, groups=groups)


@bp.route("/plans/<int:plan_id>", methods=["GET", "POST"])
def edit_plan(plan_id: int):
    """Edit a plan; for the active plan, changes to who is ready re-evaluate everyone."""
    session = get_session()
    plan = or_404(get_plan(session, plan_id), _("There is no such training plan."))
    form = PlanForm(data=_plan_data(plan))
    groups = _with_choices(form, session)
    form.active, form.today = plan.active, today_bangkok(utcnow())
    form.activated_on = today_bangkok(plan.activated_at) if plan.activated_at else None
    if form.validate_on_submit():
        changes = update_plan(session, plan, form.values(), user_id=current_user.id)
        counts, rerun = None, needs_reevaluation(plan, changes)
        if rerun:
            counts = reevaluate(
                session,
                plan,
                secret=current_app.config["SECRET_KEY"],
                now=utcnow(),
                inline_max=_inline_max(),
            )
        session.commit()
        flash(_("Plan saved.") if changes else _("Nothing changed."), "success")
        if rerun:
            _after_reevaluation(counts, plan)
        return redirect(url_for("admin.plans.edit_plan", plan_id=plan.id))
    return render_template("readiness/plan_form.html", form=form, plan=plan, groups=groups)


@bp.post("/plans/<int:plan_id>/activate", endpoint="activate")
def activate_plan(plan_id: int):
    """Make the plan the one volunteers train for, and re-evaluate everyone under it."""
    session = get_session()
    plan = or_404(get_plan(session, plan_id), _("There is no such training plan."))
    try:
        counts = activate(
            session,
            plan,
            secret=current_app.config["SECRET_KEY"],
            now=utcnow(),
            user_id=current_user.id,
            inline_max=_inline_max(),
        )
    except PlanExpired:
        flash(_("This plan's readiness has expired: set a later expiry date first."), "error")
        return redirect(url_for("admin.plans.edit_plan", plan_id=plan.id))
    session.commit()
    flash(_("“%(name)s” is now the active plan.", name=plan.name_en), "success")
    _after_reevaluation(counts, plan)
    return redirect(url_for("admin.plans.plans"))
