"""The workbook in Dutch: titles, comments and drop-downs, read back in either language."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from solver.cli import app
from solver.errors import InvalidInput
from solver.instance import dump_instance, load_instance
from solver.io.xlsx.read import read_instance_workbook
from solver.io.xlsx.write import write_instance_workbook, write_template
from tests.conftest import REPO

GRONINGEN = REPO / "instances" / "groningen.json"


def test_a_dutch_workbook_reads_back_to_the_same_instance(tmp_path: Path) -> None:
    instance = load_instance(GRONINGEN)  # every sheet used: consortia, incumbents, Open House
    path = tmp_path / "groningen.xlsx"
    write_instance_workbook(instance, path, lang="nl")
    book = load_workbook(path)
    assert book.sheetnames[:6] == [
        "gemeenten",
        "percelen",
        "zorgvormen",
        "vraag",
        "aanbieders",
        "aanbod",
    ]
    assert [c.value for c in book["aanbod"][1]] == [
        "aanbieder",
        "zorgvorm",
        "capaciteit",
        "prijs",
        "min_cliënten",
        "kwaliteit",
    ]
    comment = book["aanbod"]["D1"].comment.text
    assert comment.startswith("prijs: Prijs per cliënt") and "Verplicht." in comment
    assert book["aanbod"]["A1"].comment.text.startswith("Blad aanbod: Het aanbod van elke")
    assert dump_instance(read_instance_workbook(path)) == dump_instance(instance)


def test_the_bundled_workbooks_are_dutch_and_equal_their_json() -> None:
    for name in ("tiny", "achterhoek"):
        book = load_workbook(REPO / "instances" / f"{name}.xlsx", read_only=True)
        assert "aanbod" in book.sheetnames and "beleid" in book.sheetnames
        read = read_instance_workbook(REPO / "instances" / f"{name}.xlsx")
        assert dump_instance(read) == dump_instance(
            load_instance(REPO / "instances" / f"{name}.json")
        )


def test_errors_name_the_cell_as_the_user_sees_it(tmp_path: Path) -> None:
    path = tmp_path / "kapot.xlsx"
    write_instance_workbook(load_instance(REPO / "instances" / "tiny.json"), path, lang="nl")
    book = load_workbook(path)
    book["aanbod"]["D2"] = -5
    book["gemeenten"]["Z1"] = "kleur"
    book.save(path)
    with pytest.raises(InvalidInput) as caught:
        read_instance_workbook(path)
    paths = {e.path: e.message for e in caught.value.errors}
    assert "aanbod!D2" in paths and "must be ≥ 0" in paths["aanbod!D2"]
    assert "gemeenten!Z1" in paths and "naam" in paths["gemeenten!Z1"]  # expected: Dutch names


def test_titles_in_either_language_and_without_accents(tmp_path: Path) -> None:
    path = tmp_path / "gemengd.xlsx"
    write_instance_workbook(load_instance(REPO / "instances" / "tiny.json"), path, lang="nl")
    book = load_workbook(path)
    book["aanbod"].title = "offers"  # an English sheet in a Dutch book
    book["vraag"]["C1"] = "Clienten"  # typed without the diaeresis, capitalised
    book.save(path)
    expected = dump_instance(load_instance(REPO / "instances" / "tiny.json"))
    assert dump_instance(read_instance_workbook(path)) == expected


def test_the_template_in_both_languages_from_the_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    dutch, english = tmp_path / "sjabloon.xlsx", tmp_path / "template.xlsx"
    assert runner.invoke(app, ["template", str(dutch), "--lang", "nl"]).exit_code == 0
    assert runner.invoke(app, ["template", str(english), "--lang", "en"]).exit_code == 0
    assert load_workbook(dutch).sheetnames[-1] == "beleid"
    assert load_workbook(english).sheetnames[-1] == "policy"
    notes = [
        row[4] for row in load_workbook(dutch)["beleid"].iter_rows(min_row=2, values_only=True)
    ]
    assert "Korte naam van de instantie" in notes
    write_template(tmp_path / "t.xlsx", lang="nl")
    validations = [
        dv.formula1
        for dv in load_workbook(tmp_path / "t.xlsx")["aanbod"].data_validations.dataValidation
    ]
    assert "'aanbieders'!$A$2:$A$5000" in validations


def test_a_dutch_team_reads_its_workbook_errors_in_dutch(tmp_path: Path) -> None:
    path = tmp_path / "kapot.xlsx"
    write_instance_workbook(load_instance(REPO / "instances" / "tiny.json"), path, lang="nl")
    book = load_workbook(path)
    book["aanbod"]["D2"] = "-5"
    book["aanbod"]["G1"] = "kleur"
    book.save(path)
    done = CliRunner().invoke(app, ["import", str(path), "-o", str(tmp_path / "x.json")],
                              env={"DEKKEND_LANG": "nl"})  # fmt: skip
    assert done.exit_code == 2
    assert "aanbod!D2: prijs moet ≥ 0 zijn" in done.output
    assert "aanbod!G1: onbekende kolom 'kleur' (verwacht: aanbieder, zorgvorm" in done.output
