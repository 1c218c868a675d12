"""``make bench``: performance figures on a 100,000-space network (not part of the tests)."""


def print_rows(rows: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Print a bench module's rows (figure, value, target) as a Markdown table; returns them for ``python -m bench``."""
    print("| Figure | Value | Target |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return rows
