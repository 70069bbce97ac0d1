"""Ingest, outline, agencies and the sample corpus backbone with exact expected values."""
import json

import pytest

from helpers import context, doc_from_text
from policykg.errors import BinaryDocumentError, DecodeError, EmptyDocumentError
from policykg.graph_build.ingest import decode_bytes, read_document
from policykg.graph_build.textnorm import normalize


def test_normalize_keeps_length_and_folds_punctuation_and_script():
    t = "（一）構建鵬城云腦，市工信局：１２３"
    n = normalize(t)
    assert len(n) == len(t)
    assert n == "(一)构建鹏城云脑,市工信局:123"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_decode_encodings(encoding):
    text = "深圳市人工智能发展行动计划\r\n一、主要任务\r\n1.加强基础研究。(责任单位:市科技创新委)\r\n"
    got, enc = decode_bytes(text.encode(encoding))
    assert got == text.replace("\r\n", "\n")


def test_bad_inputs_raise_one_line_errors(tmp_path):
    with pytest.raises(EmptyDocumentError):
        decode_bytes(b"  \n", "e.txt")
    with pytest.raises(BinaryDocumentError):
        decode_bytes(bytes(range(256)) * 4, "b.bin")
    with pytest.raises((DecodeError, BinaryDocumentError)):
        decode_bytes(b"\x81\x30\xfd\xc0\xe9\x9f\xa0" * 50, "u.txt")


def test_outline_paths_titles_and_inline_heading():
    ctx = context("计划\n三、重点任务\n(三)统筹规划政策试验11.发展负责任的人工智能。\n(1)发展符合伦理、负责任的人工智能,避免误用。\n专栏1 基础研究\n深度学习理论。研究。\n")
    got = [(it.path, it.kind, it.title) for it in ctx.items]
    assert got == [("三", "cn", "重点任务"), ("三/三", "paren_cn", "统筹规划政策试验"),
                   ("三/三/11", "num", "发展负责任的人工智能"),
                   ("三/三/11/1", "paren_num", "发展符合伦理、负责任的人工智能"),
                   ("三/三/11/1/专栏1", "column", "基础研究"), ("三/三/11/1/专栏1/1", "entry", "深度学习理论")]


def test_traditional_document_offsets_point_into_original(tmp_path):
    p = tmp_path / "trad.txt"
    p.write_text("深圳市人工智能行動計劃\n一、主要任務\n1.建設鵬城云腦。(責任單位:市工業和信息化局、市發展改革委)\n", encoding="utf-8")
    doc = read_document(p)
    from policykg.graph_build.model import DocContext
    from policykg.graph_build.outline import parse_outline
    from policykg.graph_build.pipeline import extract_document
    res = extract_document(doc)
    agencies = {n["name"]: n for n in res.nodes if n["label"] == "Agency"}
    assert set(agencies) == {"工业和信息化局", "发展和改革委员会"}
    ev = agencies["发展和改革委员会"]["evidence"][0]
    assert doc.text[ev["start"]:ev["end"]] == ev["text"] == "市發展改革委"
    task = next(n for n in res.nodes if n["label"] == "Task" and n["props"]["number"] == "一/1")
    assert task["props"]["title"] == "建设鹏城云脑"


def test_sample_corpus_leads_and_supports(sample_build):
    _, contract = sample_build
    nodes = {n["id"]: n for n in contract["nodes"]}
    def pairs(task, rel):
        return sorted(nodes[e["source"]]["name"] for e in contract["edges"] if e["target"] == task and e["type"] == rel)
    t = "task:002_efbdcff6e01d2b71#三/二/7/1"
    assert pairs(t, "LEADS") == ["湘江新区管委会"]
    assert pairs(t, "SUPPORTS") == sorted(["科学技术局", "工业和信息化局", "发展和改革委员会", "住房和城乡建设局", "交通运输局",
                                            "公安局交通警察支队", "各区县市人民政府", "园区管委会"])
    t = "task:000_279d2fb2746ce7ce#三/七"
    assert pairs(t, "LEADS") == ["工业和信息化局"]
    assert "深汕特别合作区管委会" in pairs(t, "SUPPORTS")
    lead = next(e for e in contract["edges"] if e["target"] == t and e["type"] == "LEADS")
    assert lead["props"]["explicit"] is False
    assert nodes["agency:中山市|卫生健康局"]["props"]["aliases"] == ["卫生和计划生育局", "市卫健局", "市卫计局"]
    assert "agency:长沙市|公安局" in nodes
    part = [e for e in contract["edges"] if e["type"] == "PART_OF" and e["source"] == "agency:长沙市|公安局交通警察支队"]
    assert [e["target"] for e in part] == ["agency:长沙市|公安局"]


def test_sample_corpus_issuers_and_coordinators(sample_build):
    _, contract = sample_build
    issued = sorted((e["source"], e["target"]) for e in contract["edges"] if e["type"] == "ISSUED_BY")
    assert issued == [("document:000_279d2fb2746ce7ce", "agency:深圳市|人民政府"),
                      ("document:001_cdc2e9bdfb7cc299", "agency:中山市|科学技术局")]
    coord = sorted(e["source"] for e in contract["edges"] if e["type"] == "COORDINATES")
    assert "agency:广东省|制造强省建设领导小组" in coord and "agency:广东省|科技领导小组" in coord
    assert "agency:长沙市|科技领导小组" in coord and "agency:深圳市|科技产业发展领导小组" in coord
    assert "agency:中山市|人民政府" in coord


def test_evidence_spans_index_the_original_text(sample_build, corpus_dir):
    _, contract = sample_build
    texts = {p.stem: open(p, encoding="utf-8").read() for p in corpus_dir.glob("*.txt")}
    checked = 0
    for item in contract["nodes"] + contract["edges"]:
        for ev in item["evidence"]:
            assert texts[ev["doc"]][ev["start"]:ev["end"]] == ev["text"]
            checked += 1
    assert checked > 500


def test_build_is_deterministic(tmp_path, corpus_dir):
    from policykg.graph_build.commands import build_to
    build_to([str(corpus_dir)], tmp_path / "a")
    build_to([str(corpus_dir)], tmp_path / "b")
    for f in ("graph.json", "graph.graphml"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
    data = json.loads((tmp_path / "a" / "graph.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == 1 and len(data["documents"]) == 5
