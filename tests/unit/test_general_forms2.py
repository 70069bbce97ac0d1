"""Forms of plans written in styles the samples do not show (probe E): parks, organisations."""
from helpers import context

from policykg.graph_build.places import extract_parks


def _parks(text: str) -> dict:
    frag = extract_parks(context(text, "p.txt"))
    return {n.name: (n.props["region"], n.props["aliases"]) for n in frag.nodes if n.label == "Park"}


def test_a_park_of_another_city_after_and_is_not_a_part_of_the_last_park():
    text = ("四川省人工智能产业发展行动计划(2024—2027年)\n一、重点任务\n"
            "(一)培育集群。建设绵阳科技城人工智能产业园和宜宾三江新区智能终端产业园。\n")
    assert _parks(text) == {"中国(绵阳)科技城": ("绵阳市", ["绵阳科技城"]),
                            "中国(绵阳)科技城人工智能产业园": ("绵阳市", ["绵阳科技城人工智能产业园"]),
                            "宜宾三江新区智能终端产业园": ("宜宾市", [])}


def test_a_generic_part_name_is_no_alias_and_smart_valleys_are_parks():
    text = ("合肥市人工智能产业发展行动方案(2024—2027年)\n一、重点任务\n"
            "(一)建设园区。推动合肥高新区人工智能产业园建设。\n")
    assert _parks(text) == {"合肥高新区": ("合肥市", []), "合肥高新区人工智能产业园": ("合肥市", [])}
    text = "上海市人工智能行动方案(2024—2026年)\n一、重点任务\n(一)建设场景。在徐汇区西岸智慧谷建设示范场景。\n"
    assert _parks(text) == {"西岸智慧谷": ("徐汇区", ["徐汇区西岸智慧谷"])}


def _orgs(text: str) -> dict:
    from policykg.graph_build.organizations import extract_organizations

    frag = extract_organizations(context(text, "o.txt"))
    return {n.name: n.props["type"] for n in frag.nodes if n.label == "Organization"}


def test_groups_named_with_a_place_and_curated_groups_are_enterprises():
    text = ("四川省人工智能产业发展行动计划(2024—2027年)\n一、重点任务\n(一)深化应用。支持东方电气集团、四川长虹电子控股集团、"
            "成都产业投资集团建设工业大模型,培育一批大型企业集团,引导蔚来汽车在川布局。\n")
    assert _orgs(text) == {"东方电气": "enterprise", "长虹": "enterprise", "成都产业投资集团": "enterprise",
                           "蔚来汽车": "enterprise"}


# ---- probe E2: parks written after their district, bracketed notes, branches, clause-final counts


def test_a_park_after_its_district_is_named_without_it_unless_the_rest_is_an_industry_word():
    text = ("北京市人工智能行动方案(2024—2026年)\n一、重点任务\n(一)集聚。建设朝阳区望京人工智能产业园,"
            "支持朝阳区人工智能产业园、包河区智能网联汽车产业基地。\n")
    assert _parks(text) == {"望京人工智能产业园": ("朝阳区", ["朝阳区望京人工智能产业园"]),
                            "朝阳区人工智能产业园": ("朝阳区", []), "包河区智能网联汽车产业基地": ("包河区", [])}


def test_the_district_right_before_a_registered_park_places_it():
    text = ("合肥市人工智能行动方案(2024—2027年)\n一、重点任务\n(一)建设园区。推动蜀山区中国声谷、"
            "合肥高新区人工智能产业园错位发展,支持中国声谷。\n")
    assert _parks(text) == {"中国声谷": ("蜀山区", ["蜀山区中国声谷"]), "合肥高新区": ("合肥市", []),
                            "合肥高新区人工智能产业园": ("合肥市", [])}


def test_a_bracketed_note_is_no_park_but_a_county_opening_with_han_is():
    text = ("武汉市人工智能行动方案(2024—2026年)\n一、重点任务\n(一)制造。推进人工智能+制造。"
            "(责任单位:市经信局,各区人民政府(含开发区管委会))\n")
    assert _parks(text) == {}
    text = "马鞍山市人工智能行动方案(2024—2026年)\n一、重点任务\n(一)制造。支持含山县经济开发区(含产业园)建设。\n"
    assert _parks(text) == {"含山县经济开发区": ("含山县", [])}


