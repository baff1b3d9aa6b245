"""The prose contract (docs/) kept in step with the OpenAPI document, the migrations, the command
line and the changelog. Fast, no server: it reads files (and, for the command line, runs the
built binary's `--help` when `swift build` has made it).

The convention this relies on, in docs/*.md:
- every API operation is one row of a Markdown table whose header has the columns `operation` and
  `statuses`; the operation cell is `` `METHOD /full/path` `` exactly as in Public/openapi.json,
  the statuses cell lists the status codes separated by commas;
- docs/cli.md has one table with the columns `command`, `option` and `variable`, a row per option
  of each (sub)command.
"""
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
OPENAPI = ROOT / "Public" / "openapi.json"
BINARY = Path(os.environ.get("ZIENSWIJZEN_BINARY") or ROOT / ".build" / "debug" / "zienswijzen")
METHODS = ("get", "put", "post", "patch", "delete", "head", "options")
OPERATION_CELL = re.compile(r"^`(GET|PUT|POST|PATCH|DELETE|HEAD|OPTIONS) (/\S*)`$")


# -- reading ------------------------------------------------------------------------------------

def markdown_tables(text):
    """Yields (header, rows) for every pipe table in `text`; cells are stripped strings. A `\\|`
    inside a cell is not a separator."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].lstrip().startswith("|") and i + 1 < len(lines) and re.match(r"^\s*\|[\s:|-]+\|\s*$", lines[i + 1]):
            header = split_row(lines[i])
            rows = []
            i += 2
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(split_row(lines[i]))
                i += 1
            yield header, rows
        else:
            i += 1


def split_row(line):
    cells = re.split(r"(?<!\\)\|", line.strip())
    return [c.strip() for c in cells[1:-1]]


def doc_files():
    return sorted(DOCS.glob("*.md"))


def documented_operations(files=None):
    """{(METHOD, path): [status, ...]} from the docs' operation tables. A row twice is an error."""
    found = {}
    duplicates = []
    for path in files or doc_files():
        for header, rows in markdown_tables(path.read_text()):
            names = [h.lower() for h in header]
            if "operation" not in names or "statuses" not in names:
                continue
            op_col, st_col = names.index("operation"), names.index("statuses")
            for row in rows:
                match = OPERATION_CELL.match(row[op_col])
                assert match, f"{path.name}: operation cell not `METHOD /path`: {row[op_col]!r}"
                key = (match.group(1), match.group(2))
                statuses = [s.strip() for s in row[st_col].split(",") if s.strip()]
                assert all(re.fullmatch(r"[1-5][0-9][0-9]", s) for s in statuses), f"{key}: statuses {row[st_col]!r}"
                if key in found:
                    duplicates.append(key)
                found[key] = statuses
    assert not duplicates, f"operations documented twice: {duplicates}"
    return found


def openapi_operations(document):
    """{(METHOD, path): [status, ...]} from an OpenAPI document."""
    return {(method.upper(), path): sorted(str(s) for s in operation.get("responses", {}))
            for path, item in document["paths"].items()
            for method, operation in item.items() if method in METHODS}


def compare_operations(documented, specified):
    """Every difference between the docs' operations and the OpenAPI document's, as sentences."""
    problems = []
    for key in sorted(set(specified) - set(documented)):
        problems.append(f"{key[0]} {key[1]} is in Public/openapi.json but in no table of docs/")
    for key in sorted(set(documented) - set(specified)):
        problems.append(f"{key[0]} {key[1]} is in docs/ but not in Public/openapi.json")
    for key in sorted(set(documented) & set(specified)):
        missing = sorted(set(specified[key]) - set(documented[key]))
        extra = sorted(set(documented[key]) - set(specified[key]))
        if missing:
            problems.append(f"{key[0]} {key[1]}: docs do not mention status {', '.join(missing)}")
        if extra:
            problems.append(f"{key[0]} {key[1]}: docs list status {', '.join(extra)}, the OpenAPI document does not")
    return problems


@pytest.fixture(scope="module")
def openapi():
    return json.loads(OPENAPI.read_text())


# -- the API ------------------------------------------------------------------------------------

