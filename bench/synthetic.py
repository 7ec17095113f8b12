"""Negotiation-style paragraphs made up from phrase lists, in English and Chinese, for tests and benchmarks.

The English phrases imitate General Assembly outcome documents; the Chinese ones are taken from the
wording of A/RES/70/302. Texts are random combinations, so they share the boilerplate that real
paragraphs share ("in accordance with international law") while each one stays distinct.
"""

import random
from pathlib import Path

CORPUS = Path(__file__).with_name("corpus")

_EN_OPENINGS = [
    "We",
    "Member States",
    "The international community",
    "States",
    "All relevant stakeholders",
    "The United Nations system",
    "Countries of origin, transit and destination",
    "We, the Heads of State and Government,",
    "Host countries and communities",
    "Regional and subregional organizations",
]
_EN_VERBS = [
    "commit to",
    "reaffirm their commitment to",
    "recognize the need to",
    "will continue to",
    "decide to",
    "undertake to",
    "encourage efforts to",
    "will consider ways to",
    "call upon all States to",
    "are determined to",
    "acknowledge the importance of efforts to",
    "stress the obligation to",
]
_EN_ACTIONS = [
    "protect the human rights and fundamental freedoms of all migrants",
    "strengthen international cooperation on migration",
    "address the drivers of large movements of refugees",
    "ensure safe, orderly and regular migration",
    "combat xenophobia, racism and discrimination",
    "support host countries and communities",
    "facilitate the return and readmission of migrants",
    "improve the collection of disaggregated data",
    "promote the social and economic inclusion of refugees",
    "protect unaccompanied and separated children",
    "prevent and combat trafficking in persons",
    "expand pathways for regular migration",
    "provide humanitarian assistance to those in need",
    "share responsibility for hosting refugees more equitably",
    "uphold the principle of non-refoulement",
    "reduce the costs of remittances",
    "develop non-binding guiding principles",
    "mobilize adequate and predictable financing",
    "enhance the resilience of affected communities",
    "ensure access to education and health care",
]
_EN_QUALIFIERS = [
    "in accordance with international law",
    "in line with the 2030 Agenda for Sustainable Development",
    "taking into account national realities and capacities",
    "with full respect for their human rights",
    "in a spirit of international solidarity",
    "through bilateral, regional and global partnerships",
    "regardless of their migration status",
    "with particular attention to women and girls",
    "in cooperation with the Office of the United Nations High Commissioner for Refugees",
    "consistent with the Charter of the United Nations",
    "at the national, regional and global levels",
    "by 2030",
    "within existing resources",
    "as appropriate",
]
_EN_PREAMBLES = [
    "Recalling its resolution 70/1 of 25 September 2015,",
    "Recognizing the positive contribution of migrants to inclusive growth,",
    "Deeply concerned about the loss of life at sea,",
    "Acknowledging the shared responsibility to manage large movements,",
    "Reaffirming the purposes and principles of the Charter,",
    "Noting with appreciation the work of the Global Migration Group,",
    "Welcoming the offer of the Government of Morocco to host the conference,",
    "Bearing in mind the special needs of persons in vulnerable situations,",
]
_EN_WORDS = [
    "all",
    "relevant",
    "effective",
    "full",
    "further",
    "national",
    "regional",
    "global",
    "human",
    "rights",
    "migrants",
    "refugees",
    "States",
    "cooperation",
    "protection",
    "assistance",
    "support",
    "access",
    "safe",
    "orderly",
    "regular",
    "dignity",
    "solidarity",
    "capacity",
    "programmes",
    "policies",
    "measures",
    "frameworks",
    "commitments",
    "partners",
    "communities",
    "children",
    "women",
    "youth",
    "persons",
    "displacement",
    "development",
    "integration",
    "labour",
    "mobility",
    "skills",
    "data",
    "remittances",
    "resettlement",
]

