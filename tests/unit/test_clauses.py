"""Every responsibility-clause style, on small fixtures, with exact expected units."""
from helpers import assignments

HEAD = "深圳市人工智能发展行动计划(2020-2022年)\n一、主要任务\n"


def test_labeled_responsible_only_first_leads_not_explicit():
    a = assignments(HEAD + "1.建设算力平台。推进建设。(责任单位:市工信局、市科技创新委)\n")
    assert a == {"一/1": (["深圳市|工业和信息化局"], ["深圳市|科技创新委员会"], False)}


def test_lead_and_responsible_labels():
    a = assignments(HEAD + "1.建设算力平台。(牵头单位:市科技创新委,责任单位:市发展改革委、市财政局)\n")
    assert a == {"一/1": (["深圳市|科技创新委员会"], ["深圳市|发展和改革委员会", "深圳市|财政局"], True)}


def test_fullwidth_lead_and_cooperating_units():
    a = assignments(HEAD + "1．建设算力平台。（牵头单位：市工信局；配合单位：市商务局）\n")
    assert a == {"一/1": (["深圳市|工业和信息化局"], ["深圳市|商务局"], True)}


def test_participating_and_assisting_units_support():
    a = assignments(HEAD + "1.建设平台。(牵头单位:市工信局;参与单位:市商务局;协办单位:市财政局)\n")
    assert a["一/1"] == (["深圳市|工业和信息化局"], ["深圳市|商务局", "深圳市|财政局"], True)


def test_lead_only_clause():
    a = assignments(HEAD + "1.建设平台。(牵头单位:市科技创新委)\n")
    assert a == {"一/1": (["深圳市|科技创新委员会"], [], True)}


def test_inline_lead_and_support():
    a = assignments(HEAD + "1.建设平台。(市工信局牵头,市商务局、市财政局配合)\n")
    assert a == {"一/1": (["深圳市|工业和信息化局"], ["深圳市|商务局", "深圳市|财政局"], True)}


def test_inline_shared_responsibility():
    a = assignments(HEAD + "1.建设平台。(市工信局、市商务局分工负责)\n")
    assert a == {"一/1": (["深圳市|工业和信息化局"], ["深圳市|商务局"], False)}


def test_star_marks_the_lead():
    a = assignments(HEAD + "1.建设平台。(责任单位:市商务局、市工信局☆、市财政局)\n")
    assert a == {"一/1": (["深圳市|工业和信息化局"], ["深圳市|商务局", "深圳市|财政局"], True)}


def test_list_ending_in_deng():
    a = assignments(HEAD + "1.建设平台。(责任单位:市工信局、市商务局等)\n")
    assert a == {"一/1": (["深圳市|工业和信息化局"], ["深圳市|商务局"], False)}


def test_section_clause_in_tortoise_brackets_with_nested_parentheses():
    text = HEAD.replace("一、主要任务\n", "") + "一、主要任务\n(一)优化产业布局,营造生态。\n依托各区资源。〔责任单位:市工信局、发展改革委、各区政府(新区管委会)〕\n"
    a = assignments(text)
    assert a == {"一/一": (["深圳市|工业和信息化局"],
                          ["深圳市|发展和改革委员会", "深圳市|各区政府(新区管委会)"], False)}


def test_bare_list_after_item_zhongshan_style():
    text = "中山市人工智能行动计划(2019-2021年)\n二、主要任务\n(一)加快产业培育。\n1、推动企业发展。实施行动。(市工信局、市科技局、市发改局)\n"
    a = assignments(text)
    assert a == {"二/一/1": (["中山市|工业和信息化局"], ["中山市|科学技术局", "中山市|发展和改革局"], False)}


def test_he_inside_a_name_versus_joining_two_units():
    text = "长沙市人工智能行动计划\n三、重点任务\n1.突破技术。(牵头单位:市工业和信息化局,责任单位:各区县市人民政府和园区管委会)\n"
    a = assignments(text)
    assert a == {"三/1": (["长沙市|工业和信息化局"], ["长沙市|各区县市人民政府", "长沙市|园区管委会"], True)}


def test_region_prefix_distributes_and_market_regulation():
    a = assignments(HEAD + "1.建设平台。(责任单位:市科技创新委、发展改革委、市场监管局)\n2.完善标准。(责任单位:市市场监管局)\n")
    assert a["一/1"] == (["深圳市|科技创新委员会"], ["深圳市|发展和改革委员会", "深圳市|市场监督管理局"], False)
    assert a["一/2"] == (["深圳市|市场监督管理局"], [], False)


