"""The pytest plugin, loaded through the `pytest11` entry point when the package is installed.

- fixture `inspect_model`: inspector.inspect_model, with reports cached per model for the session;
- option `--inspector-report`: print the full report of each model a failing test inspected;
- `assert report == reference` shows a layer-by-layer architecture diff;
- marker `points(n)`: the terminal summary adds up the points of passing tests (works under
  pytest-xdist: points travel with each test's report).

Importing this module imports neither Keras nor TensorFlow; inspector is imported inside hooks.
"""

from __future__ import annotations

import pytest

OPTION_REPORT = "--inspector-report"
REPORTS_KEY = pytest.StashKey[dict]()  # session-wide cache: model key -> Report
INSPECTED_KEY = pytest.StashKey[list]()  # per test: reports it inspected


def pytest_addoption(parser):
    group = parser.getgroup("inspector", "Keras architecture inspector")
    group.addoption(
        OPTION_REPORT,
        action="store_true",
        default=False,
        help="print the full inspector report of each model a failing test inspected",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "points(n): points a passing test earns, added up in the terminal summary"
    )
    config.stash[REPORTS_KEY] = {}
    config.pluginmanager.register(_Points(), "inspector-points")


def _cache_key(model):
    import os

    if isinstance(model, (str, os.PathLike)):
        path = os.path.abspath(os.fspath(model))
        try:
            return ("file", path, os.stat(path).st_mtime_ns)
        except OSError:
            return ("file", path, None)
    return ("object", id(model))


@pytest.fixture
def inspect_model(request):
    """inspector.inspect_model, caching each model's report for the whole session."""
    from inspector import inspect_model as inspect

    cache = request.config.stash[REPORTS_KEY]
    inspected = request.node.stash.setdefault(INSPECTED_KEY, [])

    def inspect_cached(model):
        key = _cache_key(model)
        entry = cache.get(key)
        if entry is None or (key[0] == "object" and entry[0] is not model):
            entry = (model, inspect(model))  # keep the model alive so its id stays its own
            cache[key] = entry
        inspected.append(entry[1])
        return entry[1]

    return inspect_cached


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    marker = item.get_closest_marker("points")
    if marker is not None and report.when == "call":
        points = marker.args[0] if marker.args else marker.kwargs.get("n", 1)
        report.user_properties.append(("inspector_points", points))
    if report.failed and item.config.getoption(OPTION_REPORT):
        from inspector.render import render_table

        for inspected in item.stash.get(INSPECTED_KEY, []):
            report.sections.append(
                (f"inspector report: {inspected.model_name}", render_table(inspected, depth=99))
            )


class _Points:
    """Adds up the points of marked tests, in the process that writes the summary (under
    pytest-xdist, the controller, which receives every worker's test reports)."""

    def __init__(self):
        self.seen: list[tuple[str, int, bool]] = []

    def pytest_runtest_logreport(self, report):
        if report.when != "call":
            return
        for name, value in report.user_properties:
            if name == "inspector_points":
                self.seen.append((report.nodeid, value, report.passed))

    def pytest_terminal_summary(self, terminalreporter):
        if not self.seen:
            return
        earned = sum(points for _, points, passed in self.seen if passed)
        possible = sum(points for _, points, _ in self.seen)
        terminalreporter.write_sep("=", "inspector points")
        for nodeid, points, passed in self.seen:
            terminalreporter.write_line(f"{'PASS' if passed else 'FAIL'} {points:>3}  {nodeid}")
        terminalreporter.write_line(f"points: {earned} / {possible}")


def pytest_assertrepr_compare(config, op, left, right):
    from inspector.report import Report

    if op != "==" or not (isinstance(left, Report) and isinstance(right, Report)):
        return None
    from inspector.testing import architecture_diff

    lines = architecture_diff(left, right)
    return [f"architectures of {left.model_name!r} and {right.model_name!r} differ:", *lines]
