"""The page at `/` and a job's report over HTTP, in the caller's language."""

from __future__ import annotations

from tests.api.api_server import Server, instance, wait_for


def test_the_page_and_its_files_are_public_and_nothing_else_is(server: Server) -> None:
    with server.client() as anonymous:
        page = anonymous.get("/")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert '<script src="/web/app.js"' in page.text
        assert anonymous.get("/web/app.js").status_code == 200
        assert anonymous.get("/web/style.css").headers["content-type"].startswith("text/css")
        assert anonymous.get("/web/index.html").status_code == 404  # only the two named files
        assert anonymous.get("/web/../api/app.py").status_code in (401, 404)  # never the file
        assert anonymous.get("/v1/jobs").status_code == 401  # "/" opened nothing below it
        dutch, english = anonymous.get("/web/texts/nl.json"), anonymous.get("/web/texts/en.json")
        assert dutch.json()["start"] == "Berekenen" and english.json()["start"] == "Solve"
        assert dutch.json()["status_optimal"] == "optimaal"
        assert anonymous.get("/web/texts/de.json").status_code == 422


def test_a_jobs_report_speaks_the_callers_language(server: Server, token: str) -> None:
    with server.client(token) as client:
        job = client.post("/v1/jobs", json={"instance": instance("tiny"),
                                            "options": {"time_limit_s": 30}}).json()  # fmt: skip
        assert wait_for(client, job["id"], ("done",))["state"] == "done"
        dutch = client.get(f"/v1/jobs/{job['id']}/report")
        assert dutch.status_code == 200 and dutch.headers["content-language"] == "nl"
        assert "<html lang='nl'>" in dutch.text and "Het plan in het kort" in dutch.text
        english = client.get(f"/v1/jobs/{job['id']}/report",
                             headers={"Accept-Language": "en-GB,en;q=0.9,nl;q=0.5"})  # fmt: skip
        assert "The plan in brief" in english.text and english.headers["content-language"] == "en"
        assert "Het plan" in client.get(f"/v1/jobs/{job['id']}/report?lang=nl",
                                        headers={"Accept-Language": "en"}).text  # fmt: skip
        assert client.get(f"/v1/jobs/{job['id']}/report?lang=fr").status_code == 422
        assert client.get("/v1/jobs/nope/report").status_code == 404
    with server.client(server.token("beta")) as other:
        assert other.get(f"/v1/jobs/{job['id']}/report").status_code == 404
    with server.client() as anonymous:
        assert anonymous.get(f"/v1/jobs/{job['id']}/report").status_code == 401
