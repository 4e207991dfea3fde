"""Passo as an organisation gets it: the wheel alone, installed into a fresh virtualenv, writes a new site in a
folder with no repository around it, builds it with the command of the deploy workflow, and the site works offline.

The wheel is built once per session. Its dependencies are the project's own (a .pth file points the new
environment at the project's site-packages): the point is that Passo's templates, browser code and catalogues
come from the wheel, which the test checks by where `passo` is imported from."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from passo import builtin
from tests.conftest import REPO
from tests.e2e.test_shell import check_every_page_offline
from tests.test_deploy_examples import github_build_command

pytestmark = pytest.mark.e2e


@dataclass
class Installed:
    wheel: Path
    bin: Path  # the fresh virtualenv's bin/
    site: Path  # made by `passo new site`, built by the workflow's command
    outputs: dict[str, str]  # command -> its stdout


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, f"{shlex.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    assert "warning" not in result.stderr, result.stderr
    return result.stdout


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("installed")
    # Built from a copy: setuptools leaves build/ behind, which has no place in the checkout.
    source = work / "source"
    anywhere = shutil.ignore_patterns(".*", "__pycache__", "*.egg-info")
    at_top = {"build", "dist", "node_modules", "content", "tests", "bench"}  # passo/content/ is Passo's own code

    def ignore(folder: str, names: list[str]) -> set[str]:
        top = Path(folder) == REPO
        return anywhere(folder, names) | {n for n in names if top and (n in at_top or n.startswith("dist."))}

    shutil.copytree(REPO, source, ignore=ignore)
    wheels = work / "wheels"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
         "-w", str(wheels), str(source)], cwd=work)
    [wheel] = wheels.glob("passo-*.whl")

    venv = work / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=work)
    purelib = Path(subprocess.run([venv / "bin/python", "-c", "import sysconfig; print(sysconfig.get_paths()"
                                   "['purelib'])"], capture_output=True, text=True, check=True).stdout.strip())
    (purelib / "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run([sys.executable, "-m", "pip", "--python", str(venv / "bin/python"), "install", "--no-deps", "--quiet",
         "--disable-pip-version-check", str(wheel)], cwd=work)

    # A folder far from any checkout, and an environment that knows only the new virtualenv.
    sites = work / "sites"
    sites.mkdir()
    assert not any((parent / "pyproject.toml").exists() or (parent / "site.toml").exists()
                   for parent in sites.parents)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    outputs = {}
    outputs["where"] = run(["python", "-c", "import passo, passo.builtin as b; print(passo.__file__); "
                            "print(b.root())"], cwd=sites, env=env)
    outputs["version"] = run(["passo", "--version"], cwd=sites, env=env)
    outputs["help"] = run(["passo", "--help"], cwd=sites, env=env)
    outputs["new site"] = run(["passo", "new", "site", "coaching", "--lang", "en", "--lang", "it"], cwd=sites,
                              env=env)
    site = sites / "coaching"
    outputs["new guide"] = run(["passo", "new", "guide", "it", "revisione-settimanale"], cwd=site, env=env)
    outputs["build"] = run(shlex.split(github_build_command()), cwd=site, env=env)
    return Installed(wheel, venv / "bin", site, outputs)


def test_the_wheel_carries_every_file_of_passos_folders(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for folder in ("templates", "site_src", "locales", "schemas"):
        files = [p for p in (REPO / folder).rglob("*") if p.is_file() and not p.name.startswith(".")]
        assert files, folder
        for path in files:
            assert f"passo/_builtin/{path.relative_to(REPO).as_posix()}" in names, path
    assert not any(name.startswith(("content/", "passo/_builtin/content/", "tests/")) for name in names)


def test_passo_runs_from_the_wheel_with_the_subcommands_of_build_py(installed: Installed) -> None:
    module, root = installed.outputs["where"].split()
    venv = installed.bin.parent
    assert Path(module).is_relative_to(venv) and Path(root) == Path(module).parent / "_builtin"
    assert installed.outputs["version"].strip() == f"Passo {builtin.version()}"
    assert "usage: passo " in installed.outputs["help"]
    from passo.cli import parser

    commands = next(a for a in parser()._actions if a.dest == "command").choices
    assert sorted(commands) == ["build", "check", "i18n", "new", "serve"]
    for command in commands:
        assert f"    {command}" in installed.outputs["help"], command


def test_the_new_site_is_only_the_sites_own_files(installed: Installed) -> None:
    assert "wrote 11 files in coaching" in installed.outputs["new site"]
    own = sorted(p.name for p in installed.site.iterdir() if not p.name.startswith("."))
    assert own == ["content", "dist", "locales", "schemas", "site.toml"]
    # Home, my plans, agenda, review, coachees, settings, privacy, five forms and the welcome guide in two languages;
    # the language choice, 404 and offline pages; the guide `passo new guide` added, in Italian and as the English
    # fallback.
    assert installed.outputs["build"].startswith("built 31 pages")
    page = (installed.site / "dist/it/guides/revisione-settimanale/index.html").read_text()
    assert f'<meta name="generator" content="Passo {builtin.version()}">' in page
    assert "Vai al contenuto" in page  # Passo's Italian, from the wheel


def test_the_installed_tools_site_works_offline(page, watch, serve_dir, installed: Installed) -> None:  # type: ignore[no-untyped-def]
    dist = installed.site / "dist"
    check_every_page_offline(page, serve_dir(dist), dist, min_pages=20)
