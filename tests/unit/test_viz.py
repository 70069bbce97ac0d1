"""Views without a browser: which nodes and edges each view holds, the page's safety and
determinism, the Gephi/yEd exports and the `policykg view` command."""
import json
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from policykg.errors import SchemaError, UsageError
from policykg.viz import default_view_specs, load_graph, render_subgraph, views, write_default_views
from policykg.viz.gephi import write_gexf, write_graphml
from policykg.viz.layout import radial_layout
from policykg.viz.render import _asset, embed_json, render_html
from policykg.viz.synthetic import HOSTILE_ALIAS, HOSTILE_NAME, HOSTILE_TITLE, small_graph, synthetic_graph

EXE = Path(sys.executable).parent / "policykg"
KC, GX, FG = "agency:深圳市|科技创新委员会", "agency:深圳市|工业和信息化局", "agency:深圳市|发展和改革委员会"
BAD, ZGX = f"agency:深圳市|{HOSTILE_NAME}", "agency:中山市|工业和信息化局"


@pytest.fixture(scope="module")
def g():
    return load_graph(small_graph())


def ids(view):
    return sorted(n.id for n in view.nodes)


def page_data_of(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="pkg-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


# ---------------------------------------------------------------- which nodes and edges


def test_overview_holds_the_whole_graph_sized_by_degree(g):
    v = views.overview(g)
    assert (len(v.nodes), len(v.edges)) == (17, 25)
    sizes = {n.id: n.size for n in v.nodes}
    assert sizes[GX] == 4  # BELONGS_TO, SUPPORTS 一/1, LEADS 一/2, SUPPORTS 二/1
    assert sizes["region:广东省/深圳市"] == 8
    assert v.notes == ()


def test_overview_above_the_threshold_keeps_the_best_connected_nodes_and_says_so(g):
    v = views.overview(g, max_nodes=5)
    assert len(v.nodes) == 5
    assert "document:d1" in ids(v) and "region:广东省/深圳市" in ids(v) and GX in ids(v)
    assert len(v.notes) == 1 and "5 best connected of 17" in v.notes[0]


def test_coordination_links_agencies_by_shared_tasks_with_the_lead_distinguishable(g):
    v = views.coordination(g, "深圳市")
    assert ids(v) == sorted([KC, GX, FG, BAD])
    pairs = {frozenset((e.source, e.target)): e for e in v.edges}
    assert len(v.edges) == 4
    assert pairs[frozenset((GX, KC))].weight == 2  # 一/1 (科技创新委 leads) and 一/2 (工信局 leads)
    assert pairs[frozenset((GX, KC))].directed is False  # each leads one: no arrow
    kc_fg = pairs[frozenset((KC, FG))]
    assert (kc_fg.source, kc_fg.target, kc_fg.weight, kc_fg.group, kc_fg.directed) == (KC, FG, 1, "CO_ASSIGNED:lead", True)
    gx_fg = pairs[frozenset((GX, FG))]
    assert (gx_fg.group, gx_fg.props["both support"]) == ("CO_ASSIGNED:support", 1)
    bad = pairs[frozenset((BAD, GX))]
    assert (bad.source, bad.target) == (BAD, GX)
    assert [ev["text"] for ev in bad.evidence] == ["(" + HOSTILE_NAME + "、市工信局)"]
    groups = {n.id: (n.group, n.size) for n in v.nodes}
    assert groups[KC] == ("Agency:lead", 2) and groups[FG] == ("Agency:support", 1) and groups[GX] == ("Agency:support", 3)


def test_coordination_of_a_province_takes_the_agencies_of_its_cities(g):
    v = views.coordination(g, "广东省")
    assert ids(v) == sorted([KC, GX, FG, BAD, ZGX])
    assert len(v.edges) == 4  # 中山's agency shares no task
    assert len(views.coordination(g).nodes) == 5


def test_region_view_is_the_region_tree_with_parks_agencies_and_their_tasks(g):
    v = views.region_view(g, "深圳市")
    assert ids(v) == sorted(["region:广东省/深圳市", KC, GX, FG, BAD, "task:d1#一/1", "task:d1#一/2", "task:d1#二/1",
                             "park:深圳湾科技生态园"])
    assert sorted(e.type for e in v.edges) == sorted(["BELONGS_TO"] * 4 + ["LOCATED_IN", "INVOLVES"]
                                                     + ["LEADS"] * 3 + ["SUPPORTS"] * 4)
    province = views.region_view(g, "广东省")
    assert {"region:广东省", "region:广东省/中山市", ZGX, "task:d2#一/1"} <= set(ids(province))
    assert len(province.nodes) == 13
    assert ids(views.region_view(g, "广东省/深圳市")) == ids(v)


def test_unknown_or_ambiguous_names_are_usage_errors(g):
    with pytest.raises(UsageError, match="no region '火星市'"):
        views.region_view(g, "火星市")
    with pytest.raises(UsageError, match="names 2 nodes"):
        views.ego(g, "市工信局")
    with pytest.raises(UsageError, match="no agency, park"):
        views.ego(g, "不存在的单位")


def test_ego_matches_name_alias_or_id_and_follows_depth(g):
    v = views.ego(g, "市科技创新委")
    assert v.focus == KC
    assert ids(v) == sorted([KC, "region:广东省/深圳市", "task:d1#一/1", "task:d1#一/2"])
    assert sorted(e.type for e in v.edges) == ["BELONGS_TO", "LEADS", "SUPPORTS"]
    assert ids(views.ego(g, "科技创新委员会")) == ids(v) == ids(views.ego(g, KC))
    zs = views.ego(g, "市工信局", region="中山市")
    assert zs.focus == ZGX and ids(zs) == sorted([ZGX, "region:广东省/中山市", "task:d2#一/1"])
    deep = views.ego(g, "市科技创新委", depth=2)
    assert len(deep.nodes) == 12  # + 广东省, d1, d3, the three other 深圳 agencies, the park, the technology
    assert ids(views.ego(g, "人工智能芯片")) == sorted(["technology:人工智能芯片", "task:d1#一/1"])


def test_subgraph_of_ids_or_of_an_edge_list(g):
    v = views.subgraph(g, [KC, "task:d1#一/1", "task:d1#一/2"], "q")
    assert sorted(e.type for e in v.edges) == ["LEADS", "SUPPORTS"]
    only = views.subgraph(g, [], "q", edges=[(KC, "task:d1#一/1", "LEADS"), (GX, "task:d1#一/1")])
    assert ids(only) == sorted([KC, GX, "task:d1#一/1"])
    assert sorted((e.source, e.type) for e in only.edges) == [(GX, "SUPPORTS"), (KC, "LEADS")]
    with pytest.raises(UsageError, match="unknown node"):
        views.subgraph(g, ["agency:nowhere|x"], "q")


def test_a_broken_graph_is_a_schema_error():
    bad = small_graph()
    bad["edges"].append({"source": "nope", "target": KC, "type": "LEADS", "props": {}, "evidence": []})
    with pytest.raises(SchemaError, match="unknown node 'nope'"):
        load_graph(bad)


# ---------------------------------------------------------------- the page


def test_page_is_self_contained_and_deterministic(g):
    html = render_html(views.overview(g))
    assert html == render_html(views.overview(load_graph(small_graph())))
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert not re.search(r"<link\b", html, re.I)
    assert "default-src 'none'" in html
    # the data block, vis-network, the page script (core-js inside vis-network spells "<script>" in a string)
    assert html.count("<script") == 3 + _asset("pyvis", "lib/vis-9.1.2/vis-network.min.js").count("<script")


def test_hostile_text_cannot_leave_its_element(g):
    html = render_html(views.overview(g))
    for raw in (HOSTILE_NAME, HOSTILE_ALIAS, "<script>alert", "</div>\"'", "</title><script>"):
        assert raw not in html
    assert "&lt;/title&gt;&lt;script&gt;alert(3)" not in html  # the title is not among the page's own texts
    data = page_data_of(html)
    names = {n["id"]: n["name"] for n in data["nodes"]}
    assert names[BAD] == HOSTILE_NAME and names["document:d3"] == HOSTILE_TITLE
    assert data["nodeInfo"][BAD]["evidence"][0]["text"] == HOSTILE_NAME
    assert all("title" not in n for n in data["nodes"])  # vis-network renders a string title as HTML
    sub = render_html(views.subgraph(g, ["document:d3"], HOSTILE_TITLE))
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;恶意文件&#34;&#39; · policykg</title>" in sub


def test_embedded_json_escapes_markup():
    text = embed_json({"a": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


def test_page_carries_legend_counts_filters_and_evidence(g):
    data = page_data_of(render_html(views.overview(g)))
    legend = {it["key"]: it["count"] for it in data["legend"]["nodes"]}
    assert legend == {"Document": 3, "Region": 3, "Agency": 5, "Task": 4, "Technology": 1, "Park": 1}
    assert [it["key"] for it in data["legend"]["nodes"]][:3] == ["Document", "Region", "Agency"]
    edge_legend = {it["key"]: it["count"] for it in data["legend"]["edges"]}
    assert edge_legend["LEADS"] == 4 and edge_legend["SUPPORTS"] == 4
    node = next(n for n in data["nodes"] if n["id"] == KC)
    assert (node["regions"], node["docs"], node["aliases"], node["kind"]) == (["深圳市"], ["d1"], ["市科技创新委"], "Agency")
    region = next(n for n in data["nodes"] if n["id"] == "region:广东省/深圳市")
    assert region["docs"] == ["d1", "d3"]  # from its relationships' evidence
    task = next(n for n in data["nodes"] if n["id"] == "task:d2#一/1")
    assert task["regions"] == ["中山市"]  # from its document
    assert data["documents"]["d1"]["title"] == "深圳市人工智能行动计划"
    assert data["options"]["layout"]["randomSeed"] == 20190601
    assert data["meta"]["nodeCount"] == 17 and data["meta"]["edgeCount"] == 25


def test_big_views_are_preplaced_deterministically():
    contract = synthetic_graph(1500)
    assert contract == synthetic_graph(1500) and len(contract["nodes"]) == 1500
    data = page_data_of(render_html(views.overview(load_graph(contract))))
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    assert data["options"]["physics"]["stabilization"]["iterations"] == 80  # a short run from the preplaced start
    assert data["options"]["edges"]["smooth"] is False
    places = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(places) > 1400  # spread out, not piled up


def test_radial_layout_puts_the_hub_in_the_middle_and_separates_components():
    pos = radial_layout(["a", "b", "c", "d", "x", "y"], [("a", "b"), ("a", "c"), ("a", "d"), ("x", "y")])
    assert set(pos) == {"a", "b", "c", "d", "x", "y"}
    assert pos == radial_layout(["d", "c", "b", "a", "y", "x"], [("x", "y"), ("a", "d"), ("a", "c"), ("a", "b")])
    hub = pos["a"]
    ring = [((pos[n][0] - hub[0]) ** 2 + (pos[n][1] - hub[1]) ** 2) ** 0.5 for n in "bcd"]
    assert max(ring) - min(ring) <= 1 and min(ring) >= 150


def test_write_default_views_writes_one_file_per_view(g, tmp_path):
    paths = write_default_views(small_graph(), tmp_path / "views")
    names = [p.name for p in paths]
    assert names == ["overview.html", "coordination-中山市.html", "region-中山市.html", "coordination-深圳市.html",
                     "region-深圳市.html", "ego-深圳市工业和信息化局.html"]
    assert all(p.read_text(encoding="utf-8").startswith("<!DOCTYPE html>") for p in paths)
    assert [n for n, _ in default_view_specs(g)] == names


def test_write_default_views_accepts_a_path(tmp_path):
    graph = tmp_path / "graph.json"
    graph.write_text(json.dumps(small_graph(), ensure_ascii=False), encoding="utf-8")
    a = write_default_views(graph, tmp_path / "a")
    b = write_default_views(small_graph(), tmp_path / "b")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_render_subgraph_writes_the_induced_subgraph(tmp_path):
    out = render_subgraph(small_graph(), [KC, "task:d1#一/1"], "查询结果", tmp_path / "q.html")
    data = page_data_of(out.read_text(encoding="utf-8"))
    assert sorted(n["id"] for n in data["nodes"]) == sorted([KC, "task:d1#一/1"])
    assert [(e["from"], e["to"], e["kind"]) for e in data["edges"]] == [(KC, "task:d1#一/1", "LEADS")]
    assert data["meta"]["title"] == "查询结果"


# ---------------------------------------------------------------- Gephi / yEd


def test_gexf_and_graphml_round_trip_with_the_views_attributes(tmp_path):
    gexf = write_gexf(small_graph(), tmp_path / "g.gexf")
    graphml = write_graphml(small_graph(), tmp_path / "g.graphml")
    assert gexf.read_bytes() == write_gexf(small_graph(), tmp_path / "g2.gexf").read_bytes()
    assert b"lastmodifieddate" not in gexf.read_bytes()
    for path, reader in ((gexf, nx.read_gexf), (graphml, nx.read_graphml)):
        h = reader(path)
        assert (h.number_of_nodes(), h.number_of_edges()) == (17, 25)
        bad = h.nodes[BAD]
        assert bad["name"] == HOSTILE_NAME and bad["type"] == "Agency" and bad["region"] == "深圳市"
        assert json.loads(bad["aliases"]) == [HOSTILE_ALIAS]
        assert json.loads(bad["evidence"])[0]["text"] == HOSTILE_NAME
        assert h.nodes[KC]["color"] == "#E15759" and h.nodes[KC]["degree"] == 3
        kinds = sorted(d["relationship"] for _, _, d in h.edges(data=True))
        assert kinds.count("LEADS") == 4 and kinds.count("SUPPORTS") == 4
    gx = nx.read_gexf(gexf)
    assert gx.nodes[KC]["viz"]["color"] == {"r": 225, "g": 87, "b": 89, "a": 1.0}


# ---------------------------------------------------------------- the command


def run(args, cwd):
    return subprocess.run([str(EXE), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_view_command_from_outside_the_checkout(tmp_path):
    graph = tmp_path / "graph.json"
    graph.write_text(json.dumps(small_graph(), ensure_ascii=False), encoding="utf-8")
    r = run(["view", "ego", "市科技创新委", "--graph", str(graph), "-o", "ego.html"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "wrote ego.html (4 nodes, 3 edges)"
    r = run(["view", "coordination", "--region", "深圳市", "--graph", str(graph)], tmp_path)
    assert r.returncode == 0 and (tmp_path / "out/views/coordination-深圳市.html").is_file()
    r = run(["view", "overview", "--graph", str(graph), "--max-nodes", "5"], tmp_path)
    assert r.returncode == 0 and "note: Large graph" in r.stdout
    r = run(["view", "ego", "市工信局", "--graph", str(graph)], tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.startswith("policykg: error: '市工信局' names 2 nodes") and r.stderr.count("\n") == 1
    r = run(["view", "overview", "--graph", str(tmp_path / "missing.json")], tmp_path)
    assert r.returncode == 1 and "missing.json" in r.stderr and "Traceback" not in r.stderr
    r = run(["view", "gexf", "--graph", str(graph), "-o", "g.gexf"], tmp_path)
    assert r.returncode == 0 and (tmp_path / "g.gexf").stat().st_size > 1000


def test_node_ids_are_found_in_query_rows_paths_maps_and_params(g):
    rows = [[2, [KC, "task:d1#一/1", GX], {"n": FG, "other": "not a node"}], [1, "agency:nowhere|x", None]]
    assert views.node_ids_in(g, rows, {"agency": BAD, "limit": 10}) == [KC, "task:d1#一/1", GX, FG, BAD]
    assert views.node_ids_in(g, [[1, "x"]], {}) == []


def test_view_query_draws_the_nodes_a_named_query_returns(tmp_path):
    graph = tmp_path / "graph.json"
    graph.write_text(json.dumps(small_graph(), ensure_ascii=False), encoding="utf-8")
    r = run(["view", "query", "actor-path", "-p", f"source={KC}", "-p", f"target={FG}", "--graph", str(graph),
             "-o", "q.html"], tmp_path)
    assert r.returncode == 0, r.stderr
    data = page_data_of((tmp_path / "q.html").read_text(encoding="utf-8"))
    assert sorted(n["id"] for n in data["nodes"]) == sorted([KC, FG, "task:d1#一/1"])
    assert sorted(e["kind"] for e in data["edges"]) == ["LEADS", "SUPPORTS"]
    assert data["meta"]["title"].startswith("Query 查询: actor-path (")
