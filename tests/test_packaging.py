"""Installing heartline puts one namespace, `heartline`, in site-packages."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {"tui": "heartline.tui", "sessions": "heartline.sessions", "themes": "heartline.themes"}


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_the_three_folders_map_into_the_heartline_namespace():
    assert _config()["package-dir"] == {pkg: folder for folder, pkg in FOLDERS.items()}


def test_every_folder_with_code_or_data_is_an_installed_package():
    listed = set(_config()["packages"])
    shipped = set()
    for folder, pkg in FOLDERS.items():
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".py", ".toml", ".tcss"} and "__pycache__" not in path.parts:
                rel = path.parent.relative_to(ROOT / folder)
                shipped.add(".".join((pkg, *rel.parts)))
    assert shipped <= listed, f"not installed: {sorted(shipped - listed)}"
    assert all(p.startswith("heartline.") for p in listed)


def test_the_command_runs_from_the_namespace():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"heartline": "heartline.tui.cli:main"}
