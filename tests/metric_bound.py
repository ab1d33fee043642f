"""Every metric the functions publish across the whole suite, checked against the bound.

Each EMF line a function flushes (Powertools serialises it even with metrics disabled, as
here) is read back into the series it would create: (namespace, name, dimensions). Workers
write theirs to ``.pytest_cache``; the run that started them checks the union when the suite
ends and fails the run if one series breaks the rule of ``relance.telemetry``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider

from relance.telemetry import MAX_PER_SHOP, PER_SHOP, SHOP_KEY, Metric

NAMESPACE = "Relance"
ALLOWED_DIMENSIONS = ({"service"}, {"service", SHOP_KEY})
Series = tuple[str, str, tuple[tuple[str, str], ...]]
SEEN: set[Series] = set()


def series_of(emf: dict[str, Any]) -> Iterable[Series]:
    """The series one EMF line publishes a value to."""
    for directive in emf["_aws"]["CloudWatchMetrics"]:
        for dimension_set in directive["Dimensions"]:
            dimensions = tuple(sorted((key, str(emf[key])) for key in dimension_set))
            for metric in directive["Metrics"]:
                yield directive["Namespace"], metric["Name"], dimensions


def problems(seen: Iterable[Series]) -> list[str]:
    """What breaks the bound: a name not in the fixed set, a dimension other than the service
    and (for the few per-shop metrics) the shop, more than MAX_PER_SHOP metrics for one shop."""
    found: list[str] = []
    per_shop: dict[str, set[str]] = defaultdict(set)
    known = {metric.value for metric in Metric}
    for namespace, name, dimensions in sorted(seen):
        keys = {key for key, _ in dimensions}
        if namespace != NAMESPACE:
            found.append(f"{name}: namespace {namespace!r}, not {NAMESPACE!r}")
        if name not in known:
            found.append(f"{name}: not a name of relance.telemetry.Metric (built at run time?)")
        if keys not in ALLOWED_DIMENSIONS:
            found.append(f"{name}: dimensions {sorted(keys)} (only service, and shop for {sorted(PER_SHOP)})")
        if SHOP_KEY in keys:
            shop = dict(dimensions)[SHOP_KEY]
            per_shop[shop].add(name)
            if name not in PER_SHOP:
                found.append(f"{name}: published per shop, not one of {sorted(PER_SHOP)}")
    for shop, names in per_shop.items():
        if len(names) > MAX_PER_SHOP:
            found.append(
                f"shop {shop}: {len(names)} metrics of its own ({sorted(names)}), at most {MAX_PER_SHOP}"
            )
    return found


def _recording(flush: Any) -> Any:
    def flush_and_record(self: AmazonCloudWatchEMFProvider, raise_on_empty_metrics: bool = False) -> None:
        if self.metric_set:
            SEEN.update(series_of(dict(self.serialize_metric_set())))
        flush(self, raise_on_empty_metrics)

    return flush_and_record


def _folder(config: pytest.Config) -> Path:
    return Path(str(config.rootpath)) / ".pytest_cache" / "relance-metrics"


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    AmazonCloudWatchEMFProvider.flush_metrics = _recording(  # type: ignore[method-assign]
        AmazonCloudWatchEMFProvider.flush_metrics
    )
    if not _is_worker(config):
        folder = _folder(config)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.json"):
            stale.unlink()


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    folder = _folder(config)
    name = config.workerinput["workerid"] if _is_worker(config) else "main"  # type: ignore[attr-defined]
    (folder / f"{name}.json").write_text(json.dumps(sorted(SEEN)))
    if _is_worker(config):
        return
    seen: set[Series] = set()
    for part in folder.glob("*.json"):
        seen.update((ns, n, tuple(tuple(d) for d in dims)) for ns, n, dims in json.loads(part.read_text()))
    found = problems(seen)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and seen:
        names = sorted({name for _, name, _ in seen})
        reporter.write_line(f"metrics published across the suite: {len(names)} names, {len(seen)} series")
        for problem in found:
            reporter.write_line(f"METRIC BOUND BROKEN: {problem}", red=True)
    if found:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
