"""Each view opened from a file:// path in headless Chromium with every non-file request aborted:
nothing is requested, nothing is logged as an error, the vis DataSets hold the view's nodes and
edges, search finds by alias, a click shows the evidence, and hostile names stay text."""
import json

import pytest

from policykg.viz import load_graph, views, write_default_views
from policykg.viz.render import write_view
from policykg.viz.synthetic import HOSTILE_ALIAS, HOSTILE_NAME, HOSTILE_TITLE, small_graph

pytestmark = pytest.mark.browser

KC = "agency:深圳市|科技创新委员会"
BAD = f"agency:深圳市|{HOSTILE_NAME}"

# view name -> (builder, expected nodes, expected edges)
VIEWS = {
    "overview": (lambda g: views.overview(g), 17, 25),
    "coordination": (lambda g: views.coordination(g, "深圳市"), 4, 4),
    "region": (lambda g: views.region_view(g, "深圳市"), 9, 13),
    "ego": (lambda g: views.ego(g, "市科技创新委"), 4, 3),
    "subgraph": (lambda g: views.subgraph(g, ["document:d3", "region:广东省/深圳市", KC], HOSTILE_TITLE), 3, 2),
}


@pytest.fixture(scope="module")
def view_files(tmp_path_factory):
    g = load_graph(small_graph())
    folder = tmp_path_factory.mktemp("views")
    return {name: write_view(build(g), folder / f"{name}.html") for name, (build, _, _) in VIEWS.items()}


def click_node(opened, node_id):
    """A real mouse click on the node's place on the canvas."""
    x, y = opened.page.evaluate("""(id) => {
        const net = window.policykgView.network;
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        const r = document.getElementById('pkg-graph').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""", node_id)
    opened.page.mouse.click(x, y)
    return x, y


@pytest.mark.parametrize("name", list(VIEWS))
def test_view_opens_offline_and_draws_its_nodes_and_edges(open_view, view_files, name):
    opened = open_view(view_files[name])
    _, n_nodes, n_edges = VIEWS[name]
    state = opened.state()
    assert (state["nodes"], state["edges"]) == (n_nodes, n_edges)
    assert (state["shownNodes"], state["shownEdges"], state["drawnNodes"], state["drawnEdges"]) == (n_nodes, n_edges, n_nodes, n_edges)
    assert opened.blocked == []
    assert opened.errors == []
    assert opened.dialogs == []
    legend = opened.page.locator("#pkg-legend-nodes li").count()
    assert legend == len({n.group for n in VIEWS[name][0](load_graph(small_graph())).nodes})
    assert opened.page.locator("#pkg-counts").text_content() == f"{n_nodes} / {n_nodes} nodes 节点 · {n_edges} / {n_edges} edges 关系"
    opened.screenshot(f"view-{name}")


def test_search_by_alias_then_click_shows_the_evidence(open_view, view_files):
    opened = open_view(view_files["overview"])
    page = opened.page
    page.fill("#pkg-search", "市科技创新委")
    first = page.locator("#pkg-results button").first
    assert first.get_attribute("data-node-id") == KC
    assert "科技创新委员会" in first.text_content() and "市科技创新委" in first.text_content()
    first.click()
    assert page.locator("#pkg-details h2").text_content() == "科技创新委员会"
    # now a real click on the canvas, on a cleared panel
    page.evaluate("document.getElementById('pkg-details').replaceChildren()")
    click_node(opened, KC)
    details = page.locator("#pkg-details")
    assert page.locator("#pkg-details h2").text_content() == "科技创新委员会"
    dd = [t.strip() for t in details.locator("dd").all_text_contents()]
    assert "Agency" in dd and "深圳市" in dd and "市科技创新委" in dd
    evidence = details.locator(".pkg-evidence li")
    assert evidence.count() == 2
    assert evidence.first.locator("q").text_content() == "市科技创新委"
    assert evidence.first.locator(".pkg-doc").text_content().startswith("深圳市人工智能行动计划 (d1) [")
    assert opened.errors == [] and opened.blocked == []
    opened.screenshot("view-overview-details")


def test_hover_shows_name_type_and_region(open_view, view_files):
    opened = open_view(view_files["ego"])
    x, y = opened.page.evaluate("""(id) => {
        const net = window.policykgView.network;
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        const r = document.getElementById('pkg-graph').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""", KC)
    opened.page.mouse.move(x - 30, y - 30)
    opened.page.mouse.move(x, y, steps=5)
    tip = opened.page.locator("#pkg-tooltip")
    tip.wait_for(state="visible", timeout=5000)
    assert tip.locator("strong").text_content() == "科技创新委员会"
    assert "Agency · 深圳市" in tip.text_content() and "市科技创新委" in tip.text_content()


