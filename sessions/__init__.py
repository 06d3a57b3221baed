"""heartline's domain: rituals, the turn engine, the clock, the record, statistics.

Nothing here imports Textual; everything is deterministic given a clock.
"""

__version__ = "0.1.0"
