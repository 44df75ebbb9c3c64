"""Timing and query counting: medians and 95th percentiles over repeated requests."""
import statistics
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass

from sqlalchemy import event
from sqlalchemy.engine import Engine


@dataclass
class Figure:
    """One measured thing: latencies in milliseconds, queries per request, and its floor if it has one."""

    name: str
    p50: float
    p95: float
    samples: int
    queries: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the samples fall (linear interpolation, as numpy does)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = int(position), min(int(position) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def figure(name: str, milliseconds: list[float], queries: int | None = None) -> Figure:
    return Figure(name, round(statistics.median(milliseconds), 2), round(percentile(milliseconds, 0.95), 2),
                  len(milliseconds), queries)


class QueryCounter:
    """Counts the SQL statements every engine of this process sends."""

    def __init__(self):
        self.count = 0
        event.listen(Engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1

    @contextmanager
    def counting(self):
        start = self.count
        box = {}
        yield box
        box["queries"] = self.count - start


def timed(call, repeat: int, warmup: int = 3, counter: QueryCounter | None = None):
    """Run `call` warmup + repeat times; the latencies of the timed runs and the query count of the last."""
    for _ in range(warmup):
        call()
    latencies, queries = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        if counter:
            with counter.counting() as box:
                call()
            queries = box["queries"]
        else:
            call()
        latencies.append((time.perf_counter() - began) * 1000)
    return latencies, queries
