"""Sections, students and teams: who may manage what, and the rules that keep them consistent."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from erp.auth.models import Role
from erp.jobs.models import Section, Student, StudentStatus, Team
from tests.conftest import count_queries


def test_director_creates_a_section_with_exact_rate(client, login, db):
    """A rate typed the French way is stored exactly."""
    login(Role.DIRECTOR)
    response = client.post("/sections/new", data={"code": "met", "name": "Métallerie", "hourly_rate": "45,50",
                                                  "weekly_capacity_hours": "240", "active": "y"})
    assert response.status_code == 302
    section = db.session.scalar(select(Section))
    assert (section.code, section.hourly_rate, section.weekly_capacity_hours) == ("MET", Decimal("45.50"),
                                                                                  Decimal("240.000"))


@pytest.mark.parametrize("changes, message", [
    ({"hourly_rate": "-5"}, "au moins 0"),
    ({"hourly_rate": "45,555"}, "2 décimales au maximum"),
    ({"hourly_rate": "1e9"}, "au plus 10000"),
    ({"hourly_rate": "NaN"}, "Saisissez un nombre"),
    ({"name": ""}, "Ce champ est requis"),
    ({"code": "TOOLONGCODE1"}, "plus de 10 caractères"),
])
def test_bad_section_input(client, login, db, changes, message):
    """Negative, over-precise, huge or missing values: 422 and nothing written."""
    login(Role.DIRECTOR)
    data = {"code": "MET", "name": "Métallerie", "hourly_rate": "45", "weekly_capacity_hours": "240"} | changes
    response = client.post("/sections/new", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Section.id))) == 0


def test_duplicate_section_name_is_refused(client, login, make_section):
    """Two sections cannot share a name or a code, whatever the case."""
    login(Role.DIRECTOR)
    make_section(name="Métallerie", code="MET")
    response = client.post("/sections/new", data={"code": "XYZ", "name": "MÉTALLERIE".lower(), "hourly_rate": "1",
                                                  "weekly_capacity_hours": "1"})
    assert response.status_code == 422 and "Une autre section utilise déjà" in response.get_data(as_text=True)


def test_student_record_rules(client, login, db, make_section):
    """A student who left needs an exit date after the entry date; unicode names are fine."""
    login(Role.DIRECTOR)
    section = make_section()
    base = {"first_name": "Zoé", "last_name": "Ðurić-Nguyễn", "section_id": section.id, "cohort": "2025-2027",
            "status": "active", "entry_date": "2025-09-01", "exit_date": ""}
    response = client.post("/students/new", data=base | {"status": "left"})
    assert response.status_code == 422 and "Indiquez la date de sortie" in response.get_data(as_text=True)
    response = client.post("/students/new", data=base | {"status": "left", "exit_date": "2025-01-01"})
    assert response.status_code == 422 and "ne peut pas précéder" in response.get_data(as_text=True)
    assert client.post("/students/new", data=base).status_code == 302
    assert db.session.scalar(select(Student.last_name)) == "Ðurić-Nguyễn"


def test_students_list_searches_and_filters(client, login, make_student, make_section):
    """Search by name, filter by section and status."""
    login(Role.CRAFTSMAN)
    metal, tyres = make_section(name="Métal"), make_section(name="Pneus")
    make_student(section=metal, first_name="Lucas", last_name="Martin")
    make_student(section=tyres, first_name="Inès", last_name="Moreau")
    make_student(section=tyres, first_name="Hugo", last_name="Ancien", status=StudentStatus.LEFT,
                 exit_date=date(2026, 6, 30))
    page = client.get("/students", query_string={"q": "mar"}).get_data(as_text=True)
    assert "Lucas" in page and "Inès" not in page
    page = client.get("/students", query_string={"section": tyres.id}).get_data(as_text=True)
    assert "Inès" in page and "Lucas" not in page and "Hugo" not in page
    page = client.get("/students", query_string={"status": "all", "section": tyres.id}).get_data(as_text=True)
    assert "Hugo" in page


def test_students_list_runs_a_fixed_number_of_queries(client, login, db, make_student, make_section):
    """No query per row: 3 students or 20, the list costs the same."""
    login(Role.DIRECTOR)
    section = make_section()

    def queries_for_list():
        with count_queries(db.engine) as queries:
            assert client.get("/students").status_code == 200
        return len(queries)

    for _ in range(3):
        make_student(section=section)
    few = queries_for_list()
    for _ in range(17):
        make_student(section=section)
    assert queries_for_list() == few


def _team_form(section, lead=None, members=(), **changes):
    return {"name": "Équipe A", "section_id": section.id, "lead_craftsman_id": lead.id if lead else 0,
            "member_ids": [m.id for m in members], "active": "y"} | changes


def test_craftsman_forms_a_team_of_his_own_section(client, login, db, make_user, make_student):
    """Members and lead must belong to the team's section; the team lists its students."""
    craftsman = login(Role.CRAFTSMAN)
    section = db.session.get(Section, craftsman.section_id)
    students = [make_student(section=section) for _ in range(3)]
    response = client.post("/teams/new", data=_team_form(section, craftsman, students))
    assert response.status_code == 302
    team = db.session.scalar(select(Team))
    assert sorted(s.id for s in team.members) == sorted(s.id for s in students)
    assert team.lead_craftsman_id == craftsman.id


def test_a_student_of_another_section_cannot_join(client, login, db, make_student, make_section):
    """A student of another section is refused (and is not even offered)."""
    craftsman = login(Role.CRAFTSMAN)
    section = db.session.get(Section, craftsman.section_id)
    outsider = make_student(section=make_section())
    response = client.post("/teams/new", data=_team_form(section, members=[outsider]))
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(Team.id))) == 0


def test_a_craftsman_cannot_manage_another_sections_teams(client, login, db, make_user, make_section):
    """Another section's team can be seen but not edited or created (403)."""
    other = make_section()
    team = Team(name="Autre", section_id=other.id)
    db.session.add(team)
    db.session.commit()
    craftsman = login(Role.CRAFTSMAN)
    assert client.get("/teams").status_code == 200
    assert client.get(f"/teams/{team.id}").status_code == 403
    assert client.post(f"/teams/{team.id}", data=_team_form(other)).status_code == 403
    response = client.post("/teams/new", data=_team_form(other))
    assert response.status_code in (403, 422)
    assert db.session.scalar(select(func.count(Team.id))) == 1
    assert craftsman.section_id != other.id


def test_team_changes_are_audited(client, login, db, make_student):
    """Changing members records who did it and the before/after lists."""
    director = login(Role.DIRECTOR)
    section = db.session.get(Section, make_student().section_id)
    first, second = make_student(section=section), make_student(section=section)
    client.post("/teams/new", data=_team_form(section, members=[first]))
    team = db.session.scalar(select(Team))
    client.post(f"/teams/{team.id}", data=_team_form(section, members=[second], version=team.version))
    from erp.audit.models import AuditEntry

    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "team.update"))
    assert entry.user_id == director.id
    assert entry.changes["member_ids"] == [[first.id], [second.id]]
