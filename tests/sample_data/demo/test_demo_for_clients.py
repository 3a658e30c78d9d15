"""The demo's names for clients name steps its cycles have (a step renamed in CYCLES and not in
FOR_CLIENTS would silently be hidden from clients)."""

from darkroom.sample_data.demo.cycles import CYCLES, FOR_CLIENTS


def test_every_name_for_clients_belongs_to_a_step():
    steps = {(cycle.name, step[0]) for cycle in CYCLES for step in cycle.steps}
    assert set(FOR_CLIENTS) <= steps
    assert all(0 < len(words) <= 80 for words in FOR_CLIENTS.values())
