"""Job costing on a hand-computed case: materials, hours at the section rate, other costs, both views of cost."""
from datetime import date
from decimal import Decimal

from erp.catalog import stock
from erp.jobs import costing, timesheet, work
from erp.jobs.work_models import JobCostKind

D = Decimal
DAY, TODAY = date(2026, 10, 6), date(2026, 11, 2)


def _worked_job(db, make_job, make_material, **estimate):
    """Estimate: 100 € materials, 10 student h, 2 craftsman h, 50 € other, at 40 €/h, quoted 1 000 € HT.
    Actual: 12 m at 9.50 € = 114 € of material, 2 × 6 = 12 student h, 3 craftsman h, 65 € subcontracting."""
    job = make_job(est_materials=D("100"), est_student_hours=D("10"), est_craftsman_hours=D("2"),
                   est_other_costs=D("50"), revenue_quoted=D("1000"), **estimate)
    stock.consume(None, make_material(on_hand=D("20"), unit_cost=D("9.50")), job=job, quantity=D("12"), day=DAY)
    timesheet.log_time(job.craftsman, job, day=DAY, today=TODAY, student_ids=job.student_ids, hours=D("6"),
                       supervisor=job.craftsman, supervision_hours=D("3"))
    work.add_cost(None, job, kind=JobCostKind.SUBCONTRACTING, label="Galvanisation", amount=D("65"), day=DAY)
    db.session.commit()
    return job


def test_estimated_against_actual(db, make_job, make_material):
    """Every figure of the comparison, computed by hand."""
    result = costing.job_costing(_worked_job(db, make_job, make_material))
    est, act = result.estimated, result.actual
    assert (est.materials, est.student_hours, est.craftsman_hours, est.other) == (D("100"), D("10"), D("2"), D("50"))
    assert (act.materials, act.student_hours, act.craftsman_hours, act.other) == (D("114.00"), D("12"), D("3"),
                                                                                  D("65.00"))
    assert (est.craftsman_labour, act.craftsman_labour) == (D("80.00"), D("120.00"))
    assert (est.cash_cost, act.cash_cost) == (D("230.00"), D("299.00"))       # 100+50+80 ; 114+65+120
    assert (est.student_labour, act.student_labour) == (D("400.00"), D("480.00"))
    assert (est.market_value, act.market_value) == (D("630.00"), D("779.00"))
    assert result.variance == D("149.00")
    assert (result.revenue, result.cash_margin, result.market_margin) == (D("1000"), D("701.00"), D("221.00"))


def test_period_list_adds_up_and_puts_the_biggest_variance_first(db, make_job, make_material):
    """The SQL aggregates of the list give the same figures as the job page, sorted by |variance|."""
    worked = _worked_job(db, make_job, make_material)
    quiet = make_job(est_materials=D("10"), revenue_quoted=D("100"))
    rows = costing.costing_for_period(date(2000, 1, 1), date(2100, 1, 1))
    assert [row.job.id for row in rows] == [worked.id, quiet.id]
    assert rows[0].actual == costing.job_costing(worked).actual
    assert rows[1].variance == D("-10.00")  # nothing used yet against 10 € of materials planned
    assert costing.costing_for_period(date(2000, 1, 1), date(2000, 12, 31)) == []