def test_docs_and_openapi_have_the_same_operations_and_statuses(openapi):
    documented = documented_operations()
    assert len(documented) >= 20, "the operation tables were not found in docs/"
    problems = compare_operations(documented, openapi_operations(openapi))
    assert not problems, "docs/ and Public/openapi.json disagree:\n" + "\n".join(problems)


def test_the_comparison_catches_a_route_on_either_side_and_a_missing_status(openapi, tmp_path):
    """The check above is only worth something if it fails; make it fail each way."""
    documented = documented_operations()
    specified = openapi_operations(openapi)

    grown = json.loads(json.dumps(openapi))
    grown["paths"]["/api/v1/nieuw"] = {"get": {"responses": {"200": {"description": "x"}}}}
    assert any("/api/v1/nieuw is in Public/openapi.json but in no table" in p
               for p in compare_operations(documented, openapi_operations(grown)))

    extra_doc = tmp_path / "extra.md"
    extra_doc.write_text("| operation | who | statuses | what |\n|---|---|---|---|\n"
                         "| `DELETE /api/v1/gemeenten` | anyone | 204 | not a route |\n")
    both = documented_operations(doc_files() + [extra_doc])
    assert any("DELETE /api/v1/gemeenten is in docs/ but not in Public/openapi.json" in p
               for p in compare_operations(both, specified))

    key = ("PUT", "/api/v1/raadplegingen/{id}/zienswijzen/{gemeente}")
    fewer = dict(documented)
    fewer[key] = [s for s in documented[key] if s != "409"]
    assert any("docs do not mention status 409" in p for p in compare_operations(fewer, specified))


def test_every_problem_kind_is_documented(openapi):
    description = openapi["components"]["schemas"]["Probleem"]["properties"]["type"]["description"]
    kinds = re.findall(r"`([a-z-]+)`", description.split(":", 1)[1])
    assert len(kinds) >= 10
    text = (DOCS / "API.md").read_text()
    missing = [k for k in kinds if f"`{k}`" not in text]
    assert not missing, f"problem kinds not in docs/API.md: {missing}"


def test_idempotency_table_matches_the_openapi_document(openapi):
    """The operations that take `Idempotency-Key` in the OpenAPI document are exactly the ones the
    docs' Idempotency-Key table marks `yes`."""
    ref = "#/components/parameters/IdempotencyKey"
    takes_key = {(m.upper(), p) for p, item in openapi["paths"].items() for m, op in item.items()
                 if m in METHODS and any(prm.get("$ref") == ref for prm in op.get("parameters", []))}
    marked = set()
    for header, rows in markdown_tables((DOCS / "API.md").read_text()):
        if [h.lower() for h in header] != ["request", "supported"]:
            continue
        for row in rows:
            if row[1].startswith("yes"):
                for cell in re.findall(r"`([A-Z]+ /[^`]*)`", row[0]):
                    method, path = cell.split(" ", 1)
                    marked.add((method, path))
    assert takes_key and marked == takes_key, f"docs say {sorted(marked)}, OpenAPI says {sorted(takes_key)}"