def test_a_curated_name_opening_a_longer_name_is_not_named_on_its_own():
    text = ("杭州市余杭区人工智能行动方案(2024—2027年)\n一、重点任务\n(一)主体。支持浙江大学杭州国际科创中心开展攻关,"
            "由百度、中国移动北京公司等企业参与建设,华为公司参与。\n")
    assert _orgs(text) == {"浙江大学杭州国际科创中心": "institute", "中国移动北京公司": "enterprise",
                           "百度": "enterprise", "华为": "enterprise"}


def _targets(text: str) -> list:
    from policykg.graph_build.targets import find_targets

    return [(t.year, t.value, t.unit, t.op, t.metric) for t in find_targets(context(text, "t.txt"))]


def test_a_count_closing_a_goal_clause_is_a_target_but_yi_pi_is_not():
    text = ("杭州市余杭区人工智能行动方案(2024—2027年)\n一、重点任务\n(一)建设场景。支持街道打造示范区,发布场景清单两批。"
            "突破一批关键核心技术,覆盖两个层面。\n")
    assert _targets(text) == [(2027, 2, "批", "=", "发布场景清单")]


def test_an_elliptical_goal_takes_the_metric_of_the_goal_before():
    text = ("杭州市人工智能行动方案(2024—2027年)\n一、发展目标\n到2025年,全市人工智能核心产业营业收入达到3000亿元;"
            "到2027年,突破4000亿元,集聚人工智能企业2500家以上。\n")
    assert _targets(text) == [(2025, 3000, "亿元", ">=", "人工智能核心产业营业收入"),
                              (2027, 4000, "亿元", ">", "人工智能核心产业营业收入"),
                              (2027, 2500, "家", ">", "集聚人工智能企业")]


# ---- probe E2 round 2: 广东 / 重庆 / 西安 / 青岛 plans


def _agencies(text: str) -> dict:
    from policykg.graph_build.responsibility import extract_backbone

    frag = extract_backbone(context(text, "a.txt"))
    return {(n.props["region"], n.name): n.props["kind"] for n in frag.nodes if n.label == "Agency"}


def test_bodies_named_differently_per_place_and_committees_after_a_district():
    text = ("重庆市人工智能行动方案(2025—2027年)\n二、重点任务\n1.建设智算中心。加快建设。(牵头单位:市经济信息委;"
            "配合单位:市大数据发展局、永川区政府、两江新区管委会、市文化旅游局)\n")
    assert _agencies(text) == {("重庆市", "经济和信息化委员会"): "government",
                               ("重庆市", "大数据应用发展管理局"): "government", ("永川区", "人民政府"): "government",
                               ("重庆市", "两江新区管委会"): "government", ("重庆市", "文化和旅游局"): "government"}
    text = ("青岛市人工智能行动方案(2025—2026年)\n二、重点任务\n1.建设设施。加快建设。(责任单位:市大数据局、"
            "崂山区政府、西海岸新区管委会)\n")
    assert _agencies(text) == {("青岛市", "大数据发展管理局"): "government", ("崂山区", "人民政府"): "government",
                               ("青岛市", "西海岸新区管委会"): "government"}


def test_several_bodies_leading_the_plan_and_task_forces_are_coordinators():
    text = ("重庆市人工智能行动方案(2025—2027年)\n三、保障措施\n(一)强化统筹协调。在市委科技委、市数字经济发展领导小组的领导下,"
            "建立联动机制。\n(二)加强组织保障。由市人工智能产业发展工作专班统筹推进。\n")
    assert _agencies(text) == {("重庆市", "中共重庆市委科技委员会"): "party",
                               ("重庆市", "数字经济发展领导小组"): "leading_group",
                               ("重庆市", "人工智能产业发展工作专班"): "leading_group"}


