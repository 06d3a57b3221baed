"""heartline's terminal interface: the command line and the Textual app.

`python -m tui` (and the `heartline` script) enter through `tui.cli.main`.
"""
