"""The bibliography files (BibTeX, CSL-JSON): parsed back by the libraries made for them.

``bibtexparser`` reads the ``.bib`` (its LaTeX decoding, through ``pylatexenc``, turns the
escaped text back into the record's text); ``citeproc-py`` reads the CSL-JSON and renders
every item with the style it bundles; the item types and variables are checked against the
CSL schema files citeproc-py ships. The citation parser is tested on known answers from the
bibliography and on citations it must refuse. Each check has a control that fails.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import bibtexparser
import citeproc
import markdown
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from calculators.sources import SOURCES, Source
from sitebuild import SiteBuildError
from sitebuild.bibliography import (
    BIBTEX_FILE,
    CSL_JSON_FILE,
    Author,
    bibliography_files,
    bibtex,
    is_article,
    parse_journal_citation,
    write_bibliography,
)

FILES = bibliography_files()
CSL_SCHEMA = Path(citeproc.__file__).parent / "data" / "schema" / "schemas" / "styles"
STYLE = "harvard-cite-them-right"  # bundled with citeproc-py
# Every LaTeX special character, a brace pair, a quote and a non-ASCII letter.
NASTY = 'Dose 50% & more: {x} #1_a ~b ^c \\d $e "f" Müller'


def bib_entries(text: str, *, decode: bool = False) -> dict[str, dict[str, str]]:
    """``{key: {field: value}}`` of BibTeX; an unparsed block or a repeated key fails."""
    middleware = [LatexDecodingMiddleware()] if decode else []
    library = bibtexparser.parse_string(text, append_middleware=middleware)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return {e.key: {f.key: f.value for f in e.fields} for e in library.entries}


def csl_names() -> tuple[set[str], dict[str, set[str]]]:
    """The item types and ``{kind: variables}`` (dates, names, ...) of citeproc's CSL schema."""
    types_text = (CSL_SCHEMA / "csl-types.rnc").read_text()
    types = set(re.findall(r'^\s*\|?\s*"([a-z_-]+)"', types_text, re.MULTILINE))
    variables: dict[str, set[str]] = {}
    text = (CSL_SCHEMA / "csl-variables.rnc").read_text()
    for kind, body in re.findall(r"variables\.(\w+) =(.*?)(?=\n\s*##|\n}|\Z)", text, re.DOTALL):
        names = set(re.findall(r'"([A-Za-z_-]+)"', body))
        if names:
            variables[kind] = names
    return types, variables


def csl_problems(items: list[dict]) -> list[str]:
    """Every item type or variable that the CSL schema does not know, or of the wrong shape."""
    types, variables = csl_names()
    problems = []
    for item in items:
        where = item.get("id", "?")
        if item.get("type") not in types:
            problems.append(f"{where}: type {item.get('type')!r}")
        for name, value in item.items():
            if name in {"id", "type"}:
                continue
            if name in variables["dates"]:
                ok = isinstance(value, dict) and all(
                    isinstance(p, int) for parts in value.get("date-parts", [[None]]) for p in parts
                )
            elif name in variables["names"]:
                ok = isinstance(value, list) and all(
                    isinstance(n, dict) and n and set(n) <= {"family", "given", "literal"}
                    for n in value
                )
            elif any(name in v for k, v in variables.items() if k not in {"dates", "names"}):
                ok = isinstance(value, str) and bool(value)
            else:
                problems.append(f"{where}: variable {name!r} is not a CSL variable")
                continue
            if not ok:
                problems.append(f"{where}: {name} = {value!r}")
    return problems


def render_all(items: list[dict]) -> dict[str, str]:
    """``{id: plain text}`` of every item, rendered by citeproc-py with the bundled style."""
    source = CiteProcJSON(items)
    bibliography = CitationStylesBibliography(
        CitationStylesStyle(STYLE, validate=True), source, formatter.plain
    )
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(text) for text in bibliography.bibliography()]
    return dict(zip(bibliography.keys, rendered, strict=True))


# --- every source, once, in each file ---------------------------------------------------------


