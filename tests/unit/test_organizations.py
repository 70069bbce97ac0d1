"""Organisations: curated names, anchored suffix names, versions, script folding, on small fixtures."""
import pytest

from helpers import context
from policykg.graph_build.organizations import extract_organizations, mask_names, org_lexicon

PLAN = (
    "深圳市加快打造人工智能先锋城市行动方案\n"
    "一、构建生态\n"
    "(一)建设算力。推动“鵬城云腦Ⅲ”连接全国资源,推进深圳开放智算中心建设,用好市公共数据开放利用管理平台。依托“鹏城云脑Ⅲ”完善生态。\n"
    "(二)布局平台。支持粤港澳大湾区数字经济研究院与企业建立联合实验室。着力打造7家国家新一代人工智能开放创新平台,"
    "建设人工智能公共服务平台和市级大数据中心,推动建立人工智能产业发展联盟。\n"
    "(三)集聚主体。已形成华为、腾讯等大型企业为引领。引导中山大学、华南理工大学等省内高校,加强与海外高水平大学合作。"
    "加强与人工智能产业技术创新战略联盟、北斗导航产业技术创新战略联盟的合作。推进“人工智能计算中心”建设,"
    "以人工智能计算中心为主体,按照“一中心四平台”模式推进。\n"
)


@pytest.fixture(scope="module")
def plan():
    ctx = context(PLAN)
    return ctx, extract_organizations(ctx)


def _orgs(frag):
    return {n.name: n for n in frag.nodes if n.label == "Organization"}


def test_organisations_found_and_typed(plan):
    _ctx, frag = plan
    got = {name: n.props["type"] for name, n in _orgs(frag).items()}
    assert got == {
        "鹏城云脑": "facility",  # the curated base of the version below (no span of its own here)
        "鹏城云脑Ⅲ": "facility",
        "深圳开放智算中心": "facility",
        "深圳市公共数据开放利用管理平台": "platform",
        "粤港澳大湾区数字经济研究院": "institute",
        "华为": "enterprise",
        "腾讯": "enterprise",
        "中山大学": "university",
        "华南理工大学": "university",
        "人工智能产业技术创新战略联盟": "alliance",
        "北斗导航产业技术创新战略联盟": "alliance",
        "人工智能计算中心": "facility",
    }
    # not organisations: a programme designation with a count (7家国家新一代…平台), a generic platform,
    # a rank (市级…), a generic alliance to be founded, 海外高水平大学, a slogan in quotes (“一中心四平台”)


def test_city_prefix_expands_and_keeps_the_surface_as_alias(plan):
    ctx, frag = plan
    n = _orgs(frag)["深圳市公共数据开放利用管理平台"]
    assert n.props["aliases"] == ["市公共数据开放利用管理平台"]
    assert n.props["region"] == "深圳市"
    assert [ctx.doc.text[s:e] for s, e in n.spans] == ["市公共数据开放利用管理平台"]


def test_version_node_links_to_the_curated_base_across_scripts(plan):
    ctx, frag = plan
    orgs = _orgs(frag)
    v = orgs["鹏城云脑Ⅲ"]
    assert [ctx.doc.text[s:e] for s, e in v.spans] == ["鵬城云腦Ⅲ", "鹏城云脑Ⅲ"]  # offsets into the original text
    assert orgs["鹏城云脑"].spans == ()
    edges = [(e.source, e.target, e.props["note"]) for e in frag.edges if e.type == "VERSION_OF"]
    assert edges == [("organization:鹏城云脑Ⅲ", "organization:鹏城云脑", "鹏城云脑Ⅲ is a version of 鹏城云脑")]


def test_quoted_name_and_its_later_unquoted_mention_are_one_node(plan):
    ctx, frag = plan
    n = _orgs(frag)["人工智能计算中心"]
    assert [ctx.doc.text[s:e] for s, e in n.spans] == ["人工智能计算中心", "人工智能计算中心"]
    assert n.spans[0][0] == PLAN.index("“人工智能计算中心”") + 1


