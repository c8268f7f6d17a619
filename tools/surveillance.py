"""Surveillance: re-run the recorded searches against the live public interfaces and list what
is new since each was last run (``nox -s surveillance``; never part of ``nox -s docs``).

For each search in docs/data/searches.yaml with a strategy and a ``rerun`` list:

- ``pubmed``: NCBI E-utilities ``esearch`` (db=pubmed, the strategy as ``term``, ``mindate`` =
  the date the search was last run, by Entrez date), then ``esummary`` for the titles;
- ``clinicaltrials``: the ClinicalTrials.gov API v2 ``/studies`` (the strategy as
  ``query.term``, first posted on or after that date).

A host that cannot be reached (no DNS or network, refused, timed out, TLS failure, or a 429 or
5xx answer) is reported as *unreachable* and the run still succeeds: without network the
command says so and exits 0. Anything else (a faulty searches.yaml, a 4xx answer to our own
query, an answer that is not the JSON the interface documents) is an error: exit status 1.

The base URLs can be given (``--pubmed``, ``--clinicaltrials``), so the tests run it against a
stub server on 127.0.0.1. Nothing is written to the search data: record a new search there by
hand, as it was run. ``--report PATH`` writes the result as JSON too.
"""

from __future__ import annotations

import argparse
import json
import socket
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ldn_guide.rules import searches

PUBMED = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
CLINICALTRIALS = "https://clinicaltrials.gov/api/v2"
NAMES = {"pubmed": "PubMed", "clinicaltrials": "ClinicalTrials.gov"}
USER_AGENT = "ldn-guide-surveillance (https://ldn-guide.example)"


class Unreachable(Exception):
    """The interface could not be reached: not a fault of the guide or the query."""


class Failed(Exception):
    """The interface answered, but not as documented, or refused our query."""


@dataclass
class Result:
    search: str
    interface: str
    since: str
    strategy: str
    status: str  # "ok", "unreachable" or "error"
    reason: str = ""
    count: int = 0
    records: list[dict] = field(default_factory=list)


def get_json(url: str, timeout: float) -> dict:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                                   "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as error:
        if error.code == 429 or error.code >= 500:
            raise Unreachable(f"HTTP {error.code} {error.reason}") from None
        raise Failed(f"HTTP {error.code} {error.reason} for {url}") from None
    except urllib.error.URLError as error:
        raise Unreachable(network_reason(error.reason)) from None
    except TimeoutError:
        raise Unreachable("no answer in time (timeout)") from None
    except (ConnectionError, ssl.SSLError) as error:
        raise Unreachable(network_reason(error)) from None
    try:
        document = json.loads(body)
    except ValueError:
        raise Failed(f"the answer from {url} is not JSON") from None
    if not isinstance(document, dict):
        raise Failed(f"the answer from {url} is not a JSON object")
    return document


def network_reason(reason) -> str:
    if isinstance(reason, socket.gaierror):
        return "host name not found (DNS; no network?)"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, TimeoutError):
        return "no answer in time (timeout)"
    if isinstance(reason, ssl.SSLError):
        return "TLS/SSL error"
    return str(reason) or type(reason).__name__