def test_bibliography_bibtex_has_every_source_once_in_order():
    """The parser reads one entry per source, keyed by the source key, in SOURCES order."""
    assert list(bib_entries(FILES[BIBTEX_FILE])) == list(SOURCES)


def test_bibliography_bibtex_repeated_entry_is_caught():
    """Control: a file that repeats an entry does not pass the check."""
    text = FILES[BIBTEX_FILE]
    first = text[text.index("@") : text.index("\n}\n") + 3]
    with pytest.raises(AssertionError):
        bib_entries(text + "\n" + first)


def test_bibliography_csl_json_has_every_source_once_in_order():
    """The CSL-JSON is an array with one item per source, its id the source key, in order."""
    items = json.loads(FILES[CSL_JSON_FILE])
    assert [item["id"] for item in items] == list(SOURCES)


def test_bibliography_files_are_stable_and_end_with_a_newline():
    """The same sources give the same bytes; each file ends with exactly one newline."""
    assert bibliography_files() == FILES
    for path, text in FILES.items():
        assert text.endswith("\n"), path
        assert not text.endswith("\n\n"), path


# --- identifiers and text round-trip ----------------------------------------------------------


def identifier_mismatches(bib: str, csl: str, *, decode: bool = False) -> list[str]:
    """Each DOI, PMID or DailyMed URL that does not read back from either file as recorded."""
    entries = bib_entries(bib, decode=decode)
    items = {item["id"]: item for item in json.loads(csl)}
    wrong = []
    for key, source in SOURCES.items():
        recorded = {"doi": source.doi, "pmid": source.pmid, "url": source.setid_url}
        for name, value in recorded.items():
            if entries.get(key, {}).get(name) != value:
                wrong.append(f"{key}: BibTeX {name}")
            if items.get(key, {}).get(name.upper()) != value:
                wrong.append(f"{key}: CSL-JSON {name.upper()}")
    return wrong


@pytest.mark.parametrize("decode", [False, True], ids=["raw", "latex-decoded"])
def test_bibliography_identifiers_round_trip(decode):
    """Each DOI, PMID and DailyMed URL reads back as recorded; none is added where none is."""
    assert identifier_mismatches(FILES[BIBTEX_FILE], FILES[CSL_JSON_FILE], decode=decode) == []


def test_bibliography_identifier_check_can_fail():
    """Control: an altered DOI, a dropped PMID and an added URL are each reported."""
    doi = SOURCES["boster2016"].doi
    bib = FILES[BIBTEX_FILE].replace(f"doi = {{{doi}}}", "doi = {10.1111/ner.99999}")
    items = json.loads(FILES[CSL_JSON_FILE])
    del next(item for item in items if item["id"] == "dario2004")["PMID"]
    items[-1]["URL"] = "https://example.org/"
    assert identifier_mismatches(bib, json.dumps(items)) == [
        "boster2016: BibTeX doi",
        "dario2004: CSL-JSON PMID",
        f"{items[-1]['id']}: CSL-JSON URL",
    ]


def test_bibliography_bibtex_text_round_trips_through_latex_decoding():
    """Titles and notes, decoded from LaTeX, are the record's text: the escaping loses nothing."""
    entries = bib_entries(FILES[BIBTEX_FILE], decode=True)
    for key, source in SOURCES.items():
        parsed = parse_journal_citation(source.citation)
        title = parsed.title if parsed and is_article(source) else source.citation.removesuffix(".")
        assert entries[key]["title"] == title, key
        assert entries[key].get("note", "") == source.note, key


def round_trips(source: Source) -> bool:
    """Whether ``source``'s title and note come back from its BibTeX entry as recorded."""
    library = bibtexparser.parse_string(
        bibtex({source.key: source}), append_middleware=[LatexDecodingMiddleware()]
    )
    if library.failed_blocks or len(library.entries) != 1:
        return False
    fields = library.entries[0].fields_dict
    # pylatexenc decodes \textasciicircum (LaTeX's "^") as U+02C6, a spacing circumflex.
    title, note = (
        fields[name].value.replace("\u02c6", "^") if name in fields else ""
        for name in ("title", "note")
    )
    return title == source.citation.removesuffix(".") and note == source.note


