"""mtqa: quality checks for English→French machine-translated news."""

__version__ = "0.1.0"
