"""The table model the renderers draw (defined with the reports in the services layer, which
the export layer may import; re-exported here so renderers and callers name one place)."""

from tui_journal.services.reports.model import (
    DASH,
    Cell,
    Column,
    TableModel,
    column_groups,
    format_cell,
)

__all__ = ["DASH", "Cell", "Column", "TableModel", "column_groups", "format_cell"]