_ZH_SUBJECTS = [
    "我们",
    "各国",
    "国际社会",
    "会员国",
    "联合国系统",
    "来源国、过境国和目的地国",
    "收容国和收容社区",
]
_ZH_VERBS = [
    "承诺",
    "重申",
    "认识到必须",
    "决心",
    "鼓励各方",
    "将继续",
    "将考虑",
    "呼吁所有国家",
    "强调应当",
    "支持",
]
_ZH_ACTIONS = [
    "保护所有难民和移民的人权和基本自由",
    "加强移民问题国际合作",
    "消除造成难民大规模流动的根源",
    "促进安全、有序和正常移民",
    "打击仇外心理、种族主义和歧视",
    "支持收容国和收容社区",
    "便利移民安全、有尊严地回返",
    "改进分类数据的收集工作",
    "促进难民的社会和经济融合",
    "保护孤身和失散儿童",
    "预防和打击贩运人口行为",
    "扩大正常移民途径",
    "向有需要者提供人道主义援助",
    "更公平地分担收容难民的责任",
    "维护不推回原则",
    "降低汇款费用",
    "制定无约束力的指导原则",
    "调动充足和可预测的资金",
    "增强受影响社区的抗灾能力",
    "确保受教育和获得保健的机会",
]
_ZH_QUALIFIERS = [
    "依照国际法",
    "根据《2030 年可持续发展议程》",
    "考虑到各国的国情和能力",
    "充分尊重其人权",
    "本着国际团结精神",
    "通过双边、区域和全球伙伴关系",
    "无论其移民身份如何",
    "特别关注妇女和女童",
    "与联合国难民事务高级专员办事处合作",
    "在国家、区域和全球各级",
    "到 2030 年",
    "酌情",
]
_ZH_WORDS = ["各项", "充分", "有效", "全面", "切实", "进一步", "所有", "相关", "国际", "区域", "国家", "特别"]


def english_sentence(rng: random.Random) -> str:
    """One operative sentence in English."""
    qualifiers = rng.sample(_EN_QUALIFIERS, rng.randint(0, 2))
    action = " and to ".join(rng.sample(_EN_ACTIONS, rng.randint(1, 2)))
    body = f"{rng.choice(_EN_OPENINGS)} {rng.choice(_EN_VERBS)} {action}"
    return " ".join([body, *qualifiers]).rstrip(",") + "."


def english_paragraph(rng: random.Random, sentences: tuple[int, int] = (2, 4)) -> str:
    """One paragraph in English, sometimes opened by a preambular clause."""
    parts = [english_sentence(rng) for _ in range(rng.randint(*sentences))]
    if rng.random() < 0.2:
        parts.insert(0, rng.choice(_EN_PREAMBLES))
    return " ".join(parts)


def chinese_sentence(rng: random.Random) -> str:
    """One operative sentence in Chinese."""
    qualifiers = "".join(q + "，" for q in rng.sample(_ZH_QUALIFIERS, rng.randint(0, 2)))
    action = "，并".join(rng.sample(_ZH_ACTIONS, rng.randint(1, 2)))
    return f"{rng.choice(_ZH_SUBJECTS)}{qualifiers}{rng.choice(_ZH_VERBS)}{action}。"


def chinese_paragraph(rng: random.Random, sentences: tuple[int, int] = (2, 4)) -> str:
    """One paragraph in Chinese."""
    return "".join(chinese_sentence(rng) for _ in range(rng.randint(*sentences)))


def paragraph(language: str, rng: random.Random) -> str:
    """One made-up paragraph in the given language ("en" or "zh")."""
    return english_paragraph(rng) if language == "en" else chinese_paragraph(rng)


def filler_words(language: str) -> list[str]:
    """Words an editor may slip into a paragraph of the given language."""
    return _EN_WORDS if language == "en" else _ZH_WORDS


def chinese_corpus() -> list[str]:
    """The paragraphs of the Chinese New York Declaration (A/RES/70/302), cleaned for benchmarks."""
    text = (CORPUS / "zh.txt").read_text(encoding="utf-8")
    return [block.strip() for block in text.split("\n\n") if block.strip()]


def english_document(rng: random.Random, size: int) -> list[str]:
    """Made-up English paragraphs adding up to about `size` bytes."""
    paragraphs: list[str] = []
    total = 0
    while total < size:
        paragraphs.append(english_paragraph(rng))
        total += len(paragraphs[-1].encode()) + 2
    return paragraphs


def chinese_document(rng: random.Random, size: int) -> list[str]:
    """The Chinese corpus, then made-up Chinese paragraphs, adding up to about `size` bytes."""
    paragraphs: list[str] = []
    total = 0
    pool = chinese_corpus()
    while total < size:
        text = pool.pop(0) if pool else chinese_paragraph(rng, (3, 6))
        paragraphs.append(text)
        total += len(text.encode()) + 2
    return paragraphs
