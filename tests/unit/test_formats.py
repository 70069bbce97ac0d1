"""Format readers: HTML pages, DOCX, PDF, Markdown and text encodings give the plan's text with one
paragraph per line, page furniture dropped and document properties kept."""
import io
from pathlib import Path

import pytest

from policykg.errors import DecodeError, EmptyDocumentError, InputError
from policykg.graph_build import formats
from policykg.graph_build.ingest import read_document
from policykg.graph_build.textnorm import normalize

BAD = Path(__file__).resolve().parents[1] / "fixtures" / "bad"
PLAN = (BAD / "plan_utf8.txt").read_text(encoding="utf-8")
PLAN_LINES = normalize(PLAN).splitlines()
TITLE = "中山市推进人工智能产业发展行动计划(2020—2022年)"
PAGE_META = {"主题分类": "科技、教育", "发布日期": "2020-03-01 10:00", "发布机构": "中山市科学技术局",
             "发文字号": "中科〔2020〕12号", "成文日期": "2020-03-01", "来源": "中山市科学技术局",
             "标题": TITLE, "索引号": "007060271/2020-00123"}


def lines_of(name: str) -> list[str]:
    return normalize(read_document(BAD / name).text).splitlines()


def test_plan_has_the_expected_outline_lines():
    assert len(PLAN_LINES) == 17
    assert PLAN_LINES[0] == TITLE
    assert PLAN_LINES[7].startswith("1.建设人工智能创新中心。") and PLAN_LINES[7].endswith("(责任单位:市科技局、市工业和信息化局)")


@pytest.mark.parametrize("name,encoding", [
    ("plan_utf8.txt", "utf-8"), ("plan_utf8_bom_crlf.txt", "utf-8-sig"), ("plan_gbk.txt", "gb18030"),
    ("plan_utf16_bom.txt", "utf-16"), ("plan_utf16le_nobom.txt", "utf_16_le"), ("plan_big5.txt", "big5hkscs"),
])
def test_text_encodings_decode_to_the_same_plan(name, encoding):
    doc = read_document(BAD / name)
    assert doc.encoding == encoding
    assert doc.format == "text"
    assert normalize(doc.text).splitlines() == PLAN_LINES  # Big5 is traditional: normalize folds it


def test_gb18030_four_byte_characters():
    doc = read_document(BAD / "plan_gb18030.txt")
    assert doc.encoding == "gb18030"
    assert doc.text.endswith("注:本计划由市科技局负责解释𠀀。\n")


@pytest.mark.parametrize("name", ["plan_gbk_page.html", "plan_wrong_charset.htm"])
def test_html_page_main_text_without_furniture_and_with_properties(name):
    doc = read_document(BAD / name)
    assert doc.format == "html" and doc.encoding == "gb18030"
    assert normalize(doc.text).splitlines() == PLAN_LINES
    for furniture in ("返回顶部", "打印本页", "关闭窗口", "当前位置", "首页", "分享到", "ICP", "网站标识码", "索引号", "统计代码"):
        assert furniture not in doc.text
    assert dict(doc.metadata) == PAGE_META


def test_html_inline_layout_rules():
    page = ("<html><body><div class='content'><h1>某市人工智能发展计划</h1>"
            "<p>第一段文字\n接着写，\nAI\n技术。<br>换行后的第二行</p>"
            "<table><tr><td>序号</td><td>任务</td><td>责任单位</td></tr>"
            "<tr><td>1</td><td>建设<b>平台</b></td><td>市科技局</td></tr></table>"
            "<ul><li>一、总体要求</li><li>(一)指导思想</li></ul><!-- 注释 -->"
            "<p>【返回顶部】【打印本页】【关闭窗口】</p></div></body></html>").encode("utf-8")
    got = formats.extract_html(page, "t.html")
    assert got.text == ("某市人工智能发展计划\n第一段文字接着写，AI技术。\n换行后的第二行\n序号\t任务\t责任单位\n"
                        "1\t建设平台\t市科技局\n一、总体要求\n(一)指导思想\n")
    assert got.encoding == "utf-8"


