"""The UI's templates and static files (its own small CSS and JS: no build step, no CDN)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint(
    "ui",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/ui",
)
