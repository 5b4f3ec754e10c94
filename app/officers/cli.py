"""`flask demo ...` commands: demo logins and generated demo volunteers (development only);
`flask officers snapshot`: the day's figures of every area, for a daily timer."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from ..areas.access import Scope
from ..areas.models import Village
from ..auth.models import Role
from ..auth.services import create_user, find_by_phone, hash_password
from ..db import get_session, utcnow
from ..readiness.progress import today_bangkok
from ..readiness.services import active_plan
from .daily import take_snapshots
from .demo import DemoVillage, Mix, demo_volunteers_exist, generate_volunteers

cli = AppGroup("demo", help="Demo data for trying the app.")
officers = AppGroup("officers", help="Officers' figures.")

# Demo logins printed by `make run`; never created outside development. The last field is
# an officer's area: Nan province, อ.เมืองน่าน, ต.ในเวียง.
DEMO_ACCOUNTS = (
    ("0800000001", "demo-volunteer", Role.VOLUNTEER, "อาสาสมัคร ตัวอย่าง", None),
    ("0800000002", "demo-trainer", Role.TRAINER, "วิทยากร ตัวอย่าง", None),
    ("0800000003", "demo-officer", Role.OFFICER, "เจ้าหน้าที่ ตัวอย่าง", "55"),
    ("0800000004", "demo-admin", Role.ADMIN, "ผู้ดูแลระบบ ตัวอย่าง", None),
    ("0800000005", "demo-district", Role.OFFICER, "เจ้าหน้าที่อำเภอ ตัวอย่าง", "5501"),
    ("0800000006", "demo-subdistrict", Role.OFFICER, "เจ้าหน้าที่ตำบล ตัวอย่าง", "550101"),
)
# The demo plan's data collection starts this many days after the demo is generated.
DEMO_DAYS_TO_DEADLINE = 8
# Generated demo volunteers (phones 0890xxxxxx) share this password.
DEMO_VOLUNTEER_PASSWORD = "demo-volunteer"


@cli.command("accounts")
def demo_accounts() -> None:
    """Create the demo logins (development only) and print them."""
    _development_only("demo accounts")
    session = get_session()
    village = session.scalar(select(Village).order_by(Village.code).limit(1))
    for phone, password, role, name, area_code in DEMO_ACCOUNTS:
        if find_by_phone(session, phone) is None:
            create_user(
                session,
                full_name=name,
                phone=phone,
                password=password,
                role=role,
                volunteer_type="osm" if role is Role.VOLUNTEER else None,
                village_id=village.id if village and role is Role.VOLUNTEER else None,
                area_code=area_code,
            )
    session.commit()
    click.echo("Demo logins (mobile / password):")
    for phone, password, role, _name, area_code in DEMO_ACCOUNTS:
        area = f"  (area {area_code})" if area_code else ""
        click.echo(f"  {role.value:<10} {phone} / {password}{area}")


@cli.command("volunteers")
@click.option(
    "--per-household-ratio", default=40, show_default=True, help="Households per volunteer."
)
@click.option("--ready-share", default=0.55, show_default=True, help="Share ready under the plan.")
@click.option("--training-share", default=0.25, show_default=True, help="Share still training.")
@click.option("--seed", default=2570, show_default=True, help="Same seed, same volunteers.")
def demo_volunteers(
    per_household_ratio: int, ready_share: float, training_share: float, seed: int
) -> None:
    """Generate volunteers in every village with quiz attempts and readiness (once)."""
    _development_only("demo volunteers")
    session = get_session()
    if demo_volunteers_exist(session):
        click.echo("demo volunteers: already generated, nothing to do")
        return
    plan = active_plan(session)
    if plan is None:
        click.echo("demo volunteers: no active training plan (run `flask content load`); skipped")
        return
    rows = session.execute(
        select(Village.id, Village.code, Village.households).order_by(Village.code)
    )
    villages = [DemoVillage(*row) for row in rows]
    officer = find_by_phone(session, DEMO_ACCOUNTS[2][0])
    if plan.deadline is None:  # so the demo dashboard shows daily targets (a demo date)
        plan.deadline = today_bangkok(utcnow()) + timedelta(days=DEMO_DAYS_TO_DEADLINE)
    counts = generate_volunteers(
        session,
        villages=villages,
        plan=plan,
        now=utcnow(),
        secret=current_app.config["SECRET_KEY"],
        seed=seed,
        ratio=per_household_ratio,
        mix=Mix(ready_share=ready_share, training_share=training_share),
        password_hash=hash_password(DEMO_VOLUNTEER_PASSWORD),
        confirmed_by_id=officer.id if officer else None,
    )
    session.commit()
    click.echo(
        "demo volunteers: {volunteers} in {villages} villages, {attempts} quiz attempts, "
        "{ready} ready ({confirmed} confirmed); mobiles 0890000000 up, password {password}; "
        "demo deadline {deadline}".format(
            villages=len(villages),
            password=DEMO_VOLUNTEER_PASSWORD,
            deadline=plan.deadline,
            **counts,
        )
    )


def _development_only(what: str) -> None:
    """Refuse demo data outside APP_ENV=development."""
    if current_app.config["APP_ENV"] != "development":
        raise click.ClickException(f"{what} are created only with APP_ENV=development")


@officers.command("snapshot")
def snapshot() -> None:
    """Record today's figures (Thai time) of every area under the active plan; run again
    the same day, it replaces that day's figures."""
    session = get_session()
    plan = active_plan(session)
    if plan is None:
        click.echo("officers snapshot: no active training plan; nothing recorded")
        return
    now = utcnow()
    day = today_bangkok(now)
    count = take_snapshots(session, plan=plan, scope=Scope("admin", None), day=day, now=now)
    session.commit()
    click.echo(f"officers snapshot: {count} areas recorded for {day.isoformat()}")