def pubmed(base: str, strategy: str, since: str, timeout: float) -> tuple[int, list[dict]]:
    query = urllib.parse.urlencode({
        "db": "pubmed", "term": strategy, "datetype": "edat",
        "mindate": since.replace("-", "/"), "maxdate": "3000", "retmode": "json",
        "retmax": "200", "tool": "ldn-guide"})
    found = get_json(f"{base}/esearch.fcgi?{query}", timeout)
    try:
        result = found["esearchresult"]
        count, ids = int(result["count"]), [str(pmid) for pmid in result["idlist"]]
    except (KeyError, TypeError, ValueError):
        raise Failed("esearch answered without esearchresult.count and idlist") from None
    if not ids:
        return count, []
    query = urllib.parse.urlencode({"db": "pubmed", "id": ",".join(ids), "retmode": "json",
                                    "tool": "ldn-guide"})
    summary = get_json(f"{base}/esummary.fcgi?{query}", timeout).get("result", {})
    return count, [{"id": f"PMID {pmid}", "title": summary.get(pmid, {}).get("title", ""),
                    "url": f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"} for pmid in ids]


def clinicaltrials(base: str, strategy: str, since: str, timeout: float
                   ) -> tuple[int, list[dict]]:
    query = urllib.parse.urlencode({
        "query.term": strategy, "filter.advanced": f"AREA[StudyFirstPostDate]RANGE[{since},MAX]",
        "fields": "NCTId,BriefTitle,StudyFirstPostDate", "pageSize": "100",
        "countTotal": "true", "format": "json"})
    found = get_json(f"{base}/studies?{query}", timeout)
    try:
        records = []
        for study in found["studies"]:
            protocol = study["protocolSection"]
            nct = protocol["identificationModule"]["nctId"]
            records.append({"id": nct, "title": protocol["identificationModule"].get(
                "briefTitle", ""), "url": f"https://clinicaltrials.gov/study/{nct}"})
    except (KeyError, TypeError):
        raise Failed("the studies answer lacks protocolSection.identificationModule") from None
    return int(found.get("totalCount", len(records))), records


def run(data: dict, bases: dict[str, str], timeout: float) -> list[Result]:
    interfaces = {"pubmed": pubmed, "clinicaltrials": clinicaltrials}
    results = []
    for search in data["searches"]:
        if not search["strategy"] or not search["date_run"]:
            continue
        for name in search.get("rerun", []):
            result = Result(search["id"], name, search["date_run"], search["strategy"], "ok")
            try:
                result.count, result.records = interfaces[name](
                    bases[name].rstrip("/"), search["strategy"], search["date_run"], timeout)
            except Unreachable as error:
                result.status, result.reason = "unreachable", str(error)
            except Failed as error:
                result.status, result.reason = "error", str(error)
            results.append(result)
    return results


def report(results: list[Result], skipped: list[str]) -> list[str]:
    lines = []
    for result in results:
        where = f"{result.search} {NAMES[result.interface]} (since {result.since})"
        if result.status == "ok":
            lines.append(f"{where}: {result.count} record(s) newer than the last search")
            lines += [f"  {record['id']}: {record['title']} {record['url']}"
                      for record in result.records]
        else:
            lines.append(f"{where}: {result.status}: {result.reason}")
    lines += [f"{search}: not re-run (strategy not recorded)" for search in skipped]
    new = sum(result.count for result in results if result.status == "ok")
    unreachable = sum(result.status == "unreachable" for result in results)
    errors = sum(result.status == "error" for result in results)
    lines.append(f"surveillance: {new} new record(s); {unreachable} unreachable; "
                 f"{errors} error(s)")
    if unreachable:
        lines.append("could not reach every interface: run again where the network allows")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/surveillance.py",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the guide's docs/data folder")
    parser.add_argument("--pubmed", default=PUBMED, help="E-utilities base URL")
    parser.add_argument("--clinicaltrials", default=CLINICALTRIALS, help="API v2 base URL")
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--report", type=Path, help="also write the result as JSON here")
    args = parser.parse_args(argv)
    path, schema = args.data / "searches.yaml", args.data / "searches.schema.json"
    data, problems, _ = searches.load_searches(path, json.loads(schema.read_text("utf-8")))
    if data is None:
        for problem in problems:
            print(f"{path}:{problem.line}: {problem.message}", file=sys.stderr)
        return 1
    results = run(data, {"pubmed": args.pubmed, "clinicaltrials": args.clinicaltrials},
                  args.timeout)
    skipped = [search["id"] for search in data["searches"] if not search["strategy"]]
    for line in report(results, skipped):
        print(line)
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps({"results": [asdict(r) for r in results],
                                           "not_rerun": skipped}, indent=1) + "\n", "utf-8")
    return 1 if any(result.status == "error" for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
