"""Name vocabulary: legal forms, abbreviations, generic words and places, in Latin and Han script.

Pure data used by ``normalize``. Words here never make a match on their own: legal forms are
dropped, generic words and places are context that can only support a distinctive token.
"""

from __future__ import annotations

# Multi-word phrases folded to one canonical token before anything else (Latin, casefolded).
PHRASES: dict[tuple[str, ...], str] = {
    ("public", "security", "bureau"): "psb",
    ("public", "security", "department"): "psd",
    ("bureau", "of", "public", "security"): "psb",
    ("science", "and", "technology"): "technology",
    ("research", "and", "development"): "rnd",
    ("r", "and", "d"): "rnd",
    ("company", "limited"): "ltd",
    ("co", "ltd"): "ltd",
    ("co", "limited"): "ltd",
    ("public", "limited", "company"): "plc",
    ("limited", "liability", "company"): "llc",
    ("joint", "stock", "company"): "jsc",
    ("people", "s"): "peoples",
}

# Single-token abbreviations and spelling variants → canonical token.
ABBREVIATIONS: dict[str, str] = {
    "tech": "technology",
    "technologies": "technology",
    "technological": "technology",
    "techn": "technology",
    "intl": "international",
    "int'l": "international",
    "natl": "national",
    "dev": "development",
    "devt": "development",
    "info": "information",
    "comm": "communication",
    "comms": "communication",
    "communications": "communication",
    "telecom": "telecommunication",
    "telecommunications": "telecommunication",
    "electronics": "electronic",
    "networks": "network",
    "systems": "system",
    "industries": "industry",
    "industrial": "industry",
    "holdings": "holding",
    "investments": "investment",
    "sciences": "science",
    "mfg": "manufacturing",
    "grp": "group",
    "municipal": "municipality",
    "corp": "corporation",
    "inc": "incorporated",
    "uighur": "uyghur",
    "uygur": "uyghur",
    "uygar": "uyghur",
}

# Legal forms: dropped from either end of a name, repeatedly ("Co., Ltd.", "GmbH", "Inc.").
LEGAL_FORMS: frozenset[str] = frozenset(
    {
        "ltd", "limited", "co", "company", "corp", "corporation", "inc", "incorporated",
        "llc", "plc", "llp", "lp", "gmbh", "ag", "kg", "sa", "sas", "sasu", "sarl", "srl",
        "spa", "bv", "nv", "oy", "oyj", "ab", "pte", "pty", "jsc", "ojsc", "pjsc", "cjsc",
        "ooo", "oao", "zao", "kk", "bhd", "sdn", "tbk", "pt", "se", "doo", "as", "asa",
        "aps", "sro", "zrt", "kft", "sl", "ltda", "lda", "cia", "cv",
    }
)  # fmt: skip

# Generic words: they say what kind of body an entity is, not which one.
GENERIC: frozenset[str] = frozenset(
    {
        "technology", "digital", "information", "network", "development", "science",
        "electronic", "communication", "telecommunication", "international", "industry",
        "trading", "trade", "investment", "holding", "group", "system", "software",
        "intelligent", "intelligence", "smart", "data", "cloud", "security", "new", "mobile",
        "manufacturing", "equipment", "engineering", "service", "services", "solutions",
        "products", "import", "export", "logistics", "bank", "financial", "finance",
        "capital", "enterprise", "enterprises", "global", "national", "general",
        "psb", "psd", "bureau", "department", "ministry", "office", "police", "college",
        "university", "institute", "research", "rnd", "academy", "center", "centre",
        "government", "peoples", "committee", "administration", "agency", "authority",
        "corps", "production", "construction", "and", "the", "of", "for", "de", "la",
        "municipality", "prefecture", "district", "county", "city", "province",
        "provincial", "region", "regional", "autonomous", "area", "zone", "town",
        "branch", "subsidiary", "affiliated", "entity", "mongolian", "kazakh",
        "kyrgyz", "hui", "uyghur", "tibetan", "co", "company",
    }
)  # fmt: skip

