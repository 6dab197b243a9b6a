"""`python -m lintlock.runtime [OPTIONS] script.py ARGS` or `... -m module ARGS`: run a program with its locks tracked."""

from __future__ import annotations

import os
import runpy
import sys
from typing import List, Optional, Tuple

USAGE = """usage: python -m lintlock.runtime [OPTIONS] (script.py | -m module) [ARGS...]

Runs the program with its locks tracked (lintlock.runtime), then prints what it
observed to stderr (LL101, LL102, LL103), and dumps every thread if some are
stuck at exit.

options:
  --report FILE            also write the findings to FILE (.json, .sarif or .txt)
  --on-self-deadlock MODE  raise (default): DeadlockError in the thread;
                           block: report, then hang as the program asked
  --grace SECONDS          how long a self-deadlock waits for another thread to
                           hand the lock over before it is reported (default 1)
  --hang-timeout SECONDS   dump every thread when one stays blocked that long
  --fail                   exit with status 3 when something was found
"""

VALUED = {"--report": "report", "--on-self-deadlock": "on_self_deadlock", "--grace": "grace", "--hang-timeout": "hang_timeout"}


def parse(argv: List[str]) -> Tuple[dict, List[str]]:
    """Options up to the script (or -m module); everything after belongs to the program."""
    options: dict = {"fail": False}
    index = 0
    while index < len(argv):
        arg = argv[index]
        name, _, inline = arg.partition("=")
        if name in VALUED:
            if not inline:
                index += 1
                if index >= len(argv):
                    raise ValueError(f"{name} needs a value")
                inline = argv[index]
            options[VALUED[name]] = inline
        elif arg == "--fail":
            options["fail"] = True
        elif arg in ("-h", "--help"):
            raise SystemExit(USAGE)
        elif arg == "-m" or not arg.startswith("-"):
            break
        else:
            raise ValueError(f"unknown option {arg}")
        index += 1
    rest = argv[index:]
    if not rest or rest == ["-m"]:
        raise ValueError("no script or -m module to run")
    if options.get("on_self_deadlock", "raise") not in ("raise", "block"):
        raise ValueError("--on-self-deadlock is raise or block")
    for key in ("grace", "hang_timeout"):
        if key in options:
            options[key] = float(options[key])
    return options, rest


def _missing(program: List[str]) -> str:
    """Why the program cannot be run at all ('' when it can), said before anything is tracked."""
    if program[0] == "-m":
        import importlib.util

        top = program[1].partition(".")[0]  # a submodule's spec would import its package now, untracked
        try:
            found = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            found = None
        return "" if found is not None else f"no module named {top}"
    return "" if os.path.isfile(program[0]) else f"can't open file {program[0]!r}"


def main(argv: Optional[List[str]] = None) -> int:
    try:
        options, program = parse(sys.argv[1:] if argv is None else argv)
    except ValueError as error:
        sys.stderr.write(f"lintlock.runtime: {error}\n{USAGE}")
        return 2
    missing = _missing(program)
    if missing:
        sys.stderr.write(f"lintlock.runtime: {missing}\n")
        return 2
    from . import findings, install

    fail = options.pop("fail")
    install(report=options.pop("report", None), hang_timeout=options.pop("hang_timeout", None), **options)
    status = 0
    try:
        if program[0] == "-m":
            sys.argv = program[1:]
            runpy.run_module(program[1], run_name="__main__", alter_sys=True)
        else:
            sys.argv = program
            sys.path[0] = os.path.dirname(os.path.abspath(program[0]))  # as `python script.py` does
            runpy.run_path(program[0], run_name="__main__")
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        if not isinstance(exit_.code, (int, type(None))):
            sys.stderr.write(f"{exit_.code}\n")
    if fail and status == 0 and findings():
        status = 3
    return status


if __name__ == "__main__":
    sys.exit(main())