def test_parks_after_a_verb_of_linking_abbreviated_zones_and_data_valleys():
    text = ("西安市人工智能行动计划(2025—2027年)\n二、重点任务\n3.建设集聚区。以西安高新区为核心,联动西安经开区、"
            "雁塔区小寨人工智能产业园,推动渝北区仙桃国际大数据谷、广州开发区发展。\n")
    assert _parks(text) == {"西安高新区": ("西安市", []), "西安经开区": ("西安市", []),
                            "小寨人工智能产业园": ("雁塔区", ["雁塔区小寨人工智能产业园"]),
                            "仙桃国际大数据谷": ("渝北区", ["渝北区仙桃国际大数据谷"]), "广州开发区": ("黄埔区", [])}


def test_organisations_named_after_a_park_or_with_a_note_and_counted_facilities():
    text = ("重庆市人工智能行动方案(2025—2027年)\n二、重点任务\n1.建设智算中心。加快建设中国移动(两江)智算中心,推动西部(重庆)"
            "科学城智能算力中心扩容,建设广州、深圳两大智算中心,支持秦创原人工智能创新中心、海尔、赛力斯发展。\n")
    assert _orgs(text) == {"中国移动(两江)智算中心": "facility", "西部(重庆)科学城智能算力中心": "facility",
                           "秦创原人工智能创新中心": "institute", "海尔集团": "enterprise", "赛力斯": "enterprise"}


def test_a_count_closing_a_list_item_after_a_deadline():
    text = ("西安市人工智能行动计划(2025—2027年)\n二、重点任务\n4.开放场景。到2026年累计发布场景清单三批、场景需求200个以上。\n")
    assert _targets(text) == [(2026, 3, "批", "=", "累计发布场景清单"), (2026, 200, "个", ">", "场景需求")]


def test_a_curated_body_written_with_its_legal_form_is_the_same_organisation():
    from policykg.graph_build.organizations import extract_organizations

    text = ("浙江省人工智能行动计划(2024—2027年)\n一、重点任务\n(一)主体。支持阿里巴巴(中国)有限公司、中国移动北京公司、"
            "百度公司发展。\n")
    frag = extract_organizations(context(text, "o.txt"))
    got = {n.name: (n.props["aliases"], n.spans) for n in frag.nodes if n.label == "Organization"}
    assert got == {"阿里巴巴": (["阿里巴巴(中国)有限公司"], ((39, 51),)), "中国移动北京公司": ([], ((52, 60),)),
                   "百度": (["百度公司"], ((61, 65),))}


# ---- probe E2 batch 2: 苏州 DOCX table, 厦门 targets, 宁波鄞州 district plan


def test_a_task_category_column_is_not_the_task_column():
    from helpers import assignments

    text = ("苏州市人工智能实施方案(2025—2027年)\n二、主要任务\n(一)提升算力\n1.推进算力普惠。发放算力券。\n"
            "附件:重点任务分工表\n序号\t任务类别\t重点任务\t牵头单位\t配合单位\n1\t算力\t推进算力普惠\t市工信局\t市财政局、市数据局\n")
    assert assignments(text) == {"二/一/1": (["苏州市|工业和信息化局"], ["苏州市|财政局", "苏州市|数据局"], True)}


def test_a_district_body_written_after_its_city_belongs_to_the_district():
    text = ("宁波市鄞州区人民政府办公室关于印发宁波市鄞州区人工智能行动计划(2025—2027年)的通知\n"
            "宁波市鄞州区人工智能行动计划(2025—2027年)\n二、重点任务\n(一)平台。建设平台。(牵头单位:区科技局;"
            "责任单位:首南街道、各镇(街道))\n")
    assert _agencies(text) == {("鄞州区", "人民政府办公室"): "government", ("鄞州区", "科学技术局"): "government",
                               ("鄞州区", "首南街道"): "government", ("鄞州区", "各镇(街道)"): "collective"}


def test_names_listed_before_a_ranking_tail_are_organisations_but_categories_are_not():
    text = ("厦门市人工智能行动方案(2025—2027年)\n二、重点任务\n3.壮大主体。支持美图、亿联网络等本地企业做大做强,"
            "推动奥克斯、公牛集团等龙头企业建设智能工厂,支持专精特新、高新技术等重点企业,培育芯片、传感器等企业,"
            "支持浙大宁波理工学院建设研究院。\n")
    assert _orgs(text) == {"美图": "enterprise", "亿联网络": "enterprise", "奥克斯": "enterprise",
                           "公牛集团": "enterprise", "浙大宁波理工学院": "university"}


