"""Command line: `python -m inspector MODEL [options]`.

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
            "from its configuration. Reads .keras, legacy .h5 and model.to_json() files without "
            "importing TensorFlow or Keras."
        ),
    )
    parser.add_argument("model", help="a .keras or .h5 model file, or architecture JSON")
    parser.add_argument(
        "--format",
        choices=("table", "json", "markdown", "html"),
        default="table",
        help="output format (default: table); html is one self-contained page with a drawing",
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument(
        "--depth",
        type=_depth,
        default=0,
        metavar="N",
        help="expand nested models down to depth N in the table and Markdown ('all' for every "
        "level; default 0: one row per nested model, like Keras). JSON is always fully expanded.",
    )
    parser.add_argument(
        "--explain",
        metavar="LAYER",
        help="print the whole derivation of one layer (a name, or a path such as base/Conv1)",
    )
    parser.add_argument(
        "--what-if",
        metavar="CHANGE",
        action="append",
        default=[],
        help="derive the model again with a change and compare: LAYER=CLASS replaces a layer, "
        "LAYER:key=value[,key=value] changes its config; repeatable",
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
    from . import InspectorError

    try:
        output, code = _run(args)
    except InspectorError as exc:
        print(f"inspector: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (RecursionError, MemoryError) as exc:
        problem = f"too large or deep to read ({type(exc).__name__})"
        print(f"inspector: error: {args.model}: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        _write(output, args.output)
    except OSError as exc:
        print(f"inspector: error: {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return code


def _run(args) -> tuple[str, int]:
    """The text to print and the exit code, for each mode."""
    from . import InspectorError, inspect_model
    from .render import RENDERERS

    if args.verify:
        from .render.verification import render_verification_json, render_verification_text
        from .verify import verify

        result = verify(args.model)
        render = render_verification_json if args.format == "json" else render_verification_text
        return render(result), EXIT_OK if result.ok else EXIT_DISAGREES
    if args.what_if:
        return _what_if(args.model, args.what_if), EXIT_OK
    report = inspect_model(args.model)
    if args.explain:
        from .render.explain import render_explanation

        try:
            return render_explanation(report, args.explain), EXIT_OK
        except KeyError as exc:
            raise InspectorError(args.model, exc.args[0]) from None
    return RENDERERS[args.format](report, depth=args.depth), EXIT_OK


def _what_if(path: str, texts: list[str]) -> str:
    from . import InspectorError
    from .analyze import analyze
    from .errors import ConfigError
    from .render.whatif import render_whatif
    from .sources import load_source
    from .whatif import apply_changes, compare, parse_change

    source = load_source(path)
    try:
        changes = [parse_change(text) for text in texts]
        before = analyze(source.config, source.path, source.format)
        after = analyze(apply_changes(source.config, changes), source.path, source.format)
    except ConfigError as exc:
        raise InspectorError(path, str(exc)) from None
    return render_whatif(before, after, compare(before, after), "; ".join(map(str, changes)))


def _write(output: str, path: str | None = None) -> None:
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(output)
        return
    try:
        sys.stdout.write(output)
        sys.stdout.flush()
    except BrokenPipeError:  # `... | head` closed the pipe: not an error of ours
        sys.stderr.close()
