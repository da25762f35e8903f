"""Every HTTP error is application/problem+json with a detail a person can act on."""


def test_an_unknown_api_route_is_a_404_problem(client):
    response = client.get("/api/v1/no/such/route")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert set(response.json) >= {"type", "title", "status", "detail"}
    assert response.json["status"] == 404


def test_a_wrong_method_is_a_405_problem_naming_the_allowed_ones(client):
    response = client.delete("/healthz")
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"
    assert "GET" in response.headers["Allow"]