TABLE_LAYOUT_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>长沙市人民政府办公厅关于印发《长沙市人工智能产业发展三年行动计划(2019-2021年)》的通知-长沙市人民政府</title></head>
<body><table width="100%"><tr><td><img src="logo.gif"></td><td><a href="/">首页</a> | <a>政务公开</a></td></tr></table>
<table width="1000" align="center"><tr><td class="dqwz">您现在的位置：<a>首页</a>&gt;&gt;<a>政策文件</a></td></tr>
<tr><td>
 <table class="xxgk"><tr><th>索引号：</th><td>000014349/2019-01234</td><th>发文机关：</th><td>长沙市人民政府办公厅</td></tr>
 <tr><th>文　　号：</th><td>长政办发〔2019〕12号</td><th>成文日期：</th><td>2019年05月06日</td></tr></table>
 <div align="center" style="font-size:20px"><b>长沙市人民政府办公厅关于印发《长沙市人工智能产业发展三年行动计划(2019-2021年)》的通知</b></div>
 <div class="TRS_Editor"><style>.TRS_Editor P{line-height:2;}</style>
 <p>各区县（市）人民政府，市直机关各单位：</p>
 <p>　　《长沙市人工智能产业发展三年行动计划（2019-2021年）》已经市人民政府同意，现印发给你们，请认真贯彻执行。</p>
 <p align="right">长沙市人民政府办公厅</p><p align="right">2019年5月6日</p>
 <p>　　一、<font face="黑体">总体要求</font></p>
 <p>　　（一）加快<span style="color:red">平台</span>建设。建设一批创新平台。（责任单位：市工业和信息化局、市科技局）</p>
 </div>
 <table><tr><td>【<a href="javascript:window.print()">打印</a>】 【<a href="javascript:window.close()">关闭</a>】</td></tr></table>
