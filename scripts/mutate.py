"""Mutation testing of the code whose mistakes hurt residents most, one module at a time (``make mutate``).

mutmut (pinned in setup.cfg's test extra) changes the code one small mistake at a time (``<`` for
``<=``, ``and`` for ``or``, a constant off by one, a line left out) and runs the tests that cover the
changed function. A mutant the tests fail on is *killed*; one they still pass with *survived*: a
mistake nobody would notice. Each target below runs in its own folder under ``build/mutate/<name>``
with only its own tests, so one target takes minutes. Every run starts afresh (mutmut's own cache
keeps a result while the code is unchanged even when the tests have changed, so it is not used).

    .venv/bin/python scripts/mutate.py                  every target, one after another
    .venv/bin/python scripts/mutate.py routing crypto   only these
    .venv/bin/python scripts/mutate.py --list           the targets, their files and tests
    .venv/bin/python scripts/mutate.py --survivors      also name every surviving mutant

Then ``cd build/mutate/<name> && ../../../.venv/bin/mutmut show <mutant>`` shows one mutant's diff.
Every survivor is either killed by a new test or listed in docs/testing.md with why it is equivalent
(the same behaviour, so no test can tell them apart). Exit status 1 when a target's score is below
its ``floor``.
"""

from __future__ import annotations

import argparse
import configparser
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "mutate"
MUTMUT = Path(sys.executable).with_name("mutmut")
#: What the tests need beside assist/ and tests/: forms, printouts, translations, the demo config.
ALSO_COPY = ["forms", "printouts", "translations", "config.toml"]


@dataclass
class Target:
    """Files to mutate, the tests that cover them, and optionally which functions (mutmut's names,
    ``Class.method`` or ``function``, globs allowed) when only part of a file is the target."""

    files: list[str]
    tests: list[str]
    functions: list[str] = field(default_factory=list)
    floor: float = 0.0  # the lowest score ((killed + timeout) / mutants, in %) this target may have


TARGETS: dict[str, Target] = {
    "routing": Target(["assist/engine/routing.py"], ["tests/test_engine_routing.py",
                                                     "tests/test_engine_conditions.py"], floor=90),
    "conditions": Target(["assist/engine/conditions.py", "assist/engine/rules.py"],
                         ["tests/test_engine_conditions.py", "tests/test_engine_routing.py"], floor=90),
    "validation-date": Target(["assist/engine/questions_date.py"], ["tests/test_engine_questions_date.py",
                                                                     "tests/test_engine_definitions.py"],
                              floor=90),
    "validation-contact": Target(["assist/engine/questions_contact.py"], ["tests/test_engine_questions_contact.py",
                                                                           "tests/test_engine_definitions.py"],
                                 floor=90),
    "validation-text": Target(["assist/engine/questions_text.py"], ["tests/test_engine_questions_text.py",
                                                                     "tests/test_engine_definitions.py"],
                              floor=90),
    "references": Target(["assist/engine/references.py"], ["tests/test_engine_references.py"]),
    "crypto": Target(["assist/storage/crypto.py"], ["tests/test_storage_encryption.py",
                                                     "tests/test_storage_envelope.py"]),
    "resume-codes": Target(["assist/storage/resume.py"], ["tests/test_assisted_storage.py", "tests/test_storage.py",
                                                         "tests/test_resume_codes.py"]),
    "sign-in-attempts": Target(["assist/storage/helpers.py"], ["tests/test_assisted_storage.py",
                                                          "tests/test_sign_in_lockout.py"],
                               functions=["PinLimits.*", "PinCheck.*", "HelpersMixin.sign_in_helper",
                                          "HelpersMixin.check_pin", "HelpersMixin._check_attempt",
                                          "HelpersMixin.pin_waits", "HelpersMixin.clear_pin_wait",
                                          "HelpersMixin._forget_attempts", "_at_venues"]),
}

STATUSES = ("killed", "survived", "timeout", "no tests", "not checked", "suspicious", "skipped", "segfault",
            "caught by type check", "check was interrupted by user")


