"""Every text a person reads exists in Dutch and English; numbers as each language writes them."""

from __future__ import annotations

import json
import re

import pytest
from babel.messages.pofile import read_po
from typer.testing import CliRunner

from solver.cli.app import app
from solver.i18n import (
    catalogue_path,
    choose_language,
    count,
    from_accept_language,
    gettext_for,
    money,
    percent,
)
from solver.i18n.messages import ERROR, say
from solver.i18n.update import SOURCES, everything
from tests.conftest import REPO

FIELDS = re.compile(r"\{[^{}]*\}")
# `_("…")` with a plain literal, wherever it stands (also inside an f-string, where the
# extractor cannot see it: then it is missing from the catalogue and this test says so)
MARKED = re.compile(r"""\b_\((["'])((?:(?!\1).)+)\1\)""")
# `gettext_for(lang)("…")` translates but is invisible to the extractor: write `_ = …` first
UNMARKED = re.compile(r"""\bp?gettext_for\([^()]*\)\(\s*["']""")


@pytest.fixture(scope="module")
def catalogue():
    with catalogue_path("nl").open("rb") as po:
        return {(m.id, m.context): m for m in read_po(po) if m.id}


@pytest.fixture(scope="module")
def dutch(catalogue):
    return {text: m for (text, _context), m in catalogue.items()}


def test_every_text_has_its_dutch_translation(catalogue) -> None:
    texts = {(text, ctx): f"{where}:{line}" for text, ctx, where, line in everything(REPO)}
    assert len(texts) > 300, "the marked texts and the workbook's are not all found"
    missing = [f"{where}: {text!r}" for (text, ctx), where in texts.items()
               if (text, ctx) not in catalogue or not catalogue[text, ctx].string]  # fmt: skip
    assert not missing, "run `make messages` and translate:\n" + "\n".join(missing)
    fuzzy = [m.id for m in catalogue.values() if m.fuzzy]
    assert not fuzzy, f"unchecked (fuzzy) translations: {fuzzy}"
    stale = sorted(set(catalogue) - set(texts), key=str)
    assert not stale, f"texts the code no longer has (run `make messages`): {stale}"


def test_translations_keep_their_placeholders(catalogue) -> None:
    for (text, _context), message in catalogue.items():
        assert sorted(FIELDS.findall(text)) == sorted(FIELDS.findall(message.string)), text
        assert text.count("[bold]") == message.string.count("[bold]"), text


def test_no_marked_text_escapes_the_extractor(dutch) -> None:
    """A `_('…')` inside an f-string is invisible to Babel: it must still be in the catalogue."""
    hidden = []
    for folder in SOURCES:
        for path in sorted((REPO / folder).rglob("*.py")):
            if path.parent.name == "i18n":  # its docstrings show the marker itself
                continue
            source = path.read_text(encoding="utf-8")
            hidden += [
                f"{path.relative_to(REPO)}: gettext_for(...)(...) call"
                for _match in UNMARKED.finditer(source)
            ]
            for match in MARKED.finditer(source):
                text = match.group(2)
                if text not in dutch:
                    hidden.append(f"{path.relative_to(REPO)}: {text!r}")
    assert not hidden, "\n".join(hidden)


def test_dutch_and_english_numbers() -> None:
    assert money(5527994.4, "nl") == "€\u00a05.527.994"
    assert money(5527994.4, "en") == "€5,527,994"
    assert money(None, "nl") == "—"
    assert count(5998, "nl") == "5.998" and count(5998, "en") == "5,998"
    assert percent(0.123, "nl") == "12\u00a0%" and percent(0.1234, "en", 1) == "12.3%"


def test_the_language_is_chosen_at_the_edge() -> None:
    assert choose_language(None, {}) == "nl"
    assert choose_language(None, {"DEKKEND_LANG": "en"}) == "en"
    assert choose_language("nl", {"DEKKEND_LANG": "en"}) == "nl"
    with pytest.raises(ValueError, match="DEKKEND_LANG: must be one of nl, en, not 'de'"):
        choose_language(None, {"DEKKEND_LANG": "de"})
    assert from_accept_language("en-GB,nl;q=0.8") == "en"
    assert from_accept_language("nl-NL,nl;q=0.9,en;q=0.8") == "nl"
    assert from_accept_language("fr-FR, de;q=0.5") == "nl"
    assert from_accept_language("en;q=0.2, nl;q=0.9") == "nl"
    assert from_accept_language(None, fallback="en") == "en"
    assert gettext_for("nl")("optimal") == "optimaal"
    assert gettext_for("en")("optimal") == "optimal"


