"""Workbooks over HTTP (issue 7): an .xlsx upload solves like its JSON; results as .xlsx."""

from __future__ import annotations

import io

import openpyxl

from api.workbooks import XLSX
from tests.api.api_server import REPO, Server, instance, wait_for

TINY_XLSX = (REPO / "instances" / "tiny.xlsx").read_bytes()


def _sheets(content: bytes) -> list[str]:
    return openpyxl.load_workbook(io.BytesIO(content), read_only=True).sheetnames


def test_solve_from_an_upload_equals_solving_the_json(server: Server, token: str) -> None:
    with server.client(token) as client:
        from_json = client.post("/v1/solve", json={"instance": instance("tiny")})
        from_xlsx = client.post(
            "/v1/solve?time_limit_s=20", content=TINY_XLSX, headers={"Content-Type": XLSX}
        )
    assert from_json.status_code == from_xlsx.status_code == 200, from_xlsx.text
    assert from_xlsx.json()["objective"] == from_json.json()["objective"]
    assert from_xlsx.json()["assignments"] == from_json.json()["assignments"]


def test_a_result_comes_as_a_workbook_on_accept(server: Server, token: str) -> None:
    with server.client(token) as client:
        response = client.post(
            "/v1/solve", json={"instance": instance("tiny")}, headers={"Accept": XLSX}
        )
        assert response.status_code == 200
        assert response.headers["content-type"] == XLSX
        assert "samenvatting" in _sheets(response.content)  # Dutch unless asked otherwise
        job = client.post("/v1/jobs", content=TINY_XLSX, headers={"Content-Type": XLSX})
        assert job.status_code == 202, job.text
        job_id = job.json()["id"]
        assert wait_for(client, job_id, ("done", "failed"))["state"] == "done"
        result = client.get(
            f"/v1/jobs/{job_id}/result",
            headers={"Accept": XLSX, "Accept-Language": "en-GB,en;q=0.9"},
        )
        assert result.headers["content-type"] == XLSX
        assert "assignments" in _sheets(result.content)
        assert client.get(f"/v1/jobs/{job_id}/result").json()["status"] == "optimal"


def test_bad_workbooks_and_options_name_their_place(server: Server, token: str) -> None:
    book = openpyxl.load_workbook(io.BytesIO(TINY_XLSX))
    book["aanbod"]["D2"] = "-5"  # a negative price, typed as text (the bundled book is Dutch)
    broken = io.BytesIO()
    book.save(broken)
    with server.client(token) as client:
        bad_cell = client.post(
            "/v1/jobs", content=broken.getvalue(), headers={"Content-Type": XLSX}
        )
        bad_option = client.post(
            "/v1/solve?colour=red", content=TINY_XLSX, headers={"Content-Type": XLSX}
        )
        not_a_book = client.post(
            "/v1/solve", content=b"PK\x03\x04 no", headers={"Content-Type": XLSX}
        )
        elsewhere = client.post("/v1/validate", content=TINY_XLSX, headers={"Content-Type": XLSX})
        dutch = client.post(
            "/v1/jobs",
            content=broken.getvalue(),
            headers={"Content-Type": XLSX, "Accept-Language": "nl-NL,nl;q=0.9"},
        )
    assert bad_cell.status_code == 422
    assert any(e["path"].startswith("aanbod!D2") for e in bad_cell.json()["errors"])
    said = {e["path"]: e["message"] for e in dutch.json()["errors"]}
    assert said["aanbod!D2"] == "prijs moet ≥ 0 zijn", said  # the page asks in Dutch
    assert dutch.json()["detail"] == "ongeldige invoer (instance): 1 fout(en)"
    assert bad_option.status_code == 422
    assert bad_option.json()["errors"][0]["path"] == "query.colour"
    assert not_a_book.status_code == 422 and "Traceback" not in not_a_book.text
    assert elsewhere.status_code == 415
