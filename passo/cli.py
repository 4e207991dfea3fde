"""The command line: build, serve, check, new, i18n (`passo ...` installed, `python build.py ...` in a checkout)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from passo.problems import BuildFailed, Problem


def _print_problems(problems: list[Problem]) -> None:
    for problem in sorted(problems):
        print(problem.format(), file=sys.stderr)
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    if errors or warnings:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


def _progress_printer() -> object:
    """Progress on a terminal for long builds only: a line that rewrites itself, nothing in logs or CI."""
    if not sys.stdout.isatty():
        return None
    started = time.perf_counter()

    def show(done: int, total: int) -> None:
        if time.perf_counter() - started > 1.0 and (done % 50 == 0 or done == total):
            print(f"\rrendering guides {done}/{total}", end="" if done < total else "\n", flush=True)

    return show


def cmd_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    if not args.full:
        from passo.record.freshness import unchanged_pages  # light: the rest of Passo loads only when there is work

        pages = unchanged_pages(Path(args.site), Path(args.out) if args.out else None)
        if pages is not None:
            print(f"built {pages} pages in {time.perf_counter() - started:.2f} s (nothing changed)")
            return 0
    from passo.pipeline import build

    try:
        result = build(Path(args.site), Path(args.out) if args.out else None, incremental=not args.full,
                       strict=args.strict, progress=_progress_printer())
    except BuildFailed as exc:
        _print_problems(exc.problems)
        print("build failed: dist/ was left as it was", file=sys.stderr)
        return 1
    _print_problems(result.warnings)
    what = "nothing changed" if result.skipped else f"{result.rendered} guide page(s) rendered"
    print(f"built {result.pages} pages in {result.seconds:.2f} s ({what})")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from passo.pipeline import check

    problems = check(Path(args.site), strict=args.strict)
    _print_problems(problems)
    if any(p.is_error for p in problems):
        return 1
    print("no problems found" if not problems else "no errors")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from passo.serve import serve

    return serve(Path(args.site), Path(args.out) if args.out else None, host=args.host, port=args.port)


def _scaffold(make: Callable[[], str]) -> int:
    """Run a `passo new` step: what it wrote, or why it wrote nothing."""
    try:
        said = make()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(said)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from passo.scaffold import new_guide

    return _scaffold(lambda: f"wrote {new_guide(Path(args.site), args.lang, args.slug, title=args.title)}")


def cmd_new_site(args: argparse.Namespace) -> int:
    target = Path(args.dir)
    if args.from_mkdocs:
        return _import_mkdocs(Path(args.from_mkdocs), target, args)
    from passo.scaffold import new_site

    return _scaffold(lambda: f"wrote {len(new_site(target, args.lang or [], name=args.name))} files in {target}; "
                             f"next: cd {target} && passo build (or passo serve)")


def _import_mkdocs(config: Path, target: Path, args: argparse.Namespace) -> int:
    from passo.scaffold.mkdocs import import_mkdocs

    if args.name:
        print("error: --name is taken from mkdocs.yml's site_name with --from-mkdocs (edit site.toml after)",
              file=sys.stderr)
        return 1
    try:
        done = import_mkdocs(config, target, args.lang or [])
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if done.left_out:
        print(f"what Passo cannot carry over from {config.name} ({len(done.left_out)}):", file=sys.stderr)
        for problem in done.left_out:
            print(f"  {problem.path}:{problem.line}: {problem.message}" if problem.line
                  else f"  {problem.path}: {problem.message}", file=sys.stderr)
    print(f"wrote {len(done.written)} files in {target}: {done.pages} guides from {config}; "
          f"next: cd {target} && passo build (or passo serve)")
    return 0


def cmd_i18n(args: argparse.Namespace) -> int:
    from passo.catalogues import update_catalogues

    for line in update_catalogues(Path(args.site)):
        print(line)
    return 0


def parser() -> argparse.ArgumentParser:
    from passo.builtin import version

    prog = "passo" if os.path.basename(sys.argv[0]) == "passo" else "python build.py"
    top = argparse.ArgumentParser(prog=prog, description="Passo: coaching guides and plan forms "
                                  "as a static, installable, offline web app.")
    top.add_argument("--version", action="version", version=f"Passo {version()}")
    top.add_argument("--site", default=".", help="the site folder, holding site.toml (default: current folder)")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the site into dist/")
    build.add_argument("--out", help="output folder (default: dist/ in the site folder)")
    build.add_argument("--full", action="store_true", help="rebuild everything, ignoring the last build's record")
    build.add_argument("--strict", action="store_true", help="treat warnings (missing translations) as errors")
    build.set_defaults(func=cmd_build)

    check = commands.add_parser("check", help="check everything a build would check, writing nothing")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.set_defaults(func=cmd_check)

    serve = commands.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild and reload on every change")
    serve.add_argument("--out", help="output folder (default: dist/)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.set_defaults(func=cmd_serve)

    new = commands.add_parser("new", help="write a skeleton to start from")
    kinds = new.add_subparsers(dest="kind", required=True, metavar="KIND")
    guide = kinds.add_parser("guide", help="a guide: new guide LANG SLUG")
    guide.add_argument("lang", help="language code, e.g. en")
    guide.add_argument("slug", help="URL slug, e.g. weekly-review (also the translation key)")
    guide.add_argument("--title", help="the guide's title (default: made from the slug)")
    guide.set_defaults(func=cmd_new)
    site = kinds.add_parser("site", help="a new site folder that builds at once: passo new site DIR --lang en")
    site.add_argument("dir", help="the folder to create (it must not exist yet, or be empty)")
    site.add_argument("--lang", action="append", help="a language of the site, repeatable (default: en); the "
                      "first is the default language")
    site.add_argument("--name", help="the site's name (default: Coaching)")
    site.add_argument("--from-mkdocs", metavar="MKDOCS_YML", help="make the site from an MkDocs project: its "
                      "docs folder becomes the first language's guides; site_name, nav and markdown_extensions go "
                      "into site.toml; what cannot be carried over is listed")
    site.set_defaults(func=cmd_new_site)

    i18n = commands.add_parser("i18n", help="extract interface and schema texts into locales/*/messages.po")
    i18n.set_defaults(func=cmd_i18n)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args))


def run() -> NoReturn:
    """The command's entry point (build.py and the installed `passo`): main(), then out of the process at once.

    Python's own shutdown (every module torn down, idle threads joined) took a tenth of a small site's build. By
    then every file is written and closed and Pagefind has stopped: only the output streams are left to flush. (mypy
    ends the same way.) Tests call main(), which returns; an error leaves through Python's usual way, traceback and
    all."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that went away (`passo build | head`)
            stream.flush()
    os._exit(code)
