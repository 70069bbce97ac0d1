from policykg.graph_build.nlp import load


def test_spacy_pipeline_exposes_clause_units_as_spans():
    nlp = load()
    text = "深圳市人工智能计划\n一、主要任务\n1.建设平台。(责任单位:市工信局、发展改革委)\n"
    doc = nlp(text)
    assert [s.label_ for s in doc.spans["outline"]] == ["一", "一/1"]
    assert [(s.text, s.label_) for s in doc.spans["lead"]] == [("市工信局", "深圳市|工业和信息化局")]
    assert [(s.text, s.label_) for s in doc.spans["support"]] == [("发展改革委", "深圳市|发展和改革委员会")]
    assert doc.spans["clauses"][0].text == "(责任单位:市工信局、发展改革委)"