NASTY_SOURCE = Source(key="nasty", citation=NASTY + ".", access="primary", note=NASTY)


def test_bibliography_bibtex_escapes_every_special_character():
    """A record full of LaTeX specials parses, and decodes back to its own text."""
    assert round_trips(NASTY_SOURCE)
    assert all(round_trips(source) for source in SOURCES.values() if not is_article(source))


def test_bibliography_bibtex_unescaped_text_is_caught(monkeypatch):
    """Control: without the escaping, the same record does not round-trip."""
    monkeypatch.setattr("sitebuild.bibliography.bibtex_escape", lambda text: text)
    assert not round_trips(NASTY_SOURCE)


def test_bibliography_bibtex_key_it_cannot_hold_is_refused():
    """A source key with a space or comma stops the build, naming the key and the rule."""
    bad = Source(key="bad key", citation="A record.", access="primary")
    with pytest.raises(SiteBuildError, match=r"'bad key' cannot be a BibTeX key"):
        bibtex({"bad key": bad})


def test_bibliography_bibtex_doi_with_a_brace_is_refused():
    """A DOI that would unbalance a verbatim field stops the build instead of breaking the file."""
    bad = Source(key="bad", citation="A record.", access="primary", doi="10.1/x}y")
    with pytest.raises(SiteBuildError, match=r"source 'bad': its DOI '10.1/x}y'"):
        bibtex({"bad": bad})


# --- CSL-JSON through citeproc-py and the CSL schema ------------------------------------------


def test_bibliography_csl_json_uses_only_csl_types_and_variables():
    """Every item type and variable is one the CSL schema (shipped by citeproc-py) defines."""
    types, variables = csl_names()
    assert {"article-journal", "document"} <= types  # the schema files were read
    assert {"issued", "author", "DOI", "PMID", "URL"} <= set().union(*variables.values())
    assert csl_problems(json.loads(FILES[CSL_JSON_FILE])) == []


def test_bibliography_csl_json_bad_item_is_caught():
    """Control: a BibTeX-style type, a lower-case "doi" and a string date are each reported."""
    item = {"id": "x", "type": "journal-article", "doi": "10.1/x", "issued": "2016"}
    problems = csl_problems([item])
    assert problems == [
        "x: type 'journal-article'",
        "x: variable 'doi' is not a CSL variable",
        "x: issued = '2016'",
    ]


def rendering_problems(items: list[dict]) -> list[str]:
    """Each source that citeproc-py does not render, or renders without its title or link."""
    rendered = render_all(items)
    problems = [f"{key}: not rendered" for key in SOURCES if key not in rendered]
    for key, text in rendered.items():
        source = SOURCES[key]
        parsed = parse_journal_citation(source.citation)
        title = parsed.title if parsed and is_article(source) else source.citation.removesuffix(".")
        links = [f"https://doi.org/{source.doi}"] if source.doi else []
        links += [source.setid_url] if source.setid_url else []
        problems += [f"{key}: {part!r} missing" for part in [title, *links] if part not in text]
    return problems


def test_bibliography_csl_json_renders_every_item_with_citeproc():
    """citeproc-py renders one entry per source, with its title and its DOI or DailyMed link."""
    items = json.loads(FILES[CSL_JSON_FILE])
    assert rendering_problems(items) == []
    boster = render_all(items[:1])["boster2016"]
    assert boster.startswith("Boster, A.L. (2016)")


def test_bibliography_csl_json_rendering_check_can_fail():
    """Control: an item dropped and a DOI altered are both reported."""
    items = json.loads(FILES[CSL_JSON_FILE])
    dropped = items.pop(1)["id"]
    items[0]["DOI"] = "10.9999/altered"
    assert rendering_problems(items) == [
        f"{dropped}: not rendered",
        f"boster2016: 'https://doi.org/{SOURCES['boster2016'].doi}' missing",
    ]


# --- the citation parser ----------------------------------------------------------------------


