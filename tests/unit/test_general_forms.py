"""Forms of real plans beyond the samples: clauses without brackets, lexicon short forms, baseline years — exact units and values."""
from helpers import assignments

HEAD = "温州市人工智能创新应用行动方案(2025—2027年)\n一、重点任务\n"


def test_label_line_after_the_item():
    a = assignments(HEAD + "1.建设算力平台。推进建设。\n责任单位:市经信局,柯桥区政府、市科技局\n2.培育企业。\n")
    assert a == {"一/1": (["温州市|经济和信息化局"], ["柯桥区|人民政府", "温州市|科学技术局"], False)}


def test_lead_support_and_deadline_on_their_own_lines():
    text = HEAD + "1.引育骨干企业。给予奖励。\n牵头单位:市经信局\n配合单位:市财政局、市市场监管局\n完成时限:2025年底\n"
    a = assignments(text)
    assert a == {"一/1": (["温州市|经济和信息化局"], ["温州市|财政局", "温州市|市场监督管理局"], True)}


def test_label_after_the_last_full_stop_of_the_line():
    a = assignments(HEAD + "1.建设平台。推进建设。责任单位:市科技局、市教育局。\n")
    assert a == {"一/1": (["温州市|科学技术局"], ["温州市|教育局"], False)}


def test_star_clause_with_a_note_after_the_list():
    a = assignments(HEAD + "1.建设平台。(责任单位:☆市经信局、市科技局。标☆的为牵头单位,下同。)\n")
    assert a == {"一/1": (["温州市|经济和信息化局"], ["温州市|科学技术局"], True)}


def test_sentence_that_is_only_an_assignment():
    a = assignments(HEAD + "1.突破关键技术。开展攻关。由市科技局牵头,市经信局、市发展改革委配合。\n"
                           "2.建设创新平台。支持建设实验室。市科技局、市教育局按职责分工负责。\n")
    assert a == {"一/1": (["温州市|科学技术局"], ["温州市|经济和信息化局", "温州市|发展和改革委员会"], True),
                 "一/2": (["温州市|科学技术局"], ["温州市|教育局"], False)}


def test_sentences_that_mention_agencies_are_not_clauses():
    text = HEAD + ("1.完善机制。资金由市财政局负责统筹,市科技局负责组织申报。\n"
                   "2.加强宣传。发挥市委宣传部作用,责任单位要按季度报送进展。\n"
                   "3.强化考核。由市经信局牵头建立工作专班,统筹推进各项工作。\n")
    assert assignments(text) == {}


def test_other_label_lines_inside_a_label_block():
    text = HEAD + "1.建设平台。\n牵头单位:市经信局\n工作要求:按季度报送进展\n配合单位:市财政局\n2.培育企业。\n"
    a = assignments(text)
    assert a == {"一/1": (["温州市|经济和信息化局"], ["温州市|财政局"], True)}


def test_committee_named_from_a_place_keeps_its_name():
    a = assignments(HEAD + "1.建设智算中心。(责任单位:☆市发展改革委、温州湾新区管委会)\n")
    assert a == {"一/1": (["温州市|发展和改革委员会"], ["温州市|温州湾新区管委会"], True)}


def test_party_and_mass_bodies_take_their_full_names():
    a = assignments(HEAD + "1.加强宣传。(责任单位:市委统战部、市科协、团市委、市医保局)\n")
    assert a == {"一/1": (["温州市|中共温州市委统一战线工作部"],
                          ["温州市|科学技术协会", "温州市|共青团温州市委员会", "温州市|医疗保障局"], False)}


# ---- targets in the same kind of plans ----

def test_a_year_before_the_plan_period_is_a_baseline_fact():
    from helpers import context

    from policykg.graph_build.targets import find_targets

    text = ("某市人工智能产业发展行动计划(2024—2026年)\n一、发展目标\n2023年,全市人工智能核心产业营收为120亿元。"
            "到2026年,全市人工智能核心产业营收突破300亿元。2025年,建成智能工厂50家。\n")
    got = [(t.year, t.value, t.unit, t.op) for t in find_targets(context(text, "t.txt"))]
    assert got == [(2026, 300, "亿元", ">"), (2025, 50, "家", "=")]


