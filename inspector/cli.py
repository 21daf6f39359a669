"""Command line: `python -m inspector MODEL [--format table|json] [--depth N]`.

The only module that prints or chooses an exit code: 0 success, 1 a failed --verify,
2 unreadable input.
"""

from __future__ import annotations

import argparse
import sys

from . import __version__

EXIT_OK = 0
EXIT_DISAGREES = 1
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
    parser.add_argument(
        "--verify",
        action="store_true",
        help="check every derived layer against the weight arrays the file holds (their shapes "
        "only); exit 1 when any differs",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from . import InspectorError, inspect_model
    from .render import RENDERERS

    try:
        if args.verify:
            from .render.verification import render_verification_json, render_verification_text
            from .verify import verify

            result = verify(args.model)
            render = render_verification_json if args.format == "json" else render_verification_text
            _write(render(result))
            return EXIT_OK if result.ok else EXIT_DISAGREES
        report = inspect_model(args.model)
    except InspectorError as exc:
        print(f"inspector: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (RecursionError, MemoryError) as exc:
        problem = f"too large or deep to read ({type(exc).__name__})"
        print(f"inspector: error: {args.model}: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    _write(RENDERERS[args.format](report, depth=args.depth))
    return EXIT_OK


def _write(output: str) -> None:
    try:
        sys.stdout.write(output)
        sys.stdout.flush()
    except BrokenPipeError:  # `... | head` closed the pipe: not an error of ours
        sys.stderr.close()
