"""cases/memory.py: what a web process keeps for itself is bounded."""

from ckanext.layananpublik.cases.memory import ProcessMemory


def test_kept_values_are_returned_and_a_full_memory_is_emptied_first():
    memory = ProcessMemory(2)
    assert memory.keep("a", 1) == 1 and memory.keep("b", 2) == 2
    memory.keep("b", 3)  # a key it holds: replaced, nothing dropped
    assert memory == {"a": 1, "b": 3}
    memory.keep("c", 4)
    assert memory == {"c": 4}


def test_keep_all_never_goes_past_the_size():
    memory = ProcessMemory(3)
    memory.keep_all({"a": 1, "b": 2})
    memory.keep_all({"c": 3, "d": 4})
    assert memory == {"c": 3, "d": 4}
