"""Lists: curated list files (YAML) → list sources and entities."""

from riskscreen.lists.load import ListData, bundled_lists_dir, load_bundled, load_lists

__all__ = ["ListData", "bundled_lists_dir", "load_bundled", "load_lists"]
