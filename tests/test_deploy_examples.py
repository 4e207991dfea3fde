"""docs/examples/: the GitHub and GitLab Pages workflows install Passo, run the documented build and publish its
output folder. tests/e2e/test_installed_tool.py runs the GitHub workflow's build command on an installed Passo."""

from __future__ import annotations

import re
import shlex

import yaml

from tests.conftest import REPO

EXAMPLES = REPO / "docs/examples"


def documented_build_commands() -> list[str]:
    """The `passo build` lines of docs/install.md's code blocks, the commands the docs tell an admin to run."""
    text = (REPO / "docs/install.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    lines = [line.split("#", 1)[0].strip() for block in blocks for line in block.splitlines()]
    return list(dict.fromkeys(line for line in lines if line.startswith("passo build")))


def github_workflow() -> dict:
    return yaml.safe_load((EXAMPLES / "github-pages.yml").read_text())


def github_build_command() -> str:
    """The build step's command, for the installed-tool test to run as it is."""
    steps = github_workflow()["jobs"]["build"]["steps"]
    return next(step["run"] for step in steps if step.get("name") == "Build")


def test_documented_build_commands() -> None:
    assert documented_build_commands() == ["passo build", "passo build --out public"]


def test_github_pages_workflow_installs_builds_uploads_and_deploys() -> None:
    workflow = github_workflow()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = workflow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert float(steps[1]["with"]["python-version"]) >= 3.11  # Passo's requires-python
    runs = [step["run"] for step in steps if "run" in step]
    install = shlex.split(runs[0])
    assert install[:4] == ["python", "-m", "pip", "install"] and workflow["env"]["PASSO"].startswith("passo @ ")
    assert runs[1] == github_build_command() and github_build_command() in documented_build_commands()
    upload = steps[uses.index("actions/upload-pages-artifact")]
    assert upload["with"]["path"] == "dist"  # where `passo build` writes
    build_step = next(i for i, step in enumerate(steps) if step.get("name") == "Build")
    assert uses.index("actions/upload-pages-artifact") > build_step
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]


def test_gitlab_pages_job_builds_into_the_public_artifact() -> None:
    config = yaml.safe_load((EXAMPLES / "gitlab-pages.yml").read_text())
    job = config["pages"]
    assert shlex.split(job["script"][0])[:4] == ["python", "-m", "pip", "install"]
    assert config["variables"]["PASSO"].startswith("passo @ ")
    build = job["script"][1]
    assert build in documented_build_commands()
    assert shlex.split(build)[-2:] == ["--out", "public"] and job["artifacts"]["paths"] == ["public"]
    assert job["image"].startswith("python:3.1") and int(job["image"].split(".")[1]) >= 11