def test_a_park_named_by_its_committee_and_a_park_listed_after_a_park():
    text = ("厦门市人工智能行动方案(2025—2027年)\n二、重点任务\n1.建设智算中心。依托厦门火炬高新区建设。"
            "(责任单位:市工信局,火炬高新区管委会)\n")
    assert _parks(text) == {"厦门火炬高新区": ("厦门市", ["火炬高新区"])}
    text = ("宁波市鄞州区人工智能行动计划(2025—2027年)\n二、重点任务\n(一)平台。推动宁波鄞州人工智能产业园、"
            "南部商务区数字经济产业园、特色产业园建设。\n")
    assert _parks(text) == {"宁波鄞州人工智能产业园": ("鄞州区", []), "南部商务区数字经济产业园": ("鄞州区", [])}


# ---- probe E2 batch 3: 湖北 HTML page with a rowspan table, 江苏 provincial plan with 专栏


def test_a_cell_spanning_rows_of_an_html_table_belongs_to_each_row():
    from policykg.graph_build import formats

    page = ("<html><body><div><p>湖北省人工智能行动方案</p><p>附件:重点任务分工表</p><table>"
            "<tr><td>序号</td><td>重点任务</td><td>牵头单位</td><td>配合单位</td></tr>"
            "<tr><td>1</td><td>建设算力枢纽</td><td>省发改委</td><td rowspan=\"2\">省经信厅、省通信管理局</td></tr>"
            "<tr><td>2</td><td>推进数据要素流通</td><td>省数据局</td></tr>"
            "<tr><td rowspan=\"2\">3</td><td>培育产业集群</td><td>省经信厅</td><td>武汉市人民政府</td></tr>"
            "<tr><td>推进应用</td><td>省科技厅</td><td>省教育厅</td></tr>"
            "</table></div></body></html>").encode("utf-8")
    lines = formats.extract_html(page, "t.html").text.splitlines()
    assert lines[-4:] == ["1\t建设算力枢纽\t省发改委\t省经信厅、省通信管理局",
                          "2\t推进数据要素流通\t省数据局\t省经信厅、省通信管理局",
                          "3\t培育产业集群\t省经信厅\t武汉市人民政府", "3\t推进应用\t省科技厅\t省教育厅"]


def test_a_registered_park_written_after_a_place_keeps_both_forms():
    text = ("江苏省人工智能行动方案(2025—2027年)\n二、重点任务\n3.建设园区。推动南京江宁开发区、无锡高新区、"
            "武汉东湖高新区建设。\n")
    got = _parks(text)
    assert got == {"江宁经济技术开发区": ("江宁区", ["南京江宁开发区", "江宁开发区"]), "无锡高新区": ("新吴区", []),
                   "武汉东湖新技术开发区": ("武汉市", ["东湖高新区", "武汉东湖高新区"])}


# ---- probe E2 batch 4: 成都 plan (十四五末, a deadline closing a bare list, 新经济委)


def test_the_end_of_a_five_year_plan_dates_a_goal():
    text = ("成都市人工智能行动计划(2024—2026年)\n一、发展目标\n到“十四五”末,全市人工智能产业规模达到1000亿元。"
            "力争到2026年,人工智能企业数量突破1500家,打造千亿级人工智能产业集群。\n")
    assert _targets(text) == [(2025, 1000, "亿元", ">=", "人工智能产业规模"),
                              (2026, 1500, "家", ">", "人工智能企业数量")]


def test_a_deadline_closing_a_bare_list_is_not_a_unit():
    from helpers import assignments

    text = ("成都市人工智能行动计划(2024—2026年)\n二、重点任务\n(二)推动产业集聚。\n支持郫都区建设园区。"
            "(市经信局、市新经济委、郫都区政府,2025年底前完成)\n")
    assert assignments(text) == {"二/二": (["成都市|经济和信息化局"], ["成都市|新经济发展委员会", "郫都区|人民政府"], False)}
