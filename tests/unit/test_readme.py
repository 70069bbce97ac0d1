"""The README is part of the product: its quick start is what CI runs, and every command it shows exists."""
import re
from pathlib import Path

from policykg.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_quick_start_commands_are_the_ones_ci_and_make_use():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "make run" in quick and "make test" in quick
    assert re.search(r"^\s*make test\s*$", (ROOT / ".ci/run").read_text(), re.M)
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


def test_every_subcommand_the_readme_shows_exists():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    code = "\n".join(re.findall(r"```[a-z]*\n(.*?)```", README, re.S))
    shown = set(re.findall(r"policykg ([a-z][a-z0-9-]+)", code))
    assert {"build", "export"} <= shown
    missing = sorted(shown - set(sub.choices))
    assert missing == []


def test_readme_says_why_not_py2neo():
    assert "py2neo" in README and "end-of-life" in README
