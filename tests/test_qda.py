"""REFI-QDA export: the project XML against the standard's schema, and every selection's positions.

`data/refi_qda/Project-mrt2019.xsd` is the REFI-QDA project schema (QDA-XML 1.0, 18 March 2019,
MIT licence; see `data/refi_qda/README.md`).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE
from lxml import etree
from typer.testing import CliRunner

import sbtext
from sbtext.cli import app
from sbtext.qda import CODEBOOK_NS, PROJECT_NS, code_system, codebook_xml

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "data" / "refi_qda" / "Project-mrt2019.xsd")))
NS = {"q": PROJECT_NS}
REALDOCS = ROOT.parent / "shared" / "realdocs"


@pytest.fixture(scope="module")
def analysis():
    return sbtext.analyze(SAMPLE, spacy_model="blank")


def opened(path: Path) -> tuple[etree._Element, dict[str, str]]:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("project.qde"))
        texts = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("Sources/")}
    return root, texts


def check_project(path: Path, passages) -> int:
    """Validate, then check each selection against its passage; returns the number of selections."""
    root, texts = opened(path)
    SCHEMA.assertValid(root)
    codes = {c.get("guid") for c in root.iterfind(".//q:CodeBook//q:Code", NS)}
    by_name = {f"{r.passage_id} (p. {r.page})": r for r in passages.itertuples()}
    n = 0
    for source in root.iterfind(".//q:TextSource", NS):
        text = texts["Sources/" + source.get("plainTextPath").removeprefix("internal://")]
        for sel in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            name = sel.get("name")
            if name.endswith(" waartoe"):
                row = passages[passages.passage_id == name.removesuffix(" waartoe")].iloc[0]
                assert text[start:end] == row.purpose
            else:
                assert text[start:end] == by_name[name].text
            assert {c.get("targetGUID") for c in sel.iterfind(".//q:CodeRef", NS)} <= codes
            n += 1
    return n


def test_qdpx_validates_and_every_selection_is_its_passage(analysis, tmp_path):
    path = analysis.to_qdpx(tmp_path / "sample.qdpx")
    n = check_project(path, analysis.passages)
    labelled = analysis.passages[
        analysis.passages.expectation | analysis.passages.goal_statement | (analysis.passages.framing != "none")
    ]
    with_purpose = labelled[(labelled.purpose != "") & (labelled.purpose_start >= 0)]
    assert n == len(labelled) + len(with_purpose)
    root, texts = opened(path)
    assert len(root.findall(".//q:TextSource", NS)) == len(analysis.documents) == len(texts)
    coded = root.findall(".//q:PlainTextSelection/q:Coding", NS)
    expectation = next(c for c in code_system() if c.key == "expectation").guid
    assert sum(c[0].get("targetGUID") == expectation for c in coded) == int(analysis.passages.expectation.sum())


def test_document_metadata_are_variables(analysis, tmp_path):
    root, _ = opened(analysis.to_qdpx(tmp_path / "sample.qdpx"))
    names = {v.get("guid"): v.get("name") for v in root.iterfind(".//q:Variables/q:Variable", NS)}
    assert {"date", "kenmerk", "url"} <= set(names.values())
    for doc, source in zip(analysis.documents.itertuples(), root.iterfind(".//q:TextSource", NS)):
        values = {
            names[v.find("q:VariableRef", NS).get("targetGUID")]: v.find("q:TextValue", NS).text
            for v in source.iterfind("q:VariableValue", NS)
        }
        for key in ("date", "kenmerk", "url"):
            assert values.get(key, "") == (getattr(doc, key) or "")


def test_codes_carry_the_definitions_and_guids_are_stable(analysis, tmp_path):
    first, _ = opened(analysis.to_qdpx(tmp_path / "a.qdpx"))
    second, _ = opened(analysis.to_qdpx(tmp_path / "b.qdpx"))
    guids = [e.get("guid") for e in first.iter() if e.get("guid")]
    assert guids == [e.get("guid") for e in second.iter() if e.get("guid")]
    assert len(guids) == len(set(guids))
    for code in first.iterfind(".//q:CodeBook//q:Code", NS):
        assert len(code.find("q:Description", NS).text) > 10


def test_qdc_holds_the_code_system_of_the_project_schema():
    book = etree.fromstring(codebook_xml())
    assert book.tag == f"{{{CODEBOOK_NS}}}CodeBook"
    # The codebook schema published with the standard is not available in a usable form here; its
    # Code type is the project schema's, so the codes are checked inside a minimal project.
    project = etree.Element(f"{{{PROJECT_NS}}}Project", nsmap={None: PROJECT_NS}, name="qdc")
    codes = etree.SubElement(etree.SubElement(project, f"{{{PROJECT_NS}}}CodeBook"), f"{{{PROJECT_NS}}}Codes")
    found = book.find(f"{{{CODEBOOK_NS}}}Codes")
    for element in found.iter():
        element.tag = element.tag.replace(CODEBOOK_NS, PROJECT_NS)
    codes.extend(list(found))
    SCHEMA.assertValid(project)
    assert len(codes.findall(f".//{{{PROJECT_NS}}}Code")) == sum(1 + len(c.children) for c in code_system())


def test_analyze_writes_a_qdpx_from_the_command_line(tmp_path):
    target = tmp_path / "brief.qdpx"
    result = CliRunner().invoke(
        app,
        ["analyze", str(SAMPLE / "003_1914dd54163749e7.txt"), "--out", str(tmp_path / "o"), "--qdpx", str(target)],
    )
    assert result.exit_code == 0, result.output
    passages = sbtext.analyze(SAMPLE / "003_1914dd54163749e7.txt").passages
    assert check_project(target, passages) > 0
    qdc = tmp_path / "codes.qdc"
    assert CliRunner().invoke(app, ["codebook", "qdc", str(qdc)]).exit_code == 0
    assert qdc.read_bytes() == codebook_xml()


@pytest.mark.slow
def test_qdpx_of_real_pdfs_round_trips(tmp_path):
    # Two short real PDFs in which the models find something to code (a decision list has nothing).
    names = ("reg_amstellandzorg_welzijn_op_recept_procesflow_2024.pdf", "mun_almere_pga_transformatieplan.pdf")
    pdfs = [REALDOCS / name for name in names if (REALDOCS / name).is_file()]
    if len(pdfs) < len(names):
        pytest.skip("the real documents are not beside the project")
    result = sbtext.analyze(pdfs, spacy_model="blank")
    assert check_project(result.to_qdpx(tmp_path / "real.qdpx"), result.passages) > 0


def test_an_independent_refi_qda_reader_loads_the_project(analysis, tmp_path):
    pyrefiqda = pytest.importorskip("pyrefiqda")
    path = analysis.to_qdpx(tmp_path / "sample.qdpx")
    project = pyrefiqda.RefiProject.load(path, extract_dir=str(tmp_path / "unpacked"))
    _, texts = opened(path)
    sources = project.sources.text_source
    assert len(sources) == len(analysis.documents)
    codes = {c.guid for top in project.code_book.codes.code for c in [top, *top.code]}
    for source in sources:
        text = texts["Sources/" + source.plain_text_path.removeprefix("internal://")]
        for sel in source.plain_text_selection:
            assert sel.name.split(" ")[0] in set(analysis.passages.passage_id)
            assert text[sel.start_position : sel.end_position].strip()
            assert {c.code_ref.target_guid for c in sel.coding} <= codes