def module_of(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def mutant_patterns(target: Target) -> list[str]:
    """mutmut's names for the target's mutants: ``assist.engine.model.xǁConditionǁholds__mutmut_3``."""
    patterns = []
    for path in target.files:
        module = module_of(path)
        if not target.functions:
            patterns.append(f"{module}.*")
            continue
        for function in target.functions:
            if "." in function:
                cls, method = function.split(".", 1)
                patterns.append(f"{module}.xǁ{cls}ǁ{method}__mutmut_*")
            else:
                patterns.append(f"{module}.x_{function}__mutmut_*")
    return patterns


def prepare(name: str, target: Target) -> Path:
    """``build/mutate/<name>``: links to the checkout and a setup.cfg with this target's [mutmut] settings."""
    work = BUILD / name
    work.mkdir(parents=True, exist_ok=True)
    for entry in ["assist", "tests", *ALSO_COPY]:
        link = work / entry
        if not link.is_symlink():
            link.symlink_to(ROOT / entry)
    settings = configparser.ConfigParser()
    settings["mutmut"] = {
        "source_paths": "assist",
        "only_mutate": "\n" + "\n".join(target.files),
        "also_copy": "\n" + "\n".join(ALSO_COPY),
        "pytest_add_cli_args_test_selection": "\n" + "\n".join(target.tests),
        "pytest_add_cli_args": "\n-p\nno:cacheprovider\n-p\nno:randomly\n-W\nignore::DeprecationWarning",
        "use_git_change_detection": "false",
    }
    text = "# Written by scripts/mutate.py for the target '%s': change TARGETS there, not this file.\n" % name
    with open(work / "setup.cfg.new", "w", encoding="utf-8") as out:
        out.write(text)
        settings.write(out)
    new, old = work / "setup.cfg.new", work / "setup.cfg"
    if old.exists() and old.read_text(encoding="utf-8") == new.read_text(encoding="utf-8"):
        new.unlink()
    else:
        new.replace(old)
    return work


def results(work: Path) -> dict[str, str]:
    """Every mutant mutmut knows in ``work`` and its status."""
    output = subprocess.run([str(MUTMUT), "results", "--all", "true"], cwd=work, capture_output=True, text=True,
                            check=True).stdout
    found = {}
    for line in output.splitlines():
        match = re.match(r"\s+(\S+): (.+)$", line)
        if match:
            found[match.group(1)] = match.group(2).strip()
    return found


def run(name: str, target: Target, max_children: int, show_survivors: bool) -> dict:
    work = prepare(name, target)
    shutil.rmtree(work / "mutants", ignore_errors=True)
    patterns = mutant_patterns(target)
    started = time.monotonic()
    command = [str(MUTMUT), "run", "--max-children", str(max_children)]
    if target.functions:
        command += patterns
    log = work / "mutmut.log"
    with open(log, "w", encoding="utf-8") as out:
        done = subprocess.run(command, cwd=work, stdout=out, stderr=subprocess.STDOUT,
                              env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    if done.returncode != 0:
        print(f"{name}: mutmut failed (exit {done.returncode}); see {log.relative_to(ROOT)}", file=sys.stderr)
        sys.stderr.write(log.read_text(encoding="utf-8")[-3000:])
        return {"name": name, "failed": True}
    mine = {mutant: status for mutant, status in results(work).items()
            if any(fnmatch.fnmatchcase(mutant, pattern) for pattern in patterns)}
    counts = {status: sum(1 for s in mine.values() if s == status) for status in STATUSES}
    total = len(mine)
    # A mutant that makes the tests run past their time limit (an endless loop) is caught too.
    score = 100.0 * (counts["killed"] + counts["timeout"]) / total if total else 0.0
    row = {"name": name, "mutants": total, "score": score, "seconds": time.monotonic() - started,
           "floor": target.floor, **counts,
           "survivors": sorted(m for m, s in mine.items() if s not in ("killed", "timeout"))}
    if show_survivors:
        for mutant in row["survivors"]:
            print(f"    {mine[mutant]:9} {mutant}")
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", help=f"some of: {', '.join(TARGETS)} (default: all)")
    parser.add_argument("--max-children", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--list", action="store_true", help="list the targets and stop")
    parser.add_argument("--survivors", action="store_true", help="name every mutant not killed")
    args = parser.parse_args(argv)
    if args.list:
        for name, target in TARGETS.items():
            functions = f" ({', '.join(target.functions)})" if target.functions else ""
            print(f"{name:20} {', '.join(target.files)}{functions}\n{'':20} tests: {', '.join(target.tests)}")
        return 0
    unknown = [name for name in args.targets if name not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}; known: {', '.join(TARGETS)}")
    if not MUTMUT.exists():
        print(f"{MUTMUT} is missing: `make setup` installs the test extra (mutmut)", file=sys.stderr)
        return 2
    rows = []
    for name in args.targets or list(TARGETS):
        print(f"== {name}: {', '.join(TARGETS[name].files)}", flush=True)
        row = run(name, TARGETS[name], args.max_children, args.survivors)
        rows.append(row)
        if not row.get("failed"):
            print(f"   {row['mutants']} mutants, {row['killed']} killed, {row['survived']} survived, "
                  f"{row['timeout']} timeout, {row['no tests']} with no test; {row['score']:.1f}% caught "
                  f"in {row['seconds']:.0f} s", flush=True)
    print()
    print(f"{'target':20} {'mutants':>7} {'killed':>7} {'survived':>8} {'timeout':>7} {'no test':>7} {'score':>7}")
    status = 0
    for row in rows:
        if row.get("failed"):
            print(f"{row['name']:20} mutmut failed")
            status = 1
            continue
        low = row["score"] < row["floor"]
        status = status or int(low)
        print(f"{row['name']:20} {row['mutants']:7} {row['killed']:7} {row['survived']:8} {row['timeout']:7} "
              f"{row['no tests']:7} {row['score']:6.1f}%" + (f"  below {row['floor']:.0f}%" if low else ""))
    return status


if __name__ == "__main__":
    sys.exit(main())
