"""The URL map: one blueprint ("door") per area a user meets, each with its prefix and one
guard, and the features' blueprints nested under the door they belong to.

| door      | prefix    | guard                                              |
|-----------|-----------|----------------------------------------------------|
| `site`    | (none)    | logged in, unless the view is marked `@public`     |
| `studio`  | /studio   | a trainer or an admin (`TRAINER_ROLES`)            |
| `officer` | /officer  | an officer with an area, or an admin (`OFFICER_ROLES`) |
| `admin`   | /admin    | an admin                                           |
| `api`     | /api      | a bearer token, unless the view is marked `@public` |

The support teams' queue (`/support/team`, trainers and officers alike) sits behind `site`
with a guard of its own (`app/support/team_views.py`): staff on a zone's team, or admins.

A feature's views module defines its own `bp` and knows nothing of its door; an endpoint is
`<door>.<feature blueprint>.<view>`. Only the app factory imports this module.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_login import login_required
from werkzeug.exceptions import BadRequest, NotFound

from . import i18n
from .api import doc_views, health_views, officer_api, token_views
from .api import views as api_views
from .areas.access import OutOfScope
from .auth import views as auth_views
from .auth.decorators import officer_required, roles_required
from .auth.models import OFFICER_ROLES, TRAINER_ROLES, Role
from .content import views as content_views
from .errors import render_error
from .media import clip_views, infographic_views
from .media import views as media_views
from .mentoring import device_views as mentoring_device_views
from .mentoring import views as mentoring_views
from .officers import (
    account_views,
    certificate_views,
    coverage_views,
    dashboard_views,
    list_views,
    ranking_views,
    sheet_views,
)
from .officers import views as officer_views
from .officers.filters import BadFilter
from .offline import views as offline_views
from .outreach import share_views
from .outreach import views as outreach_views
from .privacy import admin_views as privacy_admin_views
from .privacy import views as privacy_views
from .quizzes import pack_views
from .quizzes import views as quiz_views
from .readiness import plan_views
from .readiness import views as readiness_views
from .studio import analysis_views, faq_views, question_views, wording_views
from .studio import views as studio_views
from .support import admin_views as support_admin_views
from .support import team_views as support_team_views
from .support import views as support_views
from .volunteers import help_views, invitation_views, registration_views
from .volunteers import views as volunteer_views
from .web import IdConverter, requested_view_is_public

site = Blueprint("site", __name__)
studio = Blueprint("studio", __name__, url_prefix="/studio")
officer = Blueprint("officer", __name__, url_prefix="/officer")
admin = Blueprint("admin", __name__, url_prefix="/admin")
api = Blueprint("api", __name__, url_prefix="/api")

DOORS = (site, studio, officer, admin, api)


@login_required
def _logged_in() -> None:
    """Anonymous visitors are sent to log in (a POST returns to the page its form was on)."""


@site.before_request
def site_guard():
    """Volunteer pages: any logged-in user, except the views marked `@public`."""
    if not requested_view_is_public():
        return _logged_in()
    return None


@studio.before_request
@roles_required(*TRAINER_ROLES)
def studio_guard() -> None:
    """The studio: trainers and admins."""


@officer.before_request
@officer_required
def officer_guard() -> None:
    """The officers' tools: officers with an area, and admins."""


@admin.before_request
@roles_required(Role.ADMIN)
def admin_guard() -> None:
    """Administration: admins only."""


@api.before_request
def api_guard():
    """The API: a valid bearer token (acting with its owner's scope), except public views."""
    if requested_view_is_public():
        return None
    return officer_api.require_token()


@officer.errorhandler(OutOfScope)
def out_of_scope(error: OutOfScope):
    """An id or area outside the officer's scope answers as if it did not exist."""
    return render_error(NotFound("There is no such record or area in your scope."))


@officer.errorhandler(BadFilter)
def bad_filter(error: BadFilter):
    """A malformed filter answers 400 with the reason."""
    return render_error(BadRequest(str(error)))


# Which features' views sit behind which door.
ROUTES: dict[Blueprint, tuple[Blueprint, ...]] = {
    site: (
        auth_views.bp,
        i18n.bp,
        volunteer_views.bp,
        content_views.bp,
        quiz_views.bp,
        pack_views.bp,
        readiness_views.bp,
        media_views.bp,
        health_views.bp,
        offline_views.bp,
        privacy_views.bp,
        support_views.bp,
        support_team_views.bp,
        share_views.bp,
        mentoring_device_views.bp,
    ),
    studio: (
        studio_views.bp,
        wording_views.bp,
        faq_views.bp,
        question_views.bp,
        analysis_views.bp,
        clip_views.bp,
        infographic_views.bp,
    ),
    officer: (
        officer_views.bp,
        list_views.bp,
        sheet_views.bp,
        coverage_views.bp,
        dashboard_views.bp,
        ranking_views.bp,
        certificate_views.bp,
        account_views.bp,
        registration_views.bp,
        help_views.bp,
        invitation_views.bp,
        token_views.bp,
        outreach_views.bp,
        mentoring_views.bp,
    ),
    admin: (plan_views.bp, privacy_admin_views.bp, support_admin_views.bp),
    api: (api_views.bp, officer_api.bp, doc_views.bp),
}


for _door, _features in ROUTES.items():
    for _feature in _features:
        _door.register_blueprint(_feature)


def init_app(app: Flask) -> None:
    """Register every door (with the features' blueprints in it), and give templates the
    role sets. Every `<int:...>` id is bounded (IdConverter)."""
    app.url_map.converters["int"] = IdConverter
    for door in DOORS:
        app.register_blueprint(door)
    app.jinja_env.globals.update(OFFICER_ROLES=OFFICER_ROLES, TRAINER_ROLES=TRAINER_ROLES)
