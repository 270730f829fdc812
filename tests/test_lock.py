"""The lock files say which versions a release was tested with, and `make install` (so `make test` and CI) and the
Dockerfile install exactly those. This keeps them honest: every dependency in pyproject.toml is bounded below its
next major version and pinned, with hashes, at a version inside its bounds; the production lock is the
development one less the dev extra; no CUDA build slips in; and the suite runs on the locked versions.

An edit to pyproject.toml without `make lock` fails here, naming the package, instead of in someone's install.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PROD_LOCK, DEV_LOCK = ROOT / "requirements.lock", ROOT / "requirements-dev.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")


def read_lock(path: Path) -> dict[str, tuple[Version, int]]:
    """Each locked package (canonical name) with its version and how many file hashes it carries."""
    pins: dict[str, tuple[Version, int]] = {}
    name = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            name = canonicalize_name(match[1])
            pins[name] = (Version(match[2]), 0)
        if name:
            version, hashes = pins[name]
            pins[name] = (version, hashes + len(HASH.findall(line)))
    return pins


def requirements(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [Requirement(line) for line in listed]


def next_major(version: Version) -> Version:
    """The release that may break: the next major, or for a 0.x package the next minor."""
    major, minor = (version.release + (0,))[:2]
    return Version(f"0.{minor + 1}") if major == 0 else Version(f"{major + 1}")


@pytest.mark.parametrize("requirement", requirements() + requirements("dev"), ids=lambda r: r.name)
def test_every_dependency_stops_below_its_next_major_version(requirement):
    lowest = [Version(s.version) for s in requirement.specifier if s.operator in (">=", "==")]
    assert lowest, f"{requirement} names no lowest version"
    assert not requirement.specifier.contains(next_major(lowest[0]), prereleases=True), (
        f"{requirement} lets in {next_major(lowest[0])}: bound it below it"
    )


@pytest.mark.parametrize(
    ("lock", "extras"), [(PROD_LOCK, [None]), (DEV_LOCK, [None, "dev"])], ids=["production", "development"]
)
def test_the_lock_pins_every_dependency_inside_its_bounds_with_hashes(lock, extras):
    pins = read_lock(lock)
    for requirement in (r for extra in extras for r in requirements(extra)):
        version, hashes = pins.get(canonicalize_name(requirement.name), (None, 0))
        assert version is not None, f"pyproject.toml asks for {requirement.name}, {lock.name} has none: run `make lock`"
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock.name} pins {requirement.name} {version}, outside {requirement}: run `make lock`"
        )
    unhashed = sorted(name for name, (_, hashes) in pins.items() if not hashes)
    assert not unhashed, f"{lock.name} has no hash for {unhashed}"


def test_production_installs_the_versions_the_suite_ran_with():
    dev, production = read_lock(DEV_LOCK), read_lock(PROD_LOCK)
    differing = {}
    for name, (version, _) in production.items():
        if name not in dev or dev[name][0] != version:
            differing[name] = f"production {version}, development {dev[name][0] if name in dev else None}"
    assert not differing, f"{differing}: run `make lock`"
    dev_extra = {canonicalize_name(r.name) for r in requirements("dev")}
    assert dev_extra.isdisjoint(production), "the production lock holds the dev extra"


def test_torch_is_the_cpu_build_and_nothing_of_cuda_comes_along():
    for lock in (PROD_LOCK, DEV_LOCK):
        pins = read_lock(lock)
        assert pins["torch"][0].local == "cpu", f"{lock.name} has torch {pins['torch'][0]}, not the CPU build"
        cuda = sorted(name for name in pins if name.startswith("nvidia-") or name == "triton")
        assert not cuda, f"{lock.name} pulls CUDA: {cuda}"


def installed(name: str) -> Version | None:
    try:
        return Version(metadata.version(name))
    except metadata.PackageNotFoundError:
        return None


def test_the_suite_runs_on_the_locked_versions():
    differing = {}
    for name, (locked, _) in read_lock(DEV_LOCK).items():
        if (found := installed(name)) != locked:
            differing[name] = f"locked {locked}, installed {found}"
    assert not differing, f"{differing}: `make install` installs the lock"
