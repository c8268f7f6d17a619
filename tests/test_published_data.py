"""What the guide publishes as data: JSON-LD on every page, the references as refs.bib and
CSL-JSON next to the HTML, and CITATION.cff at the repository root."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from bs4 import BeautifulSoup
from conftest import REPO


def content_pages(html):
    for path in sorted(html.rglob("*.html")):
        name = path.relative_to(html).with_suffix("").as_posix()
        if not name.startswith(("_", "pdf/")) and name not in ("genindex", "search"):
            yield name, path


def front_matter_date(name: str) -> str | None:
    source = REPO / "docs" / f"{name}.md"
    found = re.search(r"^last_reviewed:\s*(\S+)", source.read_text(encoding="utf-8"), re.M)
    return found.group(1) if found else None


def test_every_page_has_json_ld_whose_last_reviewed_is_its_front_matter(guide):
    for name, path in content_pages(guide / "html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        blocks = soup.select('script[type="application/ld+json"]')
        assert len(blocks) == 1, name
        data = json.loads(blocks[0].string)
        assert data["@type"] == "MedicalWebPage", name
        assert data["lastReviewed"] == front_matter_date(name), name
        audience = "Patient" if name == "patients/handout" else "Clinician"
        assert data["medicalAudience"]["audienceType"] == audience, name
        assert data["reviewedBy"]["name"], name
        assert soup.select_one('meta[name="citation_title"]')["content"], name


def test_references_are_published_as_bibtex_and_csl_json(guide):
    html = guide / "html"
    assert (html / "refs.bib").read_bytes() == (REPO / "refs.bib").read_bytes()
    items = json.loads((html / "refs.json").read_text(encoding="utf-8"))
    keys = re.findall(r"^@\w+\{([^,\s]+),", (REPO / "refs.bib").read_text(encoding="utf-8"),
                      re.M)
    assert [item["id"] for item in items] == sorted(keys)
    families = set()
    for item in items:
        assert item["title"] and item["type"], item["id"]
        names = [part for role in ("author", "editor") for name in item.get(role, ())
                 for part in name.values()]
        families |= {name.get("family") for name in item.get("author", ())}
        for text in (item["title"], item.get("container-title", ""), *names):
            # LaTeX decoded (accents, braces, dashes): tests/unit/test_csl.py checks every name
            assert not re.search(r"[\\{}]", text), (item["id"], text)
    assert {"Småbrekke", "Bye-Møller", "Wöller", "Schünemann"} <= families
    # The very list rules.csl makes of refs.bib, whose every name tests/unit/test_csl.py
    # compares with the record's own spelling.
    import pybtex.database
    from ldn_guide.rules import csl

    assert items == csl.bibliography(pybtex.database.parse_file(REPO / "refs.bib").entries)


def check_cff(path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           "vendor.citation-file-format", str(path)],
                          capture_output=True, text=True)


def test_citation_cff_validates_offline():
    result = check_cff(REPO / "CITATION.cff")
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_invalid_citation_cff_fails(tmp_path):
    broken = tmp_path / "CITATION.cff"
    broken.write_text((REPO / "CITATION.cff").read_text().replace("cff-version: 1.2.0\n", ""))
    result = check_cff(broken)
    assert result.returncode != 0
    assert "cff-version" in result.stdout + result.stderr
