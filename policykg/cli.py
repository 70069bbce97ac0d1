"""The `policykg` command: thin subcommands that call plain functions and print their results."""
from __future__ import annotations

import argparse
import importlib
import sys

from policykg.errors import PolicyKGError

# Each module exposes `register(subparsers)`, adding its subcommands; a subcommand sets
# `func=callable(args) -> int` with `set_defaults`.
SUBCOMMAND_MODULES = [
    "policykg.graph_build.commands",
    "policykg.graph_build.neo4j_commands",
    "policykg.graph_build.corpusgen",
    "policykg.viz.commands",
    "policykg.queries.commands",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policykg",
        description="Turn Chinese policy documents into a knowledge graph of who does what, where and by when.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except PolicyKGError as exc:
        print(f"policykg: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("policykg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (`policykg … | head`): stop quietly, as Unix tools do
        import os
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
