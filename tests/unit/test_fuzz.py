"""Property-based tests of the outline, clause and target parsers (and every registered extractor)
on generated plan-like documents and on arbitrary text: they never crash, never return a span
outside the text, never an agency with an empty name; parsing a responsibility clause whose unit
list is reordered gives the same set of units.

`make test` runs a small derandomised profile; `make fuzz` (tests/fuzz/run_fuzz.py) runs each
property on 10,000 generated inputs and prints the counts."""
from __future__ import annotations

import math
import os
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import context
from policykg.graph_build.clauses import ClauseParser, split_units
from policykg.graph_build.model import DocContext, Fragment

EXAMPLES = int(os.environ.get("POLICYKG_FUZZ_EXAMPLES", "120"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize="POLICYKG_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
CALLS: Counter = Counter()  # property -> inputs checked (printed by the fuzz runner)

# ---- generated documents ---------------------------------------------------------------------------

MARKERS = ["一、", "二、", "十二、", "三.", "(一)", "（二）", "〔三〕", "( 四 )", "1.", "2、", "10.", "3 .", "(1)", "（2）",
           "〔3〕", "①", "⑳", "专栏1 ", "专栏二：", "专栏 3.", "第一章 ", "第2篇", "附件1：", "", "", "   ", "\t"]
UNITS = ["市科技局", "市工信局", "市发展改革委", "市财政局", "市人力资源社会保障局", "市市场监管局", "市场监管局", "市卫健委",
         "市委人才办", "各区县市人民政府", "园区管委会", "各区政府(新区管委会)", "市公安局交警支队", "市科技领导小组",
         "湘江新区管委会", "中山市政府", "市政府金融办", "省工业和信息化厅", "市税务局", "深圳大学", "鹏城实验室",
         "市科技创新委、发展改革委、工业和信息化局", "有关单位", "各镇街", "☆市工信局", "市科技局(牵头)", "市", "局", ""]
WORDS = ["建设", "人工智能", "创新平台", "推动", "到2025年", "到二〇二二年", "建成", "10个", "突破1000亿元", "超过50%",
         "不低于30家", "3-5个", "1~2项", "每年新增", "20家", "产值达到", "十二万", "1.5亿元", "以上", "左右", "。", "，",
         "；", "、", ":", "：", "（", "）", "(", ")", "〔", "〕", "【", "】", "[", "]", "“", "”", "\n", " ", "\u3000",
         "產業園", "鵬城雲腦", "2021年工业机器人产量为11.02万套", "不超过总投入的50%", "最高1000万元", "国发〔2017〕35号",
         "在市政府的领导下", "领导小组", "关于印发", "的通知", "(2019—2021年)", "0", "9", "%", "万", "亿", "年"]
LABELS = ["责任单位", "牵头单位", "配合单位", "参与单位", "牵头", "完成时限", "责任部门", "主办单位", "备注"]


CLAUSE_PARTS = ["(", ")", "（", "）", "〔", "〕", "【", "】", "[", "]", "(责任单位:", "（责任单位：", "(牵头单位:", "〔责任单位:",
                "，责任单位：", ",配合单位:", "牵头,", "配合)", "负责）", "分工负责)", "(牵头)", "、", "、", "、", ",", "，",
                ";", "/", "和", "及", ")\n", "）\n", "〕\n", "完成时限:2020年底"]
CHARS = list("一二三四五六七八九十百零〇市局委办区县省年月日万亿个家项套元%.-~—·☆★“”《》<>") + ["𠀀", "\x00", "\x0b", "\u200b",
                                                                              "\ufeff", "\r", "\t", "é", "ﾊ", "\u0301"]
BRACKETS = [("(", ")"), ("（", "）"), ("〔", "〕"), ("【", "】"), ("(", "〕")]
WHOLE_CLAUSES = [f"{o}{LABELS[i % 4]}:{UNITS[i % 22]}、{UNITS[(i * 7 + 3) % 22]}{c}" for i, (o, c) in
                 zip(range(24), BRACKETS * 5)] + [f"({UNITS[i]}、{UNITS[i + 1]})" for i in range(0, 20, 2)] + [
                 f"({UNITS[i]}牵头,{UNITS[i + 2]}配合)" for i in range(0, 12, 3)]
# every input is a string of tokens: a byte picks one, so generating is cheap and shrinking works
TOKENS = (["\n" + m for m in MARKERS if m.strip()] * 2 + WHOLE_CLAUSES + UNITS + WORDS + LABELS + CLAUSE_PARTS + CHARS)[:256]
TOKENS += [TOKENS[i % len(TOKENS)] for i in range(256 - len(TOKENS))]


def tokens_to_text(data: bytes) -> str:
    return "".join(TOKENS[b] for b in data)


plan_text = st.binary(max_size=300).map(tokens_to_text)
# arbitrary Unicode too: control characters, combining marks, astral characters, lone brackets
any_text = st.text(max_size=60)
documents = st.one_of(plan_text, plan_text, plan_text, plan_text, any_text)


# ---- checks ------------------------------------------------------------------------------------------

def _span_ok(span, n: int) -> bool:
    s, e = span
    return isinstance(s, int) and isinstance(e, int) and 0 <= s <= e <= n


def _check_fragment(frag: Fragment, n: int, where: str) -> None:
    for node in frag.nodes:
        for span in node.spans:
            assert _span_ok(span, n), (where, node.id, span, n)
        if node.label == "Agency":
            assert node.name.strip(), (where, node.id)
            assert node.id.split("|", 1)[-1].strip(), (where, node.id)
            assert (node.props.get("region") or "").strip(), (where, node.id)
        if node.label == "Target":
            value = node.props["value"]
            values = value if isinstance(value, list) else [value]
            assert all(isinstance(v, (int, float)) and math.isfinite(v) for v in values), (where, node.id, value)
    for edge in frag.edges:
        for span in edge.spans:
            assert _span_ok(span, n), (where, edge.type, span, n)


def check_outline(text: str) -> None:
    ctx = context(text)
    n = len(ctx.doc.text)
    paths = [it.path for it in ctx.items]
    assert len(paths) == len(set(paths)), paths
    for it in ctx.items:
        assert 0 <= it.start <= it.end <= n, (it, n)
        assert 0 <= it.title_start <= n, (it, n)
        assert it.level == len(it.number) - 1
        assert it.parent is None or it.parent == it.number[:-1]
        assert all(m.strip() for m in it.number), it.number
    CALLS["outline"] += 1


def check_clauses(text: str) -> None:
    from policykg.graph_build.agencies import AgencyResolver
    from policykg.graph_build.regions import default_index

    ctx = context(text)
    norm, n = ctx.doc.norm, len(ctx.doc.norm)
    index = default_index()
    parser = ClauseParser(AgencyResolver(index.get(ctx.doc.region_id) if ctx.doc.region_id else None, 2020, index))
    for start, end in [(0, n)] + [(it.start, it.end) for it in ctx.items]:
        for cl in parser.find_in_item(norm, start, end):
            assert start <= cl.start < cl.end <= end, (cl, start, end)
            assert cl.lead, cl
            for u in cl.lead + cl.support:
                assert cl.start <= u.start <= u.end <= cl.end, (u, cl)
                assert u.agency.name.strip() and u.agency.region.name.strip(), u
    for surface, s, e in split_units(norm, 0):
        assert surface and 0 <= s <= e <= n and norm[s:e] == surface
    CALLS["clauses"] += 1


def check_targets(text: str) -> None:
    from policykg.graph_build.targets import extract_targets

    ctx = context(text)
    _check_fragment(extract_targets(ctx), len(ctx.doc.text), "targets")
    CALLS["targets"] += 1


def check_extractors(text: str) -> None:
    """Every extractor the build runs, and the evidence records it would export."""
    from policykg.graph_build.pipeline import extractors, fragment_to_result

    ctx = context(text)
    n = len(ctx.doc.text)
    frag = Fragment()
    for ex in extractors():
        part = ex(ctx)
        _check_fragment(part, n, getattr(ex, "__name__", str(ex)))
        frag.extend(part)
    res = fragment_to_result(ctx.doc, frag)
    for rec in res.nodes + res.edges:
        for ev in rec["evidence"]:
            assert ev["text"] == ctx.doc.text[ev["start"]:ev["end"]]
    CALLS["extractors"] += 1


REORDER_UNITS = ["市科技局", "市工业和信息化局", "市发展改革委", "市财政局", "市人力资源社会保障局", "市市场监管局",
                 "市卫生健康局", "市教育局", "市商务局", "市自然资源局", "市交通运输局", "市生态环境局", "市委宣传部",
                 "各区县市人民政府", "市数据资源局", "市公安局"]


def assigned_units(units: list[str], label: str) -> set[str]:
    text = f"长沙市人工智能产业发展计划(2020—2022年)\n一、重点任务\n1.建设人工智能平台。({label}{'、'.join(units)})\n"
    from policykg.graph_build.responsibility import extract_backbone

    frag = extract_backbone(context(text))
    return {e.source for e in frag.edges if e.type in ("LEADS", "SUPPORTS")}


def check_reorder(units: list[str], order: list[int], label: str) -> None:
    original = assigned_units(units, label)
    assert len(original) == len(set(units)), (units, original)
    assert assigned_units([units[i] for i in order], label) == original
    CALLS["reorder"] += 1


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bad"
SEEDS = ["plan_gbk_page.html", "plan_docx.docx", "plan_pdf.pdf", "plan_cid_font.pdf", "plan_markdown.md", "plan_gbk.txt",
         "plan_utf16_bom.txt", "plan_big5.txt"]


@st.composite
def damaged_files(draw):
    """A good document of some format, cut short, with bytes overwritten and bytes inserted."""
    name = draw(st.sampled_from(SEEDS))
    data = bytearray((FIXTURES / name).read_bytes())
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["cut", "flip", "insert", "zero"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "cut":
            del data[at:]
        elif op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "zero":
            data[at:at + draw(st.integers(1, 64))] = bytes(min(64, len(data) - at))
    suffix = draw(st.sampled_from([Path(name).suffix, Path(name).suffix, ".txt", ""]))
    return bytes(data), suffix


class _Hang(Exception):
    pass


def check_reader(data: bytes, suffix: str) -> None:
    """Any bytes give a document or an InputError naming the file, within seconds."""
    import signal

    from policykg.errors import InputError
    from policykg.graph_build.ingest import document_from_bytes

    def hang(signum, frame):
        raise _Hang(f"reading took over 20 s ({len(data)} bytes, suffix {suffix!r})")

    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(20)
    try:
        doc = document_from_bytes(Path("fuzzed" + suffix), data)
        assert doc.text.strip() and len(doc.norm) == len(doc.text)
    except InputError as exc:
        assert str(exc).startswith(f"fuzzed{suffix}: ") and exc.reason.strip()
        assert "\n" not in str(exc)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    CALLS["readers"] += 1


# ---- the tests -------------------------------------------------------------------------------------


@FUZZ
@given(st.one_of(damaged_files(), st.tuples(st.binary(max_size=2000), st.sampled_from([".html", ".docx", ".pdf", ".md", ".txt", ""]))))
def test_format_readers_turn_any_bytes_into_a_document_or_one_input_error(case):
    check_reader(*case)


@FUZZ
@given(documents)
def test_outline_parser_never_crashes_and_keeps_spans_inside(text):
    check_outline(text)


@FUZZ
@given(documents)
def test_clause_parser_never_crashes_and_units_sit_inside_their_clause(text):
    check_clauses(text)


@FUZZ
@given(documents)
def test_target_parser_never_crashes_and_keeps_spans_inside(text):
    check_targets(text)


@FUZZ
@given(documents)
def test_every_extractor_keeps_evidence_inside_the_text_and_names_agencies(text):
    check_extractors(text)


@st.composite
def unit_lists(draw):
    units = draw(st.lists(st.sampled_from(REORDER_UNITS), min_size=1, max_size=8, unique=True))
    order = draw(st.permutations(range(len(units))))
    label = draw(st.sampled_from(["责任单位:", "责任单位：", "牵头单位:", ""]))
    return units, list(order), label


@FUZZ
@given(unit_lists())
def test_reordered_unit_list_gives_the_same_units(case):
    check_reorder(*case)


def test_examples_the_properties_must_hold_on():
    """Fixed inputs that once were edge cases: empty text, brackets only, markers only."""
    for text in ["", "\n", "(", ")", "一、", "(一)", "专栏", "专栏1", "1.", "①", "（责任单位：）", "(责任单位:市)",
                 "一、\n(一)\n1.\n(1)\n①\n专栏1 x\n", "一、任务\n1.建设。(" + "(" * 500, "〔" + "市科技局、" * 200 + "〕",
                 "\x00\x01\u200b\ufeff一、任务", "𠀀𠀁一、任务\n1.建设(市科技局)"]:
        check_outline(text)
        check_clauses(text)
        check_targets(text)
        check_extractors(text)
    check_reorder(["市科技局", "市财政局", "各区县市人民政府"], [2, 0, 1], "责任单位:")
