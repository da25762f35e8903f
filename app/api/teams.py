"""Teams and their API tokens."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, jsonify

from app.api.rendering import created, page
from app.api.requests import documented, json_body, page_args
from app.core.errors import InvalidInput
from app.services import catalog, listing, tokens
from app.services.views import team_view, token_view
from app.web import db_session, require_read_access, writer

bp = Blueprint("teams", __name__, url_prefix="/api/v1")


@bp.post("/teams")
@documented(
    "Create a team (admin)", body="team-create", status=201, auth=True, tag="teams", answer="Team"
)
def create_team() -> Response:
    body = json_body("team-create")
    team = catalog.create_team(
        db_session(), writer(), body["slug"], body["name"], body.get("description", "")
    )
    return created(team_view(team), f"/api/v1/teams/{team.slug}")


@bp.get("/teams")
@documented("List teams", paginated=True, tag="teams", answer="Team")
def list_teams() -> Response:
    require_read_access()
    limit, after = page_args()
    return page(listing.list_teams(db_session(), after, limit), team_view)


@bp.get("/teams/<team>")
@documented("Get a team", tag="teams", answer="Team")
def get_team(team: str) -> Response:
    require_read_access()
    return jsonify(team_view(catalog.get_team(db_session(), team)))


@bp.post("/teams/<team>/tokens")
@documented(
    "Create a token for a team (admin); the secret is in this answer only",
    body="token-create",
    status=201,
    auth=True,
    tag="tokens",
    answer="NewToken",
)
def create_token(team: str) -> Response:
    body = json_body("token-create")
    expires = _rfc3339(body["expires_at"]) if "expires_at" in body else None
    issued = tokens.create_token(
        db_session(),
        writer(),
        body["name"],
        team_slug=team,
        scopes=body.get("scopes"),
        expires_at=expires,
    )
    return created(
        {**token_view(issued.token), "secret": issued.secret}, f"/api/v1/teams/{team}/tokens"
    )


@bp.get("/teams/<team>/tokens")
@documented(
    "List a team's tokens (never their secrets)",
    paginated=True,
    auth=True,
    tag="tokens",
    answer="Token",
)
def list_tokens(team: str) -> Response:
    limit, after = page_args()
    return page(tokens.list_tokens(db_session(), writer(), team, after, limit), token_view)


@bp.delete("/tokens/<int:token_id>")
@documented("Revoke a token", auth=True, tag="tokens", answer="Token")
def revoke_token(token_id: int) -> Response:
    token = tokens.revoke_token(db_session(), writer(), token_id)
    return jsonify(token_view(token))


def _rfc3339(text: str) -> datetime:
    """Parse an RFC 3339 time (any case of T and Z), or answer 422."""
    try:
        moment = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"expires_at {text!r} is not an RFC 3339 time") from None
    if moment.tzinfo is None:
        raise InvalidInput("expires_at needs a time zone, e.g. 2027-01-31T00:00:00Z")
    return moment