def test_parse_journal_citation_full_author_list():
    """boster2016screen: seven authors with their initials, title, journal, volume, pages."""
    parsed = parse_journal_citation(SOURCES["boster2016screen"].citation)
    assert parsed is not None
    assert parsed.authors[0] == Author("Boster", "A. L.")
    assert parsed.authors[-1] == Author("Saulino", "M.")
    assert len(parsed.authors) == 7
    assert not parsed.truncated
    assert parsed.title == "Best Practices for Intrathecal Baclofen Therapy: Screening Test"
    assert (parsed.journal, parsed.year) == ("Neuromodulation", 2016)
    assert (parsed.volume, parsed.issue, parsed.pages) == ("19", "6", "616-622")


def test_parse_journal_citation_particles_initials_and_et_al():
    """A "van der" surname, four initials, "et al." and an electronic page suffix."""
    delhaas = parse_journal_citation(SOURCES["delhaas2017"].citation)
    assert delhaas is not None
    assert delhaas.authors[-1] == Author("van der Lugt", "A.")
    assert delhaas.authors[3] == Author("Huygen", "F. J. P. M.")
    he = parse_journal_citation(SOURCES["he2014"].citation)
    assert he is not None
    assert he.truncated
    assert he.authors[1] == Author("Brunstrom-Hernandez", "J. E.")
    assert he.pages == "1181-1188.e8"


def test_parse_journal_citation_title_with_a_full_stop():
    """delgado2010: the journal is the last segment before the year; the title keeps its stop."""
    parsed = parse_journal_citation(SOURCES["delgado2010"].citation)
    assert parsed is not None
    assert parsed.journal == "Neurology"
    assert parsed.title.endswith(
        "(an evidence-based review). Report of the Quality Standards "
        "Subcommittee of the American Academy of Neurology and the "
        "Practice Committee of the Child Neurology Society"
    )


def test_parse_journal_citation_year_only_and_volume_without_issue():
    """hazer2021 ends at its year; meythaler2003 has a volume and pages but no issue."""
    hazer = parse_journal_citation(SOURCES["hazer2021"].citation)
    assert hazer is not None
    assert (hazer.journal, hazer.year, hazer.volume, hazer.pages) == (
        "J Spinal Cord Med",
        2021,
        None,
        None,
    )
    meythaler = parse_journal_citation(SOURCES["meythaler2003"].citation)
    assert meythaler is not None
    assert (meythaler.volume, meythaler.issue, meythaler.pages) == ("84", None, "638-642")


@pytest.mark.parametrize(
    "key",
    [
        "neurosurgery2004",  # no author list, and "; discussion 393-394" after the pages
        "crc2021",  # no author list
        "pocketfill2011",  # a description, not a title
        "maino2017",  # "[title not recorded]"
        "cmsc2015",  # a conference abstract
        "devine1974",  # no stop after the journal, a parenthesis after the pages
        "label-tablets",
        "ismp-liquids",
        "seed",
    ],
)
def test_parse_journal_citation_refuses_what_it_cannot_read_whole(key):
    """A citation that is not wholly a journal citation with authors gives no fields."""
    assert parse_journal_citation(SOURCES[key].citation) is None


def test_bibliography_unparsed_entries_carry_the_whole_citation():
    """Without a parse, the entry has no author, journal or year: only the whole citation."""
    entries = bib_entries(FILES[BIBTEX_FILE], decode=True)
    csl = {item["id"]: item for item in json.loads(FILES[CSL_JSON_FILE])}
    for key in ("neurosurgery2004", "maino2017", "label-gablofen"):
        assert entries[key]["title"] == SOURCES[key].citation.removesuffix(".")
        assert not {"author", "journal", "year"} & set(entries[key]), key
        assert not {"author", "container-title", "issued"} & set(csl[key]), key


