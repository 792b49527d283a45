"""Server-side PDF of a dossier with WeasyPrint; optional: it needs the system Pango library.

Without it (`available()` is False) the print page alone is offered: the browser's « Imprimer / PDF ».
"""

from functools import cache
from pathlib import Path

from django.template.loader import render_to_string

PRINT_CSS = Path(__file__).parent / "static" / "dossiers" / "print.css"


@cache
def available() -> bool:
    try:
        import weasyprint  # noqa: F401 (optional, loads native libraries)
    except (ImportError, OSError):
        return False
    return True


def render(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    css = PRINT_CSS.read_text(encoding="utf-8").split("@media print")[0]
    html = render_to_string(template, {**context, "print_css": css})
    return HTML(string=html).write_pdf()
