"""The locks in requirements/ agree with pyproject.toml and with each other.

`python3 tasks.py build` installs requirements/build.txt and `python3 tasks.py test`
requirements/test.txt (tasks.py's bootstrap): a pin changed in pyproject.toml without
`python3 tasks.py lock` would install the old version, and a build lock that pinned a package
differently from the test lock would make the tests run against another site builder.
"""

from __future__ import annotations

import importlib.util
import re
import tomllib

import pytest
from helpers import ROOT

#: Which extras each lock holds besides the project's own dependencies (tasks.py: LOCK_EXTRAS).
LOCK_EXTRAS = {
    "build": (),
    "test": ("test", "examples", "audit", "lint", "book"),
    "lint": ("lint",),
    "icons": ("icons",),
    "book": ("book",),
}
#: Extras whose packages the build lock must never hold for their own sake: testing, linting and
#: writing the icon data need them, building does not.
TEST_ONLY_EXTRAS = ("test", "examples", "audit", "lint", "icons")
REFRESH = "run python3 tasks.py lock"


def normalized(name: str) -> str:
    """PEP 503: `Jinja2`, `jinja2` and `JINJA_2` are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def pinned(requirement: str) -> tuple[str, str]:
    """`pagefind[bin]==1.5.2  ` -> ("pagefind", "1.5.2")."""
    name, version = requirement.split("==")
    return normalized(name.split("[")[0].strip()), version.strip()


def lock_pins(profile: str) -> dict[str, str]:
    """The `name==version` lines of requirements/PROFILE.txt."""
    text = (ROOT / "requirements" / f"{profile}.txt").read_text(encoding="utf-8")
    return dict(pinned(line.split()[0]) for line in text.splitlines() if re.match(r"[A-Za-z0-9]", line))


def lock_entries(profile: str) -> list[str]:
    """Each package of a lock with its --hash lines, as one block of text."""
    text = (ROOT / "requirements" / f"{profile}.txt").read_text(encoding="utf-8")
    return re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 1)[1])[1:]


def wanted(profile: str) -> dict[str, str]:
    """What pyproject.toml pins for a profile: the dependencies and the profile's extras."""
    requirements = list(project()["dependencies"])
    for extra in LOCK_EXTRAS[profile]:
        requirements += project()["optional-dependencies"][extra]
    return dict(pinned(requirement) for requirement in requirements)


@pytest.mark.parametrize("profile", LOCK_EXTRAS)
def test_each_lock_pins_what_pyproject_pins(profile):
    locked = lock_pins(profile)
    drift = [
        f"{name}=={version} (lock: {locked.get(name, 'absent')})"
        for name, version in wanted(profile).items()
        if locked.get(name) != version
    ]
    assert not drift, f"requirements/{profile}.txt disagrees with pyproject.toml on {', '.join(drift)}: {REFRESH}"


def test_every_pyproject_requirement_is_pinned_exactly():
    """A range (`>=`) in pyproject.toml would let `lock --upgrade` move a top-level package silently."""
    requirements = list(project()["dependencies"])
    for extra in project()["optional-dependencies"].values():
        requirements += extra
    assert [requirement for requirement in requirements if "==" not in requirement] == []


@pytest.mark.parametrize("profile", ["test", "lint"])
def test_the_build_lock_is_part_of_every_other_lock(profile):
    """Same versions: the tests run the site builder that `build` installs, and `build` after
    `test` installs nothing."""
    other = lock_pins(profile)
    differ = [f"{name}=={version}" for name, version in lock_pins("build").items() if other.get(name) != version]
    assert not differ, f"requirements/{profile}.txt lacks or pins differently: {', '.join(differ)}: {REFRESH}"


def needed_by_a_build_package(entry: str) -> bool:
    """Whether a lock entry's `# via` lines name a locked package (pyyaml via pymdown-extensions),
    not only the project's own pyproject.toml or the test lock's constraint."""
    via = [line.strip(" #") for line in entry.splitlines() if line.lstrip().startswith("#")]
    return any(name not in ("via", "-c requirements/test.txt") and "(pyproject.toml)" not in name for name in via)


def test_the_build_lock_holds_no_test_or_example_package():
    build = lock_pins("build")
    extras = project()["optional-dependencies"]
    test_only = {pinned(requirement)[0] for extra in TEST_ONLY_EXTRAS for requirement in extras[extra]}
    needed = {pinned(entry.split()[0])[0] for entry in lock_entries("build") if needed_by_a_build_package(entry)}
    leaked = sorted((test_only & build.keys()) - needed)
    assert not leaked, f"requirements/build.txt holds {', '.join(leaked)}, which only testing or linting needs"


@pytest.mark.parametrize("profile", LOCK_EXTRAS)
def test_every_locked_package_has_a_hash(profile):
    """pip's --require-hashes refuses a lock with one package without a hash."""
    unhashed = [entry.split()[0] for entry in lock_entries(profile) if "--hash=sha256:" not in entry]
    assert lock_entries(profile)
    assert unhashed == []


def test_the_locks_name_no_local_index_or_path():
    """A lock written on a machine with its own package mirror must install anywhere."""
    for lock in (ROOT / "requirements").glob("*.txt"):
        text = lock.read_text(encoding="utf-8")
        assert not re.search(r"--(extra-)?index-url|--find-links|file://|@ /", text), lock.name


def test_the_lock_task_and_this_test_agree_on_the_profiles():
    spec = importlib.util.spec_from_file_location("tasks_under_test", ROOT / "tasks.py")
    tasks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tasks)
    assert tasks.LOCK_EXTRAS == LOCK_EXTRAS
    assert set(tasks.TASK_PROFILES.values()) <= set(LOCK_EXTRAS)


@pytest.mark.parametrize(
    ("argv", "profiles"),
    [
        ([], ["build"]),
        (["build", "--strict"], ["build"]),
        (["serve", "--port", "8001"], ["build"]),
        (["test", "--args", "-x"], ["build", "test"]),
        (["screenshots"], ["build", "test"]),
        (["lint", "test"], ["build", "lint", "test"]),
    ],
)
def test_the_bootstrap_installs_only_what_the_tasks_need(argv, profiles):
    spec = importlib.util.spec_from_file_location("tasks_under_test", ROOT / "tasks.py")
    tasks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tasks)
    assert tasks._profiles_for(argv) == profiles


def test_the_lock_task_refuses_any_python_but_the_oldest_supported():
    spec = importlib.util.spec_from_file_location("tasks_under_test", ROOT / "tasks.py")
    tasks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tasks)
    tasks._check_lock_python(tasks.LOCK_PYTHON)  # the one it accepts
    with pytest.raises(tasks.Exit) as refused:
        tasks._check_lock_python((3, 11, 7))
    assert "Python 3.11.2" in str(refused.value.message)
    assert "not 3.11.7" in str(refused.value.message)
    assert refused.value.code == 2
