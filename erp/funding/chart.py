"""A month-by-month cumulative revenue chart as plain SVG geometry: readable without JavaScript, printable."""
from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 260, 56, 28, 12


@dataclass(frozen=True)
class Chart:
    """What the template draws: bars for each month, the cumulative line, the target line, the axis ticks."""

    bars: list  #: (x, y, width, height, label, month amount)
    actual: str  #: polyline points of cumulative revenue (past months only)
    target: str  #: polyline points of the target trajectory
    ticks: list  #: (y, amount)
    width: int = WIDTH
    height: int = HEIGHT


def build(monthly, today_month_index: int | None) -> Chart:
    """monthly: (first day, month revenue, cumulative, cumulative target) per month of the fiscal year."""
    top_value = max([row[2] for row in monthly] + [row[3] for row in monthly] + [Decimal(1)])
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    step = plot_w / max(len(monthly), 1)

    def y(value) -> float:
        return round(TOP + plot_h - float(value) / float(top_value) * plot_h, 1)

    bars, actual, target = [], [], []
    for index, (first, month, cumulative, goal) in enumerate(monthly):
        x = LEFT + index * step
        centre = round(x + step / 2, 1)
        bars.append((round(x + step * .2, 1), y(max(month, 0)), round(step * .6, 1),
                     round(TOP + plot_h - y(max(month, 0)), 1), first.strftime("%m/%y"), month))
        target.append(f"{centre},{y(goal)}")
        if today_month_index is None or index <= today_month_index:
            actual.append(f"{centre},{y(cumulative)}")
    ticks = [(y(top_value * part / 4), (top_value * part / 4).quantize(Decimal(1))) for part in range(5)]
    return Chart(bars, " ".join(actual), " ".join(target), ticks)
