"""The public JSON API and the health check."""

from __future__ import annotations

from app import create_app


def test_indicators_lists_all_38_with_urls_and_material_counts(client, content, complete_numbers):
    data = client.get("/api/v1/indicators").get_json()
    assert data["count"] == 38
    rows = {row["number"]: row for row in data["indicators"]}
    assert sorted(rows) == list(range(1, 39))
    first = rows[1]
    assert first["category"] == 1 and first["title_th"] and first["title_en"]
    assert first["url"] == "http://bmn.test/indicators/1"
    for row in rows.values():
        assert row["clips"] == 1 and row["infographics"] == 1
    for number in complete_numbers:
        assert rows[number]["faq_cards"] >= 3 and rows[number]["questions"] >= 6
    without = [n for n in rows if n not in complete_numbers]
    assert all(rows[n]["questions"] == 0 for n in without)


def test_the_lesson_url_in_the_api_opens_the_lesson(client, content):
    row = client.get("/api/v1/indicators").get_json()["indicators"][13]
    assert client.get(row["url"]).status_code == 200


def test_api_errors_are_json(client):
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404 and response.get_json()["error"] == "Not Found"


def test_healthz_is_200_with_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["database"] == "ok"


def test_healthz_is_503_without_the_database(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1",
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["database"] == "unreachable"