def test_parenthesis_that_is_not_a_list_of_units_is_not_a_clause():
    a = assignments(HEAD + "1.建设平台(含算力中心)。反馈至市政府737室(联系电话:88303920)。\n2.支持企业(如华为、腾讯)发展。\n")
    assert a == {}


def test_sub_unit_and_party_body_and_government_office():
    text = "长沙市人工智能行动计划\n三、重点任务\n1.车联网。(牵头单位:市委人才办,责任单位:市公安局交警支队、市政府金融办)\n"
    a = assignments(text)
    assert a == {"三/1": (["长沙市|中共长沙市委人才工作领导小组办公室"],
                         ["长沙市|公安局交通警察支队", "长沙市|人民政府金融工作办公室"], True)}


def test_lead_marked_with_qiantou_in_brackets_after_a_unit():
    a = assignments(HEAD + "1.建设平台。(责任单位:市商务局、市工信局(牵头)、市财政局)\n")
    assert a == {"一/1": (["深圳市|工业和信息化局"], ["深圳市|商务局", "深圳市|财政局"], True)}


def test_unknown_labels_inside_a_clause_are_ignored_and_deadline_kept():
    from helpers import context
    from policykg.graph_build.responsibility import extract_backbone
    text = HEAD + "1.建设平台。(责任单位:市工信局、市科技创新委;完成时限:2021年底)\n"
    a = assignments(text)
    assert a == {"一/1": (["深圳市|工业和信息化局"], ["深圳市|科技创新委员会"], False)}
    frag = extract_backbone(context(text))
    task = next(n for n in frag.nodes if n.label == "Task" and n.props["number"] == "一/1")
    assert task.props["deadline"] == "2021年底"


def test_inline_form_inside_a_labeled_segment():
    a = assignments(HEAD + "1.建设平台。(责任单位:市科技创新委牵头,市财政局配合)\n")
    assert a == {"一/1": (["深圳市|科技创新委员会"], ["深圳市|财政局"], True)}


def test_collective_units_with_city_prefix():
    a = assignments(HEAD + "1.建设平台。(责任单位:市工信局、市有关部门、市直各单位)\n")
    assert a == {"一/1": (["深圳市|工业和信息化局"], ["深圳市|有关部门", "深圳市|市直各单位"], False)}


def test_provincial_plan_units_belong_to_the_province():
    text = "广东省人工智能行动计划(2022-2025年)\n一、重点任务\n1.建设平台。(省科技厅、省发展改革委、各地级以上市人民政府负责)\n"
    a = assignments(text)
    assert a == {"一/1": (["广东省|科学技术厅"], ["广东省|发展和改革委员会", "广东省|各地级以上市人民政府"], False)}


def test_explicit_city_name_prefix_in_a_provincial_plan():
    text = "广东省人工智能行动计划\n一、重点任务\n1.建设平台。(牵头单位:广州市人民政府、深圳市人民政府;配合单位:省工业和信息化厅)\n"
    a = assignments(text)
    assert a == {"一/1": (["广州市|人民政府", "深圳市|人民政府"], ["广东省|工业和信息化厅"], True)}


def test_a_unit_whose_name_contains_the_list_separator():
    text = "杭州市人工智能行动计划\n一、重点任务\n1.建设平台。(责任单位:市经信局、各区、县(市)政府)\n"
    a = assignments(text)
    assert a == {"一/1": (["杭州市|经济和信息化局"], ["杭州市|各区、县(市)政府"], False)}


def test_unknown_unit_in_a_labeled_clause_is_kept_not_the_clause_lost():
    text = HEAD + "1.建设平台。(牵头单位:市工信局;配合单位:深圳供电局有限公司、市鹏城智算联席会)\n"
    a = assignments(text)
    assert a == {"一/1": (["深圳市|工业和信息化局"], ["深圳市|深圳供电局有限公司", "深圳市|鹏城智算联席会"], True)}


def test_unknown_names_do_not_make_a_bare_parenthesis_a_clause():
    a = assignments(HEAD + "1.建设平台。(市工信局、鹏城智算联席会)\n")
    assert a == {}


def test_customs_and_courts_are_agencies():
    a = assignments(HEAD + "1.跨境数据。(深圳海关、市中级人民法院、市工信局)\n")
    assert a == {"一/1": (["深圳市|深圳海关"], ["深圳市|中级人民法院", "深圳市|工业和信息化局"], False)}
