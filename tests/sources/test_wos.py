"""Web of Science plain-text and tab-delimited exports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dualscope.errors import InputError
from dualscope.sources.exports import ExportRecord, SkippedRecord, detect_format, read_export

DATA = Path(__file__).parent / "data"


def _read(
    path: Path, fmt: str | None = None
) -> tuple[dict[str, ExportRecord], list[SkippedRecord]]:
    records: dict[str, ExportRecord] = {}
    skipped: list[SkippedRecord] = []
    for item in read_export(path, fmt):
        if isinstance(item, SkippedRecord):
            skipped.append(item)
        else:
            records[item.id] = item
    return records, skipped


def _people(record: dict[str, Any]) -> dict[str | None, dict[str, Any]]:
    return {a["author"]["display_name"]: a for a in record["authorships"]}


@pytest.fixture(scope="module")
def plain() -> tuple[dict[str, ExportRecord], list[SkippedRecord]]:
    return _read(DATA / "wos_plain.txt")


def test_plain_detected_by_content(tmp_path: Path) -> None:
    renamed = tmp_path / "export.csv"
    renamed.write_bytes((DATA / "wos_plain.txt").read_bytes())
    assert detect_format(renamed) == "wos"


def test_plain_record_fields(plain: tuple[dict[str, ExportRecord], list[SkippedRecord]]) -> None:
    records, _ = plain
    one = records["wos:000000000000001"]
    assert one["doi"] == "10.9999/synth.2021.001"
    assert one["title"] == (
        "Synthetic record one: swarm control of unmanned aerial vehicles under adversarial jamming"
    )
    assert one["publication_year"] == 2021
    assert one["updated_date"] is None
    assert one["abstract"] == "A synthetic abstract for a test record."
    assert one["keywords"] == ["swarm control", "UAV", "jamming", "COOPERATIVE CONTROL", "NETWORKS"]
    assert one["source"] == "wos"
    assert one["line"] == 3
    assert one["source_file"].endswith("wos_plain.txt")
    assert [o["display_name"] for o in one["organizations"]] == [
        "National University of Defense Technology - China",
        "University of Oxford",
        "Technical University of Munich",
    ]


def test_bracketed_addresses_go_to_their_authors(
    plain: tuple[dict[str, ExportRecord], list[SkippedRecord]],
) -> None:
    people = _people(plain[0]["wos:000000000000001"])
    assert list(people) == ["Wang, Lei", "Smith, John", "Mueller, Katrin"]
    assert [a["author_position"] for a in people.values()] == ["first", "middle", "last"]
    assert people["Wang, Lei"]["raw_affiliation_strings"] == [
        "Natl Univ Def Technol, Coll Intelligence Sci & Technol, Changsha 410073, Peoples R China"
    ]
    assert people["Wang, Lei"]["countries"] == ["CN"]
    assert people["Smith, John"]["countries"] == ["GB"]
    assert people["Smith, John"]["author"]["orcid"] == "https://orcid.org/0000-0002-1825-0097"
    assert people["Mueller, Katrin"]["countries"] == ["DE"]
    assert all(a["institutions"] == [] for a in people.values())


def test_old_unbracketed_addresses_apply_to_every_author(
    plain: tuple[dict[str, ExportRecord], list[SkippedRecord]],
) -> None:
    two = plain[0]["wos:A1995AB12300001"]
    assert len(two["authorships"]) == 3
    for author in two["authorships"]:
        assert len(author["raw_affiliation_strings"]) == 3
        assert author["countries"] == ["GB"]  # Scotland, Wales, North Ireland
    assert two["publication_year"] == 1995


def test_author_in_several_groups(
    plain: tuple[dict[str, ExportRecord], list[SkippedRecord]],
) -> None:
    people = _people(plain[0]["wos:000000000000003"])
    assert people["Li, Xiaoming"]["countries"] == ["CN", "IT"]
    assert people["Brown, Emily"]["countries"] == ["CN", "GB"]
    assert people["Rossi, Marco"]["countries"] == ["IT"]
    assert plain[0]["wos:000000000000003"]["doi"] == "10.9999/synth.2019.003"


def test_partners_outside_europe_and_early_access_year(
    plain: tuple[dict[str, ExportRecord], list[SkippedRecord]],
) -> None:
    four = plain[0]["wos:000000000000004"]
    assert [a["countries"] for a in four["authorships"]] == [["SG"], ["MX"], ["US"]]
    assert four["publication_year"] == 2022


def test_record_without_key_is_skipped_with_reason(
    plain: tuple[dict[str, ExportRecord], list[SkippedRecord]],
) -> None:
    records, skipped = plain
    assert len(records) == 6
    assert len(skipped) == 1
    assert skipped[0].reason.startswith("no UT (accession number) and no DI")
    assert skipped[0].line == 79  # the PT line of record five
    assert "wos:doi:10.9999/synth.2020.006" in records


def test_reprint_address_when_c1_is_missing(
    plain: tuple[dict[str, ExportRecord], list[SkippedRecord]],
) -> None:
    people = _people(plain[0]["wos:000000000000007"])
    assert people["Dubois, M"]["countries"] == ["FR"]
    assert people["Dubois, M"]["raw_affiliation_strings"] == [
        "Univ Paris Saclay, CNRS, F-91405 Orsay, France"
    ]
    assert people["Hansen, T"]["raw_affiliation_strings"] == []


def test_strict_stops_at_the_bad_record() -> None:
    with pytest.raises(InputError, match=r"wos_plain.txt, line 79: no UT"):
        list(read_export(DATA / "wos_plain.txt", strict=True))


def test_cut_off_file_and_stray_text(tmp_path: Path) -> None:
    text = (DATA / "wos_plain.txt").read_text(encoding="utf-8")
    cut = tmp_path / "cut.txt"
    cut.write_text("FN x\nVR 1.0\nsome stray words\n" + text.split("\nER\n")[0] + "\n")
    records, skipped = _read(cut, "wos")
    assert records == {}
    assert [s.reason for s in skipped] == [
        "text outside a PT ... ER record",
        "file ends inside a record (no ER line): cut off?",
    ]


def test_windows_line_ends_and_bom(tmp_path: Path) -> None:
    data = (DATA / "wos_plain.txt").read_bytes().replace(b"\n", b"\r\n")
    path = tmp_path / "savedrecs.txt"
    path.write_bytes(b"\xef\xbb\xbf" + data)
    records, skipped = _read(path)
    assert len(records) == 6 and len(skipped) == 1
    assert records["wos:000000000000001"]["title"].endswith("adversarial jamming")


TAB_HEADER = "PT\tAU\tAF\tTI\tSO\tDE\tID\tAB\tC1\tC3\tRP\tPY\tDI\tUT\t"
TAB_ROWS = [
    "J\tWang, L; Smith, J\tWang, Lei; Smith, John\tA tab-delimited record\tSYNTH J\t"
    "swarm; UAV\t\tAbstract.\t[Wang, Lei] Natl Univ Def Technol, Changsha 410073, Peoples R "
    "China; [Smith, John] Univ Oxford, Oxford OX1 3PJ, England\tNational University of Defense "
    "Technology - China; University of Oxford\tWang, L (corresponding author), Natl Univ Def "
    "Technol, Changsha 410073, Peoples R China.\t2021\t10.9999/synth.2021.001\t"
    "WOS:000000000000101\t",
    "J\tKim, S\tKim, Soo\tSecond row: Korea\tSYNTH J\t\t\t\tKAIST, Daejeon 34141, South Korea\t\t"
    "\t2020\t\tWOS:000000000000102\t",
    "J\tBad, R\tBad, Row\tThird row: no key\tSYNTH J\t\t\t\t\t\t\t2020\t\t\t",
]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le-nobom", "utf-8-sig"])
def test_tab_delimited(tmp_path: Path, encoding: str) -> None:
    text = "\r\n".join([TAB_HEADER, *TAB_ROWS]) + "\r\n"
    path = tmp_path / "savedrecs.txt"
    if encoding == "utf-16-le-nobom":
        path.write_bytes(text.encode("utf-16-le"))
    else:
        path.write_bytes(text.encode(encoding))  # "utf-16" writes a BOM
    assert detect_format(path) == "wos_tab"
    records, skipped = _read(path)
    assert set(records) == {"wos:000000000000101", "wos:000000000000102"}
    one = _people(records["wos:000000000000101"])
    assert one["Wang, Lei"]["countries"] == ["CN"]
    assert one["Smith, John"]["countries"] == ["GB"]
    assert records["wos:000000000000102"]["authorships"][0]["countries"] == ["KR"]
    assert [(s.line, s.reason[:5]) for s in skipped] == [(4, "no UT")]


def test_tab_row_with_extra_cells_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "tab.txt"
    path.write_text(TAB_HEADER + "\n" + TAB_ROWS[1] + "\textra\tcells\n", encoding="utf-8")
    records, skipped = _read(path)
    assert records == {}
    assert "fields, the header" in skipped[0].reason


# --- real sample exports (GPL, read from ../shared) -------------------------------------------


@pytest.mark.shared
@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("bibliometrix-fixtures/wos_sample.txt", 8),
        ("metaknowledge-fixtures/testFile.isi", 34),
        ("metaknowledge-fixtures/OnePaper.isi", 1),
    ],
)
def test_real_samples_parse_completely(shared_raw: Path, name: str, count: int) -> None:
    path = shared_raw / name
    assert detect_format(path) == "wos"
    records, skipped = _read(path)
    assert skipped == []
    assert len(records) == count
    for record in records.values():
        assert record["authorships"], record["id"]
        assert record["title"]


@pytest.mark.shared
def test_real_samples_countries(shared_raw: Path) -> None:
    records, _ = _read(shared_raw / "bibliometrix-fixtures/wos_sample.txt")
    china = [
        a
        for r in records.values()
        for a in r["authorships"]
        for s in a["raw_affiliation_strings"]
        if "Peoples R China" in s
    ]
    assert china and all("CN" in a["countries"] for a in china)
    sweeney = _people(records["wos:001492673800001"])["Sweeney-Reed, Catherine M."]
    assert sweeney["raw_affiliation_strings"][0].endswith("Reading, England")
    assert sweeney["countries"] == ["GB"]
    aria = _people(records["wos:000418020600003"])
    assert aria["Aria, Massimo"]["countries"] == ["IT"]
    assert aria["Aria, Massimo"]["author"]["orcid"] == "https://orcid.org/0000-0002-8517-9411"

    old, _ = _read(shared_raw / "metaknowledge-fixtures/testFile.isi")
    strings = {
        s: a["countries"]
        for r in old.values()
        for a in r["authorships"]
        for s in a["raw_affiliation_strings"]
    }
    assert strings["UNIV TRONDHEIM,INST THEORET PHYS,N-7034 TRONDHEIM,NORWAY"] == ["NO"]
    north_univ = [s for s in strings if s.startswith("N Univ China")]
    assert north_univ and all(strings[s] == ["CN"] for s in north_univ)
    assert strings["OAK RIDGE NATL LAB,OAK RIDGE,TN 37830"] == ["US"]

    # the record whose CR tag is missing: references are not taken for addresses
    assert not any(", 1909, " in s for s in strings)


def test_forced_format_on_another_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("these are notes\nnot an export\n")
    with pytest.raises(InputError, match=r"no Web of Science record \(PT \.\.\. ER\)"):
        list(read_export(path, "wos"))
    with pytest.raises(InputError, match="no Web of Science tab-delimited header"):
        list(read_export(path, "wos_tab"))


def test_bracket_names_without_author_fields_and_unknown_names(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text(
        "PT J\nTI No AU or AF\n"
        "C1 [Wang, Lei] Natl Univ Def Technol, Changsha 410073, Peoples R China.\n"
        "   [Smith, John] Univ Oxford, Oxford OX1 3PJ, England.\n"
        "UT WOS:000000000000201\nER\n"
        "PT J\nAU Wang, L\nAF Wang, Lei\nTI A bracket name matching no author\n"
        "C1 [Wang, Lei] Natl Univ Def Technol, Changsha 410073, Peoples R China.\n"
        "   [Someone, Else] Univ Oxford, Oxford OX1 3PJ, England.\n"
        "UT WOS:000000000000202\nER\nEF\n",
        encoding="utf-8",
    )
    records, skipped = _read(path, "wos")
    assert skipped == []
    first = records["wos:000000000000201"]["authorships"]
    assert [(a["author"]["display_name"], a["countries"]) for a in first] == [
        ("Wang, Lei", ["CN"]),
        ("Smith, John", ["GB"]),
    ]
    second = records["wos:000000000000202"]["authorships"]
    assert [(a["author_position"], a["author"]["display_name"]) for a in second] == [
        ("first", "Wang, Lei"),
        ("unattributed", None),
    ]
    assert second[1]["countries"] == ["GB"]