# Places that often prefix Chinese company names (Latin). Place tokens support a match but
# cannot make one while the other name has a distinctive token.
PLACES: frozenset[str] = frozenset(
    {
        "china", "chinese", "prc", "beijing", "shanghai", "tianjin", "chongqing", "shenzhen",
        "guangzhou", "hangzhou", "nanjing", "wuhan", "chengdu", "xian", "xiamen", "hefei",
        "qingdao", "suzhou", "dalian", "shenyang", "harbin", "changsha", "zhengzhou", "jinan",
        "kunming", "fuzhou", "ningbo", "dongguan", "zhuhai", "guiyang", "nanning", "lanzhou",
        "urumqi", "lhasa", "hohhot", "taiyuan", "shijiazhuang", "nanchang", "haikou",
        "xinjiang", "tibet", "guangdong", "zhejiang", "jiangsu", "anhui", "shandong", "fujian",
        "hubei", "hunan", "henan", "hebei", "sichuan", "yunnan", "guizhou", "guangxi",
        "shaanxi", "shanxi", "gansu", "qinghai", "ningxia", "jiangxi", "liaoning", "jilin",
        "heilongjiang", "hainan", "hong", "kong", "hongkong", "macau", "macao", "taiwan",
        "asia", "pacific", "america", "americas", "europe", "africa", "middle", "east",
        "latin", "south", "north", "west", "central", "usa", "us", "uk", "uae", "eu",
    }
    # Countries, as single words: a subsidiary's country tells it from its siblings
    # ("Huawei Technologies (Australia)" vs "(Bolivia)").
    | {
        "afghanistan", "albania", "algeria", "angola", "argentina", "armenia", "australia",
        "austria", "azerbaijan", "bahrain", "bangladesh", "belarus", "belgium", "benin",
        "bolivia", "bosnia", "botswana", "brazil", "brasil", "bulgaria", "burkina", "burma",
        "cambodia", "cameroon", "canada", "chad", "chile", "colombia", "congo", "costa",
        "rica", "croatia", "cuba", "cyprus", "czech", "denmark", "djibouti", "ecuador",
        "egypt", "salvador", "estonia", "ethiopia", "finland", "france", "gabon", "georgia",
        "germany", "ghana", "greece", "guatemala", "guinea", "honduras", "hungary",
        "iceland", "india", "indonesia", "iran", "iraq", "ireland", "israel", "italy",
        "jamaica", "japan", "jordan", "kazakhstan", "kenya", "korea", "kuwait", "kyrgyzstan",
        "laos", "latvia", "lebanon", "libya", "lithuania", "luxembourg", "madagascar",
        "malawi", "malaysia", "mali", "malta", "mauritius", "mexico", "moldova", "mongolia",
        "montenegro", "morocco", "mozambique", "myanmar", "namibia", "nepal", "netherlands",
        "zealand", "nicaragua", "niger", "nigeria", "norway", "oman", "pakistan", "panama",
        "paraguay", "peru", "philippines", "poland", "portugal", "qatar", "romania",
        "russia", "rwanda", "saudi", "arabia", "senegal", "serbia", "singapore", "slovakia",
        "slovenia", "somalia", "spain", "lanka", "sudan", "sweden", "switzerland", "syria",
        "tajikistan", "tanzania", "thailand", "tunisia", "turkey", "turkiye",
        "turkmenistan", "uganda", "ukraine", "emirates", "kingdom", "states", "uruguay",
        "uzbekistan", "venezuela", "vietnam", "yemen", "zambia", "zimbabwe", "deutschland",
        "espana", "italia", "polska", "nederland", "suisse", "schweiz",
    }
)  # fmt: skip

# Han legal forms, longest first; removed wherever they end a name (glued or not).
HAN_LEGAL_FORMS: tuple[str, ...] = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "股份公司",
    "有限合伙",
    "公司",
)

# Han generic words → canonical Latin token (the same token the Latin side uses), so a
# transliterated Chinese name lines up with an English one ("和田地区公安局" ~ "Hetian
# Prefecture Public Security Bureau").
HAN_GENERIC: dict[str, str] = {
    "技术": "technology",
    "科技": "technology",
    "数字": "digital",
    "信息": "information",
    "网络": "network",
    "电子": "electronic",
    "通信": "communication",
    "通讯": "communication",
    "集团": "group",
    "控股": "holding",
    "投资": "investment",
    "发展": "development",
    "开发": "development",
    "实业": "industry",
    "工业": "industry",
    "国际": "international",
    "智能": "intelligent",
    "软件": "software",
    "系统": "system",
    "安全": "security",
    "贸易": "trading",
    "银行": "bank",
    "研究所": "institute",
    "研究院": "institute",
    "大学": "university",
    "学院": "college",
    "公安局": "psb",
    "公安厅": "psd",
    "警察": "police",
    "人民政府": "government",
    "政府": "government",
    "自治区": "autonomous region",
    "自治州": "autonomous prefecture",
    "地区": "prefecture",
    "生产建设兵团": "production construction corps",
    "兵团": "corps",
}

# Han suffixes that are generic only at the end of a run (市 in 乌鲁木齐市, not inside a word).
HAN_GENERIC_SUFFIXES: dict[str, str] = {"市": "municipality", "县": "county", "省": "province"}

# Han places → their pinyin spelling as places (kept as Han tokens of kind "place").
HAN_PLACES: frozenset[str] = frozenset(
    {
        "中国", "北京", "上海", "天津", "重庆", "深圳", "广州", "杭州", "南京", "武汉", "成都",
        "西安", "厦门", "合肥", "青岛", "苏州", "大连", "沈阳", "新疆", "西藏", "香港", "澳门",
        "台湾", "广东", "浙江", "江苏", "安徽", "山东", "福建", "湖北", "湖南", "河南", "河北",
        "四川", "云南", "贵州", "广西", "陕西", "山西", "甘肃", "青海", "宁夏", "江西", "辽宁",
        "吉林", "黑龙江", "海南", "内蒙古", "乌鲁木齐", "维吾尔", "贵阳", "东莞", "珠海",
    }
)  # fmt: skip
