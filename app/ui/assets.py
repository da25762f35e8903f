"""The UI's templates and static files (its own small CSS and JS: no build step, no CDN)."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for

bp = Blueprint(
    "ui",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/ui",
)


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico on pages without an icon link (a JSON document opened in
    a tab): they get the site's SVG icon."""
    return redirect(url_for("ui.static", filename="favicon.svg"), code=301)
