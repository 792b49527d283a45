"""Dashboard panels: what an app shows on `/tableau-de-bord/` (see settings.DASHBOARD_PANELS)."""

from dataclasses import dataclass, field


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
