"""Command line: `python -m inspector MODEL [--format table|json] [--depth N]`.

The only module that prints or chooses an exit code: 0 success, 2 unreadable input.
"""

from __future__ import annotations

import argparse
import sys

from . import __version__

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def _depth(value: str) -> int:
    if value == "all":
        return 10**6
    try:
        depth = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number or 'all', got {value!r}") from None
    if depth < 0:
        raise argparse.ArgumentTypeError("depth cannot be negative")
    return depth


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m inspector",
        description=(
            "Explain a Keras model: every layer's shape change and parameter count, derived "
            "from its configuration. Reads .keras files and model.to_json() output without "
            "importing TensorFlow or Keras."
        ),
    )
    parser.add_argument("model", help="a .keras file or architecture JSON")
    parser.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="output format (default: table)",
    )
    parser.add_argument(
        "--depth",
        type=_depth,
        default=0,
        metavar="N",
        help="expand nested models down to depth N in the table ('all' for every level; "
        "default 0: one row per nested model, like Keras). JSON is always fully expanded.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from . import InspectorError, inspect_model
    from .render import RENDERERS

    try:
        report = inspect_model(args.model)
    except InspectorError as exc:
        print(f"inspector: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (RecursionError, MemoryError) as exc:
        print(
            f"inspector: error: {args.model}: too large or deep to read ({type(exc).__name__})",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    output = RENDERERS[args.format](report, depth=args.depth)
    try:
        sys.stdout.write(output)
        sys.stdout.flush()
    except BrokenPipeError:  # `... | head` closed the pipe: not an error of ours
        sys.stderr.close()
    return EXIT_OK