# ---- task-division tables ----

TABLE_PLAN = ("嘉兴市人工智能产业创新发展三年行动计划(2024—2026年)\n一、主要任务\n"
              "(一)实施算力基础提升工程。加快建设智算中心。\n(二)实施场景开放工程。发布场景清单。\n"
              "附件\n重点任务分工表\n")


def test_table_rows_assign_the_outline_items_they_name():
    text = TABLE_PLAN + ("序号\t重点任务\t牵头单位\t配合单位\t完成时间\n"
                         "1\t实施算力基础提升工程\t市发展改革委\t市经信局、市大数据局\t2025年\n"
                         "2\t实施场景开放工程\t市经信局\t市科技局\t每年\n")
    a = assignments(text)
    assert a == {"一/一": (["嘉兴市|发展和改革委员会"], ["嘉兴市|经济和信息化局", "嘉兴市|大数据管理局"], True),
                 "一/二": (["嘉兴市|经济和信息化局"], ["嘉兴市|科学技术局"], True)}


def test_table_rows_without_an_outline_item_are_tasks_of_their_own():
    text = TABLE_PLAN + ("序号  工作任务            责任单位                    完成时限\n"
                         "1     建设人工智能公共服务平台  市经信局、南湖区政府    2025年底\n"
                         "2     举办人工智能大赛          市科技局\n")
    a = assignments(text)
    assert a == {"表1/1": (["嘉兴市|经济和信息化局"], ["南湖区|人民政府"], False),
                 "表1/2": (["嘉兴市|科学技术局"], [], False)}


def test_a_table_of_figures_is_not_a_task_table():
    text = TABLE_PLAN + "序号\t指标\t2023年\t2026年\n1\t核心产业规模(亿元)\t300\t800\n"
    assert assignments(text) == {}


# ---- outline markers ----

def test_right_parenthesis_numbers_and_circled_numbers_are_items():
    text = ("湖州市人工智能产业发展实施方案\n一、重点任务\n(一)提升创新能力\n1.建设创新平台。\n"
            "①建设人工智能实验室。(责任单位:市科技局)\n②建设工程中心。(责任单位:市发改委)\n2.培育创新主体。\n"
            "1)培育龙头企业。(责任单位:市经信局)\n2)培育中小企业,2)级扶持。(责任单位:市经信局、市财政局)\n")
    a = assignments(text)
    assert a == {"一/一/1/1": (["湖州市|科学技术局"], [], False),
                 "一/一/1/2": (["湖州市|发展和改革委员会"], [], False),
                 "一/一/2/1": (["湖州市|经济和信息化局"], [], False),
                 "一/一/2/2": (["湖州市|经济和信息化局"], ["湖州市|财政局"], False)}


# ---- who coordinates the plan ----

def test_the_body_that_leads_the_implementation_coordinates():
    from helpers import context

    from policykg.graph_build.responsibility import extract_backbone

    text = ("浙江省促进新一代人工智能发展行动计划(2024—2027年)\n一、重点任务\n(一)强化算力供给。建设智算中心。"
            "(省发展改革委、省经信厅按职责分工负责)\n(二)培育人才。由省教育厅牵头组织实施人才计划。\n"
            "二、保障措施\n(一)加强统筹协调。建立工作专班,由省经信厅牵头,定期研究解决重大问题;由市场主体牵头组建联盟。\n")
    frag = extract_backbone(context(text, "p.txt"))
    coord = sorted(e.source for e in frag.edges if e.type == "COORDINATES")
    assert coord == ["agency:浙江省|经济和信息化厅"]
    assert {e.source for e in frag.edges if e.type == "LEADS"} == {"agency:浙江省|发展和改革委员会"}