def test_bibliography_entry_types():
    """A DOI, a PMID or a full journal citation makes an article; labels and alerts are misc."""
    entries = bibtexparser.parse_string(FILES[BIBTEX_FILE]).entries
    kinds = {e.key: e.entry_type for e in entries}
    csl = {item["id"]: item["type"] for item in json.loads(FILES[CSL_JSON_FILE])}
    identified = {key for key, source in SOURCES.items() if source.doi or source.pmid}
    # meythaler2003 has no DOI or PMID, but its citation parses with volume and pages.
    assert {key for key, kind in kinds.items() if kind == "article"} == identified | {
        "meythaler2003"
    }
    assert set(kinds.values()) == {"article", "misc"}
    for key, kind in kinds.items():
        assert csl[key] == {"article": "article-journal", "misc": "document"}[kind], key


def test_bibliography_et_al_is_kept():
    """A truncated author list ends in BibTeX's "others"; the CSL item says so in its note."""
    entries = bib_entries(FILES[BIBTEX_FILE])
    csl = {item["id"]: item for item in json.loads(FILES[CSL_JSON_FILE])}
    assert entries["boster2016"]["author"] == "Boster, A. L. and others"
    assert "et al." in csl["boster2016"]["note"]
    assert not entries["dario2004"]["author"].endswith("others")
    assert "note" not in csl["dario2004"]


# --- the References page and the built site ---------------------------------------------------


def test_references_block_links_both_downloads():
    """The references block starts with "Download: BibTeX, CSL-JSON", linking the two files."""
    md = markdown.Markdown(
        extensions=["sitebuild.citations"],
        extension_configs={"sitebuild.citations": {"page": "references.md"}},
    )
    html = md.convert("/// references\n///")
    assert html.startswith(
        '<p class="ref-downloads">Download: '
        '<a href="baclofen-references.bib" download="baclofen-references.bib" '
        'type="application/x-bibtex">BibTeX</a>, '
        '<a href="baclofen-references.json" download="baclofen-references.json" '
        'type="application/vnd.citationstyles.csl+json">CSL-JSON</a></p>\n'
        '<ol class="references">'
    )


def built_problems(site: Path) -> list[str]:
    """What in a built site differs from the generator: bytes, the manifest, the page's links."""
    problems = []
    manifest = json.loads((site / "assets/offline/manifest.json").read_text("utf-8"))
    listed = {entry["path"] for entry in manifest["files"]}
    for path, text in FILES.items():
        if not (site / path).is_file() or (site / path).read_bytes() != text.encode("utf-8"):
            problems.append(f"{path}: not the generator's bytes")
        if path not in listed:
            problems.append(f"{path}: not in the offline manifest")
    page = (site / "references" / "index.html").read_text("utf-8")
    downloads = re.search(r'<p class="ref-downloads">(.*?)</p>', page)
    hrefs = re.findall(r'href="([^"]+)"', downloads.group(1)) if downloads else []
    if [posixpath.normpath(f"references/{href}") for href in hrefs] != list(FILES):
        problems.append(f"the References page links {hrefs}")
    return problems


@pytest.mark.site_build
def test_bibliography_built_site_holds_the_generated_files(built_site):
    """The built files are the generator's bytes, offline, and the References page links them."""
    assert built_problems(built_site) == []


def test_bibliography_built_site_check_can_fail(tmp_path):
    """Control: a stale file, a file missing from the manifest and a wrong link are reported."""
    write_bibliography(tmp_path)
    (tmp_path / CSL_JSON_FILE).write_text("[]\n", encoding="utf-8")
    (tmp_path / "assets/offline").mkdir(parents=True)
    manifest = {"files": [{"path": BIBTEX_FILE}, {"path": CSL_JSON_FILE + ".old"}]}
    (tmp_path / "assets/offline/manifest.json").write_text(json.dumps(manifest), "utf-8")
    (tmp_path / "references/index.html").write_text(
        '<p class="ref-downloads"><a href="refs.bib">BibTeX</a></p>', "utf-8"
    )
    assert built_problems(tmp_path) == [
        f"{CSL_JSON_FILE}: not the generator's bytes",
        f"{CSL_JSON_FILE}: not in the offline manifest",
        "the References page links ['refs.bib']",
    ]