def test_the_api_version_is_documented_and_in_the_changelog(openapi):
    version = openapi["info"]["version"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert f"`{version}`" in (DOCS / "API.md").read_text(), "docs/API.md does not name the API version"
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert re.search(rf"^## \[{re.escape(version)}\]", changelog, re.M), \
        f"CHANGELOG.md has no section for API version {version}"
    assert re.search(r"^## \[Unreleased\]", changelog, re.M)
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", changelog, re.M)
    assert released and released[0] == version, f"the newest release in CHANGELOG.md is {released[:1]}, the API says {version}"


def test_seed_data_in_the_docs_matches_the_migrations():
    sql = (ROOT / "Migrations" / "0002_seed.sql").read_text()
    gemeenten = re.findall(r"\('(GM\d{4})', '([^']*)', '([^']*)'\)", sql)
    themes = re.findall(r"\('coalitie-voor-veiligheid-2023-2026', '([a-z-]+)', '([^']*)',", sql)
    assert len(gemeenten) == 27 and len(themes) == 7
    documented_gemeenten, documented_themes = [], []
    for header, rows in markdown_tables((DOCS / "API.md").read_text()):
        if [h.lower() for h in header] == ["code", "naam", "regio"]:
            documented_gemeenten = [(r[0].strip("`"), r[1], r[2]) for r in rows]
        if [h.lower() for h in header] == ["code", "titel"]:
            documented_themes = [(r[0].strip("`"), r[1]) for r in rows]
    assert documented_gemeenten == gemeenten
    assert documented_themes == themes


# -- links --------------------------------------------------------------------------------------

def test_links_stay_inside_the_repository():
    """A fresh clone has nothing beside it: README, CHANGELOG and docs link only to files in it."""
    pages = [ROOT / "README.md", ROOT / "CHANGELOG.md", *doc_files()]
    broken = []
    for page in pages:
        text = page.read_text()
        assert "../shared" not in text, f"{page.name} points outside the repository (../shared)"
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue
            resolved = (page.parent / target.split("#", 1)[0]).resolve()
            if not resolved.is_relative_to(ROOT) or not resolved.exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert not broken, "links that a fresh clone cannot follow:\n" + "\n".join(broken)


def test_the_readme_links_to_the_contract():
    readme = (ROOT / "README.md").read_text()
    assert "](docs/API.md)" in readme and "](docs/cli.md)" in readme and "](CHANGELOG.md)" in readme


# -- the command line ---------------------------------------------------------------------------

def cli_table():
    """{(command, option): variable} from docs/cli.md."""
    table = {}
    for header, rows in markdown_tables((DOCS / "cli.md").read_text()):
        names = [h.lower() for h in header]
        if names[:3] != ["command", "option", "variable"]:
            continue
        for row in rows:
            table[(row[0].strip("`"), row[1].strip("`"))] = row[2].strip("`")
    assert table, "docs/cli.md has no options table"
    return table


def test_every_environment_variable_in_the_sources_is_documented():
    in_sources = set()
    for swift in (ROOT / "Sources").rglob("*.swift"):
        in_sources |= set(re.findall(r"\bZIENSWIJZEN_[A-Z_]+\b", swift.read_text()))
    assert in_sources, "no ZIENSWIJZEN_ variables found in Sources/"
    documented = {v for v in cli_table().values() if v.startswith("ZIENSWIJZEN_")}
    assert in_sources - documented == set(), f"not in docs/cli.md: {sorted(in_sources - documented)}"
    assert documented - in_sources == set(), f"in docs/cli.md but not in Sources/: {sorted(documented - in_sources)}"


def help_text(*command):
    result = subprocess.run([str(BINARY), *command, "--help"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout


def help_section(text, title):
    """The first words of the lines of a `--help` section (`SUBCOMMANDS:`, `OPTIONS:`)."""
    match = re.search(rf"^{title}:\n((?:  .*\n)*)", text + "\n", re.M)   # up to the first blank line
    if not match:
        return []
    return [line.split()[0] for line in match.group(1).splitlines()
            if re.match(r"^  [a-z-]", line)]


def binary_options():
    """{(command, option)} for every leaf subcommand of the built binary."""
    found = set()

    def walk(path):
        assert len(path) < 4, f"runaway subcommand walk: {path}"
        text = help_text(*path)
        subcommands = [s for s in help_section(text, "SUBCOMMANDS") if s != "help"]
        if subcommands:
            for sub in subcommands:
                walk(path + [sub])
            return
        for option in help_section(text, "OPTIONS"):
            if option not in ("-h,", "-h", "--help"):
                found.add((" ".join(path), option))
    walk([])
    return found


@pytest.mark.skipif(not BINARY.exists(), reason=f"{BINARY} not built (run `swift build`)")
def test_the_cli_docs_match_the_binary():
    options = binary_options()
    assert ("serve", "--port") in options and ("token issue", "--coordinator") in options, options
    documented = set(cli_table())
    assert options - documented == set(), f"options missing from docs/cli.md: {sorted(options - documented)}"
    assert documented - options == set(), f"docs/cli.md lists options the binary lacks: {sorted(documented - options)}"
    commands = {c for c, _ in options}
    command_rows = (DOCS / "cli.md").read_text()
    missing = [c for c in commands if f"`zienswijzen {c}" not in command_rows]
    assert not missing, f"commands without a row in docs/cli.md: {missing}"