def test_articles_are_items():
    text = ("宁波市支持人工智能产业发展若干措施\n第一条 支持算力建设。对新建智算中心给予补助。(责任单位:市发展改革委)\n"
            "第二条 支持场景开放。(责任单位:市工信局、市科技局)\n")
    a = assignments(text)
    assert a == {"一": (["宁波市|发展和改革委员会"], [], False), "二": (["宁波市|工业和信息化局"], ["宁波市|科学技术局"], False)}


# ---- places in unit lists (provincial plans) ----

PROVINCE = "广东省新一代人工智能发展行动计划(2024—2026年)\n一、重点任务\n"


def test_a_body_after_several_places_is_each_places():
    a = assignments(PROVINCE + "1.建设平台。(责任单位:省科技厅、广州市、深圳市人民政府)\n"
                               "2.开展试点。(责任单位:广州、深圳市科技局)\n")
    assert a == {"一/1": (["广东省|科学技术厅"], ["广州市|人民政府", "深圳市|人民政府"], False),
                 "一/2": (["广州市|科学技术局"], ["深圳市|科学技术局"], False)}


def test_a_place_named_as_a_unit_is_its_government_but_a_list_of_places_is_no_clause():
    a = assignments(PROVINCE + "1.建设平台。(责任单位:省科技厅、广州市)\n2.建设集聚区。(广州市、深圳市)\n")
    assert a == {"一/1": (["广东省|科学技术厅"], ["广州市|人民政府"], False)}


def test_units_before_the_part_with_the_role_word_share_its_role():
    a = assignments(PROVINCE + "1.建设平台。(省科技厅、省发展改革委,各地级以上市人民政府负责)\n")
    assert a == {"一/1": (["广东省|科学技术厅"], ["广东省|发展和改革委员会", "广东省|各地级以上市人民政府"], False)}


# ---- probe E: milestone headings, lexicon forms, collectives after places ----

def test_a_milestone_heading_sets_the_year_of_the_goals_under_it():
    from helpers import context

    from policykg.graph_build.targets import find_targets

    text = ("某市人工智能产业发展行动方案(2024—2027年)\n一、发展目标\n(一)2025年目标\n"
            "全市核心产业规模达到1200亿元;智能机器人产量达到5万台。\n(二)2027年目标\n核心产业规模突破2000亿元。\n")
    got = [(t.year, t.value, t.unit, t.op) for t in find_targets(context(text, "t.txt"))]
    assert got == [(2025, 1200, "亿元", ">="), (2025, 5, "万台", ">="), (2027, 2000, "亿元", ">")]


def test_a_leading_group_named_after_the_economy_keeps_its_whole_name():
    from helpers import context

    from policykg.graph_build.responsibility import extract_backbone

    text = ("四川省人工智能产业发展行动计划(2024—2027年)\n一、重点任务\n(一)建设平台。(责任单位:省科技厅)\n"
            "二、保障措施\n(一)强化统筹。在省数字经济发展领导小组统筹下,建立工作机制;经省人工智能发展领导小组审定后实施。\n")
    frag = extract_backbone(context(text, "p.txt"))
    coord = sorted(e.source for e in frag.edges if e.type == "COORDINATES")
    assert coord == ["agency:四川省|人工智能发展领导小组", "agency:四川省|数字经济发展领导小组"]


def test_bodies_whose_full_names_differ_between_cities_keep_the_name_written():
    head = "北京市人工智能发展实施方案(2024—2025年)\n一、重点任务\n"
    a = assignments(head + "1.建设平台。(责任单位:市教委、市规划自然资源委、市政务服务和数据管理局)\n"
                           "2.建设园区。(责任单位:市自然资源和规划局、市住房城乡建设委,开发区管委会)\n")
    assert a == {"一/1": (["北京市|教育委员会"], ["北京市|规划和自然资源委员会", "北京市|政务服务和数据管理局"], False),
                 "一/2": (["北京市|自然资源和规划局"], ["北京市|住房和城乡建设委员会", "北京市|开发区管委会"], False)}