def test_located_in_from_name_or_data(plan):
    _ctx, frag = plan
    located = {e.source: (e.target, e.props["from"]) for e in frag.edges if e.type == "LOCATED_IN"}
    assert located["organization:深圳开放智算中心"] == ("region:广东省/深圳市", "name")
    assert located["organization:粤港澳大湾区数字经济研究院"] == ("region:粤港澳大湾区", "name")
    assert located["organization:华为"] == ("region:广东省/深圳市/龙岗区", "data")
    assert located["organization:深圳市公共数据开放利用管理平台"] == ("region:广东省/深圳市", "document")
    assert "organization:人工智能产业技术创新战略联盟" not in located
    # a region known from the data only gets no evidence span of its own from the organisation
    regions = {n.name: n.spans for n in frag.nodes if n.label == "Region"}
    assert regions["龙岗区"] == ()
    assert [PLAN[s:e] for s, e in regions["粤港澳大湾区"]] == ["粤港澳大湾区"]


def test_task_involves_organisation_at_the_innermost_item(plan):
    _ctx, frag = plan
    involves = {(e.source, e.target) for e in frag.edges if e.type == "INVOLVES"}
    assert ("task:t#一/一", "organization:鹏城云脑Ⅲ") in involves
    assert ("task:t#一/二", "organization:粤港澳大湾区数字经济研究院") in involves
    assert ("task:t#一/三", "organization:华为") in involves
    assert len(involves) == 11  # every organisation with a span, once, in its item


def test_names_in_book_titles_are_not_mentions():
    ctx = context("中山市人工智能行动计划\n一、任务\n落实《中山市人工智能产业联盟管理办法》,组建中山市人工智能产业发展联盟。\n")
    assert list(_orgs(extract_organizations(ctx))) == ["中山市人工智能产业发展联盟"]


def test_province_lab_pattern_and_region_parenthetical():
    ctx = context("广东省人工智能行动计划\n一、任务\n支持人工智能与数字经济省实验室、"
                  "人工智能与数字经济广东省实验室(广州)、长沙人工智能社会实验室同企业合作。\n")
    orgs = _orgs(extract_organizations(ctx))
    assert {k: (v.props["type"], v.props.get("region")) for k, v in orgs.items()} == {
        "人工智能与数字经济省实验室": ("lab", None),
        "人工智能与数字经济广东省实验室(广州)": ("lab", "海珠区"),  # curated: 琶洲实验室
        "长沙人工智能社会实验室": ("lab", "长沙市"),
    }


def test_curated_names_mask_region_short_forms_they_do_not_name():
    masks = mask_names()
    assert "中山大学" in masks and "阿里巴巴" in masks
    assert "国家超级计算深圳中心" not in masks and "深圳大学" not in masks


def test_lexicon_data_is_consistent():
    lex = org_lexicon()
    assert {s.type for s in lex.suffixes.values()} == {"lab", "university", "institute", "facility", "alliance",
                                                        "platform", "enterprise"}
    assert all(k.source for k in lex.known.values())
    assert lex.version_re.fullmatch("Ⅲ") and lex.version_re.fullmatch("2.0") and not lex.version_re.match("5G")


def test_two_names_joined_by_a_connective_are_two_organisations():
    ctx = context("三明市人工智能行动计划\n一、任务\n支持三明人工智能研究院与三明学院联合芯视科技有限公司共建平台。"
                  "到2026年,新建3个以上高性能计算创新平台。\n")
    orgs = _orgs(extract_organizations(ctx))
    assert {k: (v.props["type"], v.props.get("region")) for k, v in orgs.items()} == {
        "三明人工智能研究院": ("institute", "三明市"),
        "三明学院": ("university", "三明市"),
        "芯视科技有限公司": ("enterprise", None),
    }
