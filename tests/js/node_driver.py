"""One Node process per test session that runs Passo's browser modules and ical.js (see driver.mjs)."""

from __future__ import annotations

import atexit
import itertools
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("driver.mjs")


class NodeError(RuntimeError):
    """The JavaScript side threw; the message carries its stack."""


class NodeDriver:
    """A Node script answering one JSON request a line: driver.mjs by default (tests/engines drives Firefox so)."""

    def __init__(self, script: Path = DRIVER) -> None:
        node = shutil.which("node") or "/usr/bin/node"
        self._proc = subprocess.Popen(
            [node, "--disable-warning=MODULE_TYPELESS_PACKAGE_JSON", str(script)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self._ids = itertools.count(1)

    def __call__(self, cmd: str, **args: Any) -> Any:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        req_id = next(self._ids)
        self._proc.stdin.write(json.dumps({"id": req_id, "cmd": cmd, "args": args}) + "\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        if not line:
            raise NodeError(f"node driver exited with code {self._proc.wait()}")
        reply = json.loads(line)
        assert reply["id"] == req_id, reply
        if not reply["ok"]:
            raise NodeError(reply["error"])
        return reply["result"]

    def call(self, module: str, fn: str, *args: Any) -> Any:
        """Call an exported function of a module under the repository root, e.g. site_src/js/export/ics.js."""
        return self("call", module=module, fn=fn, args=list(args))

    def close(self) -> None:
        if self._proc.poll() is None:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        if self._proc.stdout:
            self._proc.stdout.close()  # else a ResourceWarning, an error under the suite's settings


_shared: NodeDriver | None = None


def shared_driver() -> NodeDriver:
    """The session's one driver: several test modules share it, so it is made once and closed at exit."""
    global _shared
    if _shared is None:
        _shared = NodeDriver()
        atexit.register(_shared.close)
    return _shared