def test_the_cli_summary_in_both_languages(tmp_path) -> None:
    runner = CliRunner()
    tiny = str(REPO / "instances" / "tiny.json")
    out = str(tmp_path / "r.json")
    dutch = runner.invoke(app, ["solve", tiny, "--out", out, "--lang", "nl"])
    assert dutch.exit_code == 0, dutch.output
    assert (
        "optimaal" in dutch.output and "De regio betaalt €\u00a08.344.607 per jaar" in dutch.output
    )
    assert "Contracten en uitbetalingen per perceel" in dutch.output
    english = runner.invoke(app, ["solve", tiny, "--out", out, "--lang", "en"])
    assert "optimal" in english.output and "The region pays €8,344,607 a year" in english.output
    wrong = runner.invoke(app, ["solve", tiny, "--out", out, "--lang", "fr"])
    assert wrong.exit_code == 2 and "--lang: must be one of nl, en" in wrong.output


def test_dutch_is_the_default(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("DEKKEND_LANG")
    result = CliRunner().invoke(app, ["solve", str(REPO / "instances" / "tiny.json"),
                                      "--out", str(tmp_path / "r.json")])  # fmt: skip
    assert result.exit_code == 0 and "Kostenverdeling per gemeente" in result.output


def test_input_errors_in_dutch_where_a_person_reads_them(tmp_path) -> None:
    """The JSON keeps SPEC's English; the CLI (and the page, via Accept-Language) say Dutch."""
    raw = json.loads((REPO / "instances" / "tiny.json").read_text(encoding="utf-8"))
    raw["providers"][0]["offers"][0]["price"] = -5
    raw["providers"][1]["contract_cost"] = "veel"
    raw["demand"][0]["municipality"] = "atlantis"
    path = tmp_path / "kapot.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    runner = CliRunner()
    dutch = runner.invoke(app, ["validate", str(path)], env={"DEKKEND_LANG": "nl"})
    assert dutch.exit_code == 2
    assert "providers[0].offers[0].price: moet ≥ 0 zijn" in dutch.output
    assert "providers[1].contract_cost: moet een getal zijn, niet de tekst 'veel'" in dutch.output
    assert "demand[0].municipality: onbekende gemeente 'atlantis'" in dutch.output
    english = runner.invoke(app, ["validate", str(path)])
    assert "providers[0].offers[0].price: must be ≥ 0" in english.output


def test_every_error_form_reads_back_from_its_english(catalogue) -> None:
    """`say` finds each catalogued form from the English it makes, values and all."""
    forms = [text for (text, context) in catalogue if context == ERROR]
    assert len(forms) > 40
    for form in forms:
        fields = dict.fromkeys(FIELDS.findall(form))
        values = {f[1:-1]: f"«{k}»" for k, f in enumerate(fields)}
        english = form.format(**values)
        dutch = catalogue[form, ERROR].string.format(**values)
        assert say(english, "nl") == dutch, form
        assert say(english, "en") == english
    assert say("price must be ≥ 0", "nl") == "prijs moet ≥ 0 zijn"  # a workbook's column first
    assert (
        say("an explanation of no catalogued form", "nl") == "an explanation of no catalogued form"
    )


def test_the_stress_summary_in_dutch(tmp_path) -> None:
    runner = CliRunner()
    tiny, plan = str(REPO / "instances" / "tiny.json"), str(tmp_path / "plan.json")
    assert runner.invoke(app, ["solve", tiny, "--out", plan]).exit_code == 0
    done = runner.invoke(app, ["stress", plan, tiny, "--lang", "nl"])
    assert done.exit_code == 0, done.output
    assert "gecontracteerde partijen kunnen uitvallen zonder dat het plan breekt" in done.output
    assert "Als deze partij uitvalt" in done.output
    assert "opgevangen" in done.output and "herplaatst" in done.output


def test_compare_names_the_contracts_won_and_lost_in_dutch(tmp_path) -> None:
    runner = CliRunner()
    tiny = str(REPO / "instances" / "tiny.json")
    plan, today = str(tmp_path / "plan.json"), str(tmp_path / "today.json")
    assert runner.invoke(app, ["solve", tiny, "--out", plan]).exit_code == 0
    assert runner.invoke(app, ["baseline", tiny, "--out", today]).exit_code == 0
    done = runner.invoke(app, ["compare", today, plan, "--instance", tiny, "--lang", "nl"])
    assert done.exit_code == 0, done.output
    assert "regel voor regel (B − A)" in done.output and "per gemeente (B − A)" in done.output
    lost = next(line for line in done.output.splitlines() if line.startswith("verloren"))
    assert lost != "verloren (alleen in A): geen" and not re.search(r"\ba\d+\b", lost), lost
    assert "gegevens over cliënten in zorg: van " in done.output