def test_hostile_names_stay_text(open_view, view_files):
    opened = open_view(view_files["overview"])
    page = opened.page
    page.fill("#pkg-search", "alert(1)")
    buttons = page.locator("#pkg-results button")
    ids = [buttons.nth(i).get_attribute("data-node-id") for i in range(buttons.count())]
    assert ids == [BAD]
    buttons.first.click()
    h2 = page.locator("#pkg-details h2")
    assert h2.text_content() == HOSTILE_NAME
    assert "&lt;script&gt;" in h2.inner_html()
    assert [t.strip() for t in page.locator("#pkg-details dd").all_text_contents()][2] == HOSTILE_ALIAS
    assert page.evaluate("document.scripts.length") == 3
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("document.getElementById('pkg-details').querySelectorAll('script, div').length") == 0
    # the hostile document title, as a page title and in the document filter
    options = page.locator("#pkg-doc option").all_text_contents()
    assert f"{HOSTILE_TITLE} · d3" in options
    assert opened.dialogs == [] and opened.errors == []

    sub = open_view(view_files["subgraph"])
    assert sub.page.title() == f"{HOSTILE_TITLE} · policykg"
    assert sub.page.locator("#pkg-title").text_content() == HOSTILE_TITLE
    assert sub.page.evaluate("document.scripts.length") == 3
    assert sub.dialogs == [] and sub.errors == [] and sub.blocked == []


def test_filters_by_label_region_and_document(open_view, view_files):
    opened = open_view(view_files["overview"])
    page = opened.page
    page.click("#pkg-legend-nodes button[data-node-group='Task']")
    state = opened.state()
    assert (state["shownNodes"], state["drawnNodes"]) == (13, 13)
    assert state["shownEdges"] == 25 - 14  # CONTAINS 4, LEADS 4, SUPPORTS 4, INVOLVES, ADDRESSES are gone
    assert page.locator("[data-count-node='Task']").text_content() == "0/4"
    page.click("#pkg-reset")
    page.select_option("#pkg-region", "中山市")
    shown = page.evaluate("window.policykgView.nodeView.getIds().sort()")
    assert shown == sorted(["document:d2", "region:广东省/中山市", "agency:中山市|工业和信息化局", "task:d2#一/1"])
    page.click("#pkg-reset")
    page.select_option("#pkg-doc", "d2")
    shown = page.evaluate("window.policykgView.nodeView.getIds().sort()")
    assert shown == sorted(["document:d2", "region:广东省/中山市", "agency:中山市|工业和信息化局", "task:d2#一/1"])
    assert opened.state()["shownEdges"] == 4  # COVERS, CONTAINS, BELONGS_TO, LEADS of 中山
    page.click("#pkg-legend-edges button[data-edge-group='LEADS']")
    assert opened.state()["shownEdges"] == 3
    page.click("#pkg-reset")
    assert opened.state()["shownNodes"] == 17 and opened.state()["shownEdges"] == 25
    assert opened.errors == []


def test_edge_click_shows_its_clause(open_view, view_files):
    opened = open_view(view_files["coordination"])
    page = opened.page
    page.evaluate("""() => { const v = window.policykgView; v.network.selectEdges(['c3']); }""")
    x, y = page.evaluate("""() => {
        const v = window.policykgView, net = v.network, e = v.edges.get('c3');
        const a = net.getPositions([e.from])[e.from], b = net.getPositions([e.to])[e.to];
        const p = net.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2});
        const r = document.getElementById('pkg-graph').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""")
    page.mouse.click(x, y)
    assert page.locator("#pkg-details h2").text_content() == "CO_ASSIGNED"
    texts = page.locator("#pkg-details .pkg-evidence q").all_text_contents()
    assert texts == ["(市科技创新委牵头,市工信局、市发展改革委配合)", "(市工信局牵头,市科技创新委配合)"]


def test_layout_is_stable_and_physics_can_be_switched(open_view, view_files):
    first = open_view(view_files["overview"])
    second = open_view(view_files["overview"])
    pos = "window.policykgView.network.getPositions()"
    a, b = first.page.evaluate(pos), second.page.evaluate(pos)
    assert a == b and len(a) == 17
    physics = "window.policykgView.network.physics.physicsEnabled"
    assert first.page.evaluate(physics) is False  # settled, then switched off
    first.page.check("#pkg-physics")
    assert first.page.evaluate(physics) is True
    first.page.uncheck("#pkg-physics")
    assert first.page.evaluate(physics) is False


def test_default_views_of_the_sample_corpus(open_view, sample_build, tmp_path):
    _, contract = sample_build
    paths = write_default_views(contract, tmp_path)
    assert paths[0].name == "overview.html" and len(paths) >= 3
    for path in paths:
        opened = open_view(path)
        data = json.loads(opened.page.locator("#pkg-data").text_content())
        state = opened.state()
        assert (state["nodes"], state["edges"]) == (data["meta"]["nodeCount"], data["meta"]["edgeCount"])
        assert state["drawnNodes"] == state["nodes"] > 0
        assert opened.blocked == [] and opened.errors == []
        opened.screenshot(f"sample-{path.stem}")
    overview = json.loads(paths[0].read_text(encoding="utf-8").split('id="pkg-data">', 1)[1].split("</script>", 1)[0])
    assert overview["meta"]["nodeCount"] == len(contract["nodes"])
    assert overview["meta"]["edgeCount"] == len(contract["edges"])


def test_a_sampled_overview_says_so_on_the_page(open_view, tmp_path):
    path = write_view(views.overview(load_graph(small_graph()), max_nodes=5), tmp_path / "sampled.html")
    opened = open_view(path)
    assert opened.state()["drawnNodes"] == 5
    note = opened.page.locator(".pkg-note").text_content()
    assert note.startswith("Large graph: showing the 5 best connected of 17 nodes (12 left out).")
    assert opened.page.locator(".pkg-note").is_visible()
    assert opened.errors == [] and opened.blocked == []