def test_a_collective_after_named_places_belongs_to_the_issuing_region():
    a = assignments("四川省人工智能发展行动计划(2024—2027年)\n一、重点任务\n"
                    "1.培育集群。(责任单位:省经信厅,成都市、宜宾市人民政府,各市(州)人民政府、园区管委会)\n")
    assert a == {"一/1": (["四川省|经济和信息化厅"], ["成都市|人民政府", "宜宾市|人民政府", "四川省|各市(州)人民政府",
                                                   "四川省|园区管委会"], False)}


def test_a_district_plan_is_issued_by_the_district_and_its_party_bodies_name_the_city():
    text = ("杭州市余杭区促进人工智能产业发展行动计划(2025—2027年)\n一、重点任务\n"
            "(一)建设算力。(牵头部门:区发改局;配合部门:区经信局,未来科技城管委会)\n"
            "(二)培育主体。(主要责任单位:区科技局,各镇街)\n(三)引育人才。(区人才办、区委宣传部、区人力社保局)\n"
            "(四)强化宣传。(具体落实单位:区委宣传部)\n")
    a = assignments(text)
    assert a == {"一/一": (["余杭区|发展和改革局"], ["余杭区|经济和信息化局", "余杭区|未来科技城管委会"], True),
                 "一/二": (["余杭区|科学技术局"], ["余杭区|各镇街"], False),
                 "一/三": (["余杭区|中共杭州市余杭区委人才工作领导小组办公室"],
                          ["余杭区|中共杭州市余杭区委宣传部", "余杭区|人力资源和社会保障局"], False)}


def test_the_issuer_is_the_most_specific_region_named_in_a_row_in_the_title():
    from policykg.graph_build.ingest import find_region
    from policykg.graph_build.regions import default_index

    ix = default_index()
    got = [find_region(t, t, ix).name for t in ("广东省深圳市人工智能产业发展规划", "浙江省杭州市余杭区人工智能行动计划",
                                                "上海市浦东新区人工智能方案", "广州市支持南沙区人工智能发展若干措施")]
    assert got == ["深圳市", "余杭区", "浦东新区", "广州市"]


def test_pipe_tables_notes_in_brackets_and_sub_units_of_the_police():
    text = ("武汉市人工智能产业创新发展行动方案(2024—2026年)\n一、重点任务\n(一)发展智能网联汽车。建设测试示范区。\n"
            "(二)推进人工智能+制造。每年打造智能工厂20家。\n附件\n重点任务分工\n| 序号 | 任务 | 牵头单位 | 配合单位 |\n"
            "| 1 | 发展智能网联汽车 | 武汉经开区管委会 | 市经信局、市公安局交管局 |\n"
            "| 2 | 推进人工智能+制造 | 市经信局 | 各区人民政府(含开发区管委会) |\n")
    a = assignments(text)
    assert a == {"一/一": (["武汉市|武汉经开区管委会"], ["武汉市|经济和信息化局", "武汉市|公安局交通管理局"], True),
                 "一/二": (["武汉市|经济和信息化局"], ["武汉市|各区人民政府(含开发区管委会)"], True)}


def test_joint_issuers_separated_by_spaces_are_each_an_issuer():
    from helpers import context

    from policykg.graph_build.responsibility import extract_backbone

    text = ("武汉市经济和信息化局 武汉市科学技术局关于印发武汉市人工智能行动方案的通知\n各区人民政府:\n现印发给你们。\n"
            "武汉市经济和信息化局　武汉市科学技术局\n2024年7月1日\n武汉市人工智能行动方案\n一、重点任务\n"
            "(一)建设平台。(责任单位:市科技局)\n")
    frag = extract_backbone(context(text, "w.txt"))
    issued = sorted({e.target for e in frag.edges if e.type == "ISSUED_BY"})
    assert issued == ["agency:武汉市|科学技术局", "agency:武汉市|经济和信息化局"]


def test_a_trailing_etc_with_the_city_bodies_is_not_part_of_the_name():
    a = assignments(HEAD + "1.建设平台。(责任单位:市工信局、市科技局等市直相关单位)\n")
    assert a == {"一/1": (["温州市|工业和信息化局"], ["温州市|科学技术局"], False)}
