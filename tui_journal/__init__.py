"""tui-journal: an electronic class journal and student diary for the terminal."""

__version__ = "0.1.0"
