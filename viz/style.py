"""How each kind of node and relationship looks, shared by the HTML views and the Gephi exports.

Colours come from the Tableau 10 palette (distinguishable, readable on white); every label also has
a shape so that the legend does not rely on colour alone."""
from __future__ import annotations

from dataclasses import dataclass

# Chinese first: the page must show 简体 glyphs from a CJK font wherever one is installed.
CJK_FONT_STACK = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
                  '"Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK JP", sans-serif')


@dataclass(frozen=True)
class Look:
    color: str
    shape: str  # a vis-network shape whose label sits outside it
    text: str  # legend text


NODE_LOOKS: dict[str, Look] = {
    "Document": Look("#4E79A7", "square", "Document 文件"),
    "Region": Look("#59A14F", "triangle", "Region 地区"),
    "Agency": Look("#E15759", "dot", "Agency 单位"),
    "Organization": Look("#F28E2B", "diamond", "Organization 机构"),
    "Task": Look("#76B7B2", "dot", "Task 任务"),
    "Technology": Look("#B07AA1", "star", "Technology 技术"),
    "Park": Look("#EDC948", "hexagon", "Park 园区"),
    "Target": Look("#FF9DA7", "triangleDown", "Target 目标"),
    "Funding": Look("#9C755F", "diamond", "Funding 资金"),
    "Policy": Look("#BAB0AC", "square", "Policy 政策"),
    # coordination view: agencies by the share of their tasks they lead
    "Agency:lead": Look("#C0392B", "dot", "Agency, leads most of its tasks 以牵头为主"),
    "Agency:support": Look("#F5A3A3", "dot", "Agency, mostly supports 以配合为主"),
}
OTHER_NODE = Look("#8C8C8C", "dot", "other")


@dataclass(frozen=True)
class EdgeLook:
    color: str
    dashes: bool
    width: float
    text: str


EDGE_LOOKS: dict[str, EdgeLook] = {
    "LEADS": EdgeLook("#C0392B", False, 2.5, "LEADS 牵头"),
    "SUPPORTS": EdgeLook("#F1A340", True, 1.5, "SUPPORTS 配合"),
    "CONTAINS": EdgeLook("#C7C7C7", False, 1.0, "CONTAINS 包含"),
    "SUBTASK_OF": EdgeLook("#9BBFBC", False, 1.0, "SUBTASK_OF 子任务"),
    "ADDRESSES": EdgeLook("#B07AA1", False, 1.5, "ADDRESSES 涉及技术"),
    "INVOLVES": EdgeLook("#F28E2B", False, 1.5, "INVOLVES 涉及"),
    "LOCATED_IN": EdgeLook("#EDC948", False, 1.5, "LOCATED_IN 位于"),
    "PART_OF": EdgeLook("#59A14F", False, 1.5, "PART_OF 隶属"),
    "BELONGS_TO": EdgeLook("#A5D6A0", False, 1.0, "BELONGS_TO 属于地区"),
    "SETS": EdgeLook("#FF9DA7", False, 1.5, "SETS 设定目标"),
    "FUNDS": EdgeLook("#9C755F", False, 1.5, "FUNDS 资助"),
    "CITES": EdgeLook("#BAB0AC", True, 1.0, "CITES 引用"),
    "COVERS": EdgeLook("#4E79A7", True, 1.0, "COVERS 覆盖地区"),
    "ISSUED_BY": EdgeLook("#4E79A7", False, 2.0, "ISSUED_BY 发文"),
    "COORDINATES": EdgeLook("#8E44AD", False, 2.0, "COORDINATES 统筹"),
    # coordination view: one edge per co-assigned pair of agencies
    "CO_ASSIGNED:lead": EdgeLook("#C0392B", False, 1.0, "co-assigned, one leads 一方牵头"),
    "CO_ASSIGNED:support": EdgeLook("#F1A340", True, 1.0, "co-assigned, both support 共同配合"),
}
OTHER_EDGE = EdgeLook("#8C8C8C", False, 1.0, "other")

LABEL_ORDER = tuple(NODE_LOOKS)
EDGE_ORDER = tuple(EDGE_LOOKS)


def node_look(group: str) -> Look:
    return NODE_LOOKS.get(group) or Look(OTHER_NODE.color, OTHER_NODE.shape, group)


def edge_look(group: str) -> EdgeLook:
    return EDGE_LOOKS.get(group) or EdgeLook(OTHER_EDGE.color, OTHER_EDGE.dashes, OTHER_EDGE.width, group)


def rgb(color: str) -> tuple[int, int, int]:
    c = color.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)
