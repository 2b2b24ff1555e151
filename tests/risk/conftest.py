from tests.cases.conftest import AT, TODAY, World, _documents_in_tmp, _on_a_fixed_day, world

__all__ = ["AT", "TODAY", "World", "_documents_in_tmp", "_on_a_fixed_day", "world"]
