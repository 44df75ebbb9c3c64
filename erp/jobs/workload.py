"""Workload per team and week: planned hours of open jobs against the section's weekly capacity."""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from erp.extensions import db
from erp.jobs.models import Section, Team
from erp.jobs.work_models import Job, JobStatus
from erp.money import ZERO

OPEN = (JobStatus.PLANNED, JobStatus.IN_PROGRESS, JobStatus.DONE)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def spread(job: Job, weeks: list[date]) -> dict[date, Decimal]:
    """The job's planned hours spread evenly over the weeks from its start to its due date."""
    start = monday(job.planned_start or job.due_date)
    end = monday(job.due_date or job.planned_start)
    span = (end - start).days // 7 + 1
    share = job.planned_hours / span
    return {week: share for week in weeks if start <= week <= end}


@dataclass
class SectionLoad:
    """A section's capacity and, per team, the hours planned each week."""

    section: Section
    teams: dict = field(default_factory=dict)  #: team name -> {week: hours}
    totals: dict = field(default_factory=lambda: defaultdict(lambda: ZERO))  #: week -> hours

    def is_over(self, week: date) -> bool:
        return self.totals[week] > self.section.weekly_capacity_hours


def workload(today: date, weeks_ahead: int = 8) -> tuple[list[date], list[SectionLoad]]:
    """The coming weeks and each active section's load in them."""
    weeks = [monday(today) + timedelta(weeks=n) for n in range(weeks_ahead)]
    sections = list(db.session.scalars(select(Section).where(Section.active.is_(True)).order_by(Section.name)))
    loads = {s.id: SectionLoad(s) for s in sections}
    for team in db.session.scalars(select(Team).where(Team.active.is_(True)).order_by(Team.name)):
        if team.section_id in loads:
            loads[team.section_id].teams[team.name] = defaultdict(lambda: ZERO)
    jobs = db.session.scalars(select(Job).options(selectinload(Job.team)).where(
        Job.status.in_(OPEN), Job.planned_hours > 0,
        (Job.planned_start.is_not(None)) | (Job.due_date.is_not(None)),
        (Job.due_date.is_(None)) | (Job.due_date >= weeks[0]),
        (Job.planned_start.is_(None)) | (Job.planned_start <= weeks[-1] + timedelta(days=6))))
    for job in jobs:
        load = loads.get(job.section_id)
        if load is None:
            continue
        row = load.teams.setdefault(job.team.name if job.team else "—", defaultdict(lambda: ZERO))
        for week, hours in spread(job, weeks).items():
            row[week] += hours
            load.totals[week] += hours
    return weeks, list(loads.values())