</td></tr></table>
<div id="foot">版权所有：长沙市人民政府 湘ICP备12345号</div></body></html>"""


def test_html_table_layout_page_with_a_short_notice():
    """An older site: layout tables, a 信息公开 table of <th>/<td> pairs, the title in a <div><b>, a
    notice shorter than the metadata table, and a title whose period has a hyphen."""
    got = formats.extract_html(TABLE_LAYOUT_PAGE.encode("gbk"), "cs.html")
    assert got.text == ("长沙市人民政府办公厅关于印发《长沙市人工智能产业发展三年行动计划(2019-2021年)》的通知\n"
                        "各区县（市）人民政府，市直机关各单位：\n"
                        "《长沙市人工智能产业发展三年行动计划（2019-2021年）》已经市人民政府同意，现印发给你们，请认真贯彻执行。\n"
                        "长沙市人民政府办公厅\n2019年5月6日\n一、总体要求\n"
                        "（一）加快平台建设。建设一批创新平台。（责任单位：市工业和信息化局、市科技局）\n")
    assert got.metadata == {"发布机构": "长沙市人民政府办公厅", "发文字号": "长政办发〔2019〕12号", "成文日期": "2019年05月06日",
                            "索引号": "000014349/2019-01234"}
    assert got.encoding == "gb18030"


def test_html_title_from_meta_is_put_first_when_the_body_lacks_it():
    page = ("<html><head><meta charset='gbk'><title>关于印发某市智能计划的通知_政府信息公开</title></head>"
            "<body><div id='nav'><a>首页</a><a>政务</a></div><div>一、总体要求<br>(一)指导思想</div></body></html>").encode("gbk")
    got = formats.extract_html(page, "t.html")
    assert got.text == "关于印发某市智能计划的通知\n一、总体要求\n(一)指导思想\n"
    assert got.encoding == "gb18030"


def nested(n: int) -> bytes:
    return ("<html><body>" + "<div>" * n + "一、深层嵌套的内容" + "</div>" * n + "</body></html>").encode("utf-8")


def test_html_deeply_nested_page_keeps_its_text():
    assert formats.extract_html(nested(1500), "deep.html").text == "一、深层嵌套的内容\n"


def test_html_nested_past_the_parser_limit_is_refused_not_truncated():
    with pytest.raises(InputError) as e:
        formats.extract_html(nested(5000), "deep.html")
    assert str(e.value) == "deep.html: HTML nested too deeply (over 2040 levels): the parser would drop text"


@pytest.mark.parametrize("page,reason", [
    (b"<html><head><title>x</title></head></html>", "HTML page has no body text"),
    (b"<html><body><nav>\xe9\xa6\x96\xe9\xa1\xb5</nav><script>var a;</script></body></html>", "HTML page has no body text"),
    (b"   ", "empty document"),
])
def test_html_without_text(page, reason):
    with pytest.raises(EmptyDocumentError) as e:
        formats.extract_html(page, "p.html")
    assert str(e.value) == f"p.html: {reason}"


def test_docx_paragraphs_and_tables_in_order():
    doc = read_document(BAD / "plan_docx.docx")
    assert doc.format == "docx"
    lines = normalize(doc.text).splitlines()
    table = ["序号\t任务\t责任单位", "1\t推广智能制造\t市工业和信息化局"]
    assert lines == PLAN_LINES[:11] + table + PLAN_LINES[11:]
    assert dict(doc.metadata) == {"标题": TITLE}


def test_docx_word_list_numbering_is_written_out():
    assert lines_of("plan_numbered.docx") == lines_of("plan_docx.docx")


def test_docx_made_in_test_with_hyperlink_break_and_merged_cells():
    import docx

    d = docx.Document()
    p = d.add_paragraph("一、总体要求")
    p.add_run().add_break()
    p.add_run("(一)指导思想")
    t = d.add_table(rows=1, cols=3)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "合并单元格"
    t.cell(0, 2).text = "市科技局"
    buf = io.BytesIO()
    d.save(buf)
    got = formats.extract_docx(buf.getvalue(), "m.docx")
    assert got.text == "一、总体要求\n(一)指导思想\n合并单元格\t市科技局\n"


@pytest.mark.parametrize("name", ["plan_pdf.pdf", "plan_cid_font.pdf"])
def test_pdf_paragraphs_joined_across_lines_and_pages_page_numbers_dropped(name):
    """plan_pdf: an embedded TrueType subset, justified, a paragraph across a page break, page
    numbers; plan_cid_font: a non-embedded Adobe CID font, ragged right, 。 at a line start."""
    doc = read_document(BAD / name)
    assert doc.format == "pdf"
    assert normalize(doc.text).splitlines() == PLAN_LINES
    assert "- 1 -" not in doc.text
    assert dict(doc.metadata) == ({"标题": TITLE} if name == "plan_pdf.pdf" else {})


def line(page, x0, x1, top, text, size=12.0):
    return formats._Line(page, x0, x1, top, top + size, size, text)


def test_pdf_joins_only_when_the_layout_shows_a_continuation():
    # block paragraphs (no first-line indent), right margin at 500
    rows = [line(1, 72, 500, 100, "第一段第一行写满了整行的文字内容"), line(1, 72, 300, 120, "第一段的末行。"),
            line(1, 72, 500, 140, "第二段的第一行也写满了整行并以句号结束。"), line(1, 72, 420, 160, "第三段不应接上去。"),
            line(1, 72, 500, 180, "一行写满"), line(1, 72, 200, 200, "1.编号条目不接上去"),
            line(1, 72, 500, 220, "写满的一行"), line(1, 72, 200, 260, "空了一行的不接"),
            line(1, 72, 500, 280, "写满的一行之后"), line(1, 110, 300, 300, "缩进的一行不接"),
            line(1, 72, 500, 320, "写满的一行之后是"), line(1, 72, 200, 340, "，标点开头的接上")]
    assert formats._pdf_paragraphs(rows) == [
        "第一段第一行写满了整行的文字内容第一段的末行。", "第二段的第一行也写满了整行并以句号结束。", "第三段不应接上去。",
        "一行写满", "1.编号条目不接上去", "写满的一行", "空了一行的不接", "写满的一行之后", "缩进的一行不接",
        "写满的一行之后是，标点开头的接上"]


def test_pdf_same_height_pieces_are_one_row_and_page_numbers_go():
    rows = [line(1, 72, 150, 100, "序号"), line(1, 200, 300, 100.5, "任务"), line(1, 72, 90, 120, "1"),
            line(1, 200, 320, 120, "建设平台"), line(1, 280, 320, 800, "- 1 -"), line(2, 280, 320, 800, "第 2 页")]
    assert formats._pdf_paragraphs(rows) == ["序号\t任务", "1\t建设平台"]


def test_markdown_syntax_removed_front_matter_kept():
    doc = read_document(BAD / "plan_markdown.md")
    assert doc.format == "markdown"
    assert normalize(doc.text).splitlines() == PLAN_LINES
    assert dict(doc.metadata) == {"发文字号": "中科〔2020〕12号", "标题": TITLE}


def test_markdown_tables_links_and_escapes():
    md = ("# 标题计划\n\n| 序号 | 任务 |\n|---|---|\n| 1 | **建设**平台 |\n\n- [链接文字](http://x)\n"
          "1\\. 转义的编号\n```\n代码块内容\n```\n").encode("utf-8")
    assert formats.extract_markdown(md, "t.md").text == "标题计划\n序号\t任务\n1\t建设平台\n链接文字\n1. 转义的编号\n代码块内容\n"


@pytest.mark.parametrize("data,suffix,fmt", [
    (b"%PDF-1.4 ...", ".txt", "pdf"), (b"PK\x03\x04....word/document.xml", "", "docx"),
    (b"<!DOCTYPE html><html>", ".txt", "html"), (b"\xef\xbb\xbf  <html lang='zh'>", "", "html"),
    (b"<!-- saved --><head>", ".dat", "html"), ("<html>".encode("utf-16"), "", "html"),
    (b"# title", ".md", "markdown"), (b"<p>not a page start", ".txt", "text"), ("一、任务".encode(), "", "text"),
])
def test_sniff_format(data, suffix, fmt):
    assert formats.sniff_format(data, suffix) == fmt


@pytest.mark.parametrize("data,suffix,reason", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", ".doc", "old binary Office file"),
    (b"hello", ".pdf", "not a PDF file (no %PDF header)"),
    (b"hello", ".docx", "not a DOCX file (not a zip package)"),
    (b"PK\x03\x04rest", ".zip", "a zip archive, not a document"),
])
def test_sniff_format_refuses(data, suffix, reason):
    with pytest.raises(InputError) as e:
        formats.sniff_format(data, suffix, "f" + suffix)
    assert reason in str(e.value) and str(e.value).startswith("f" + suffix + ": ")


@pytest.mark.parametrize("n,cn", [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (37, "三十七"),
                                  (100, "一百"), (105, "一百零五"), (110, "一百一十"), (999, "九百九十九")])
def test_chinese_numbers_for_word_lists(n, cn):
    assert formats.chinese_number(n) == cn


def test_truncated_text_in_each_encoding_is_named():
    for name, enc in (("truncated_utf8.txt", "UTF-8"), ("truncated_gbk.txt", "gb18030"), ("truncated_utf16.txt", "utf-16")):
        with pytest.raises(DecodeError) as e:
            read_document(BAD / name)
        assert f"truncated: the file ends in the middle of a {enc} character" in str(e.value)


def test_html_western_charset_declared_over_chinese_bytes_is_detected():
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>一、总体要求</p><p>(一)指导思想</p></body></html>'
    got = formats.extract_html(page.encode("gbk"), "x.html")
    assert (got.text, got.encoding) == ("一、总体要求\n(一)指导思想\n", "gb18030")
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>déjà vu</p></body></html>'
    got = formats.extract_html(page.encode("latin-1"), "y.html")
    assert (got.text, got.encoding) == ("déjà vu\n", "cp1252")


def test_html_control_characters_are_dropped_not_fatal():
    page = "<html><body><p>一、总体\x01要求</p><p>(一)指导\x0b思想\x1f</p></body></html>".encode("utf-8")
    assert formats.extract_html(page, "c.html").text == "一、总体要求\n(一)指导思想\n"
