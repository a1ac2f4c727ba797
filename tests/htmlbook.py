"""Shared helpers for the tests of the built book (_build/html)."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"


def config():
    return yaml.safe_load((ROOT / "_config.yml").read_text())


def colab_url(chapter):
    repo = config()["repository"]
    owner_repo = re.sub(r"^https://github.com/", "", repo["url"]).rstrip("/")
    return f"https://colab.research.google.com/github/{owner_repo}/blob/{repo['branch']}/notebooks/{chapter}.ipynb"


def built_chapters():
    from bookcheck import toc_files

    return [f.split("/", 1)[1] for f in toc_files() if f.startswith("notebooks/")]


def built_pages():
    from bookcheck import toc_files

    return ["index"] + [f for f in toc_files()]
