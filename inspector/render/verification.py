"""Verification results as text or JSON."""

from __future__ import annotations

import json

from ..verify import AGREE, DIFFER, NOT_DERIVED, Verification


def render_verification_text(result: Verification) -> str:
    agree = sum(c.status == AGREE for c in result.checks)
    skipped = sum(c.status == NOT_DERIVED for c in result.checks)
    lines = [f"Verifying {result.source} against {result.against}", ""]
    for check in result.checks:
        if check.status == DIFFER:
            lines.append(f"DIFFERS  {check.path} ({check.class_name}): {check.message}")
    for path in result.unclaimed:
        lines.append(f"DIFFERS  the file holds {path}, which no layer of the config accounts for")
    if skipped:
        lines.append(f"{skipped} layer(s) not derived, so not checked")
    lines.append(
        f"{agree} of {len(result.checks)} layers agree; {len(result.disagreements)} differ"
        + (f"; {len(result.unclaimed)} arrays unaccounted for" if result.unclaimed else "")
        + "."
    )
    lines.append("Verified: every derived layer agrees." if result.ok else "Verification FAILED.")
    return "\n".join(lines) + "\n"


def render_verification_json(result: Verification) -> str:
    data = {
        "format_version": 1,
        "source": result.source,
        "against": result.against,
        "ok": result.ok,
        "layers": [
            {"path": c.path, "class_name": c.class_name, "status": c.status, "message": c.message}
            for c in result.checks
        ],
        "unclaimed_arrays": list(result.unclaimed),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
