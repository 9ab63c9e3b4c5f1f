"""What a department file must hold for each theme table: its columns, which are required, and
the header names accepted for them (the table's own column name, or the Chinese label that
government exports use). Types come from the warehouse schema itself, so a layout never
disagrees with the table it feeds.

Each column's domain, what values it accepts beyond its type, is declared here once (DOMAINS,
and a layout's own where a name means something else in that table): a range or an
enumeration, a longest text, a pattern, times not after the load, ID numbers, phones, codes the
warehouse holds. warehouse/ingest/validate.py applies them; nothing else decides what a column
accepts. A table's business key (`key`) names what may appear only once in a file."""

from __future__ import annotations

from dataclasses import dataclass, field

from warehouse.rules.policy import POLICY

# one Chinese header per column name; a file may use either
LABELS = {
    "person_id": "人员编号", "id_number": "身份证号", "name": "姓名", "sex": "性别",
    "birth_date": "出生日期", "phone": "手机号", "community_code": "社区代码",
    "compound_id": "小区编号", "household_id": "户编号", "is_owner": "是否业主",
    "aged_80_plus": "八十岁以上", "pregnant": "孕产妇", "dialysis": "透析患者",
    "disabled": "残疾人", "infant": "婴幼儿", "dose": "剂次", "vaccinated_on": "接种日期",
    "vaccine": "疫苗", "ts": "时间", "color": "赋码颜色", "reason": "原因", "lon": "经度",
    "lat": "纬度", "source": "来源", "place_id": "场所编号", "sample_id": "样本编号",
    "site_id": "采样点编号", "hotel_id": "隔离点编号", "lab_id": "实验室编号",
    "tube_id": "试管编号", "pool_size": "混采数", "purpose": "检测目的", "round_id": "轮次",
    "protocol_day": "隔离第几天", "sampled_at": "采样时间", "received_at": "接收时间",
    "result_at": "结果时间", "result": "检测结果", "state": "状态", "queue_minutes": "排队分钟",
    "reported_by": "上报人", "channel": "渠道", "case_id": "病例编号", "kind": "类别",
    "generation": "代次", "cluster": "聚集疫情", "found_by": "发现方式",
    "infector_case": "传染源病例", "onset_date": "发病日期", "confirmed_at": "确诊时间",
    "isolated_at": "隔离时间", "from_person_id": "上游人员编号", "to_person_id": "接触者编号",
    "hop": "密接层级", "exposure_at": "暴露时间", "identified_at": "判定时间",
    "subject": "转运对象", "dispatched_at": "派车时间", "arrived_at": "到达时间",
    "vehicle": "车辆", "destination": "目的地", "notified_at": "通知时间",
    "transferred_at": "转运时间", "quarantine_start": "隔离开始", "quarantine_end": "隔离结束",
    "monitoring_end": "监测结束", "released_at": "解除时间", "outcome": "结果",
    "record_id": "记录编号", "topic_id": "专题编号", "raw_id_number": "身份证号",
    "raw_name": "姓名", "raw_phone": "手机号", "dup_group": "重复组", "is_primary": "是否主记录",
    "district_code": "区县代码", "verified_at": "核查时间", "escalated": "是否升级",
    "appeal_id": "诉求编号", "type": "诉求类型", "topic": "诉求主题", "is_emergency": "是否紧急",
    "handled_at": "办理时间", "replied_at": "答复时间", "closed_at": "办结时间",
    "rated_at": "评价时间", "rating": "评分", "zone_id": "风险区编号", "tier": "风险等级",
    "geometry": "范围", "reason_case_ids": "关联病例", "start_at": "划定时间",
    "lifted_at": "解封时间", "plan_id": "方案编号", "buildings": "楼栋数", "households": "户数",
    "owners": "业主数", "place_code": "场所码", "site_code": "采样点代码", "samplers": "采样人员数",
    "capacity_per_hour": "每小时采样能力", "open_hour": "开放时", "close_hour": "关闭时",
    "rooms": "房间数", "depot_id": "保障点编号", "capacity_tonnes": "储备吨数",
}


@dataclass(frozen=True)
class Domain:
    """The values a column accepts beyond its warehouse type (whole numbers, enumerations of an
    Enum8, dates are already checked by type). Text is judged after trimming spaces; an empty
    value is judged only by whether the column is required."""

    max_length: int = 100  # characters
    low: float | None = None  # numbers: the smallest accepted
    high: float | None = None  # numbers: the largest accepted
    values: tuple = ()  # the accepted values (text or whole numbers), when the type does not say
    pattern: str | None = None  # a regular expression (RE2) the whole value matches
    rule: str | None = None  # id_number, phone, community, district, lon, lat: checked by rule
    earliest: str | None = None  # times and dates: not before this day (ISO)
    days_ahead: int | None = None  # times and dates: None = not after the load (+ the clock skew)
    explain: str = ""  # how to say the domain in a reason, e.g. "1–5"


TEXT = Domain()
COUNT = Domain(low=0)
FLAG = Domain(values=(0, 1), explain="0 或 1")
ENTITY = Domain(low=1, explain="≥ 1")
CODE = Domain(max_length=40, pattern=r"^[0-9A-Za-z][0-9A-Za-z_.:/-]*$", explain="字母、数字和 -_.:/")
EVENT = Domain(earliest="2019-12-01")  # a time or a day of the epidemic, not after the load
PLANNED = Domain(earliest="2019-12-01", days_ahead=60)  # the planned end of a quarantine

# one domain per column name; a layout overrides a name that means something else in its table
DOMAINS = {
    "person_id": ENTITY, "from_person_id": ENTITY, "to_person_id": ENTITY,
    "id_number": Domain(max_length=18, rule="id_number"), "raw_id_number": Domain(max_length=18, rule="id_number"),
    "name": Domain(max_length=100), "raw_name": Domain(max_length=100), "sex": TEXT,
    "birth_date": Domain(earliest="1900-01-01"), "phone": Domain(max_length=24, rule="phone"),
    "raw_phone": Domain(max_length=24, rule="phone"),
    "community_code": Domain(max_length=12, rule="community"), "district_code": Domain(max_length=6, rule="district"),
    "compound_id": COUNT, "household_id": COUNT, "is_owner": FLAG, "aged_80_plus": FLAG, "pregnant": FLAG,
    "dialysis": FLAG, "disabled": FLAG, "infant": FLAG,
    "dose": Domain(low=1, high=5, explain="1–5"), "vaccinated_on": EVENT, "vaccine": Domain(max_length=50),
    "ts": EVENT, "color": TEXT, "reason": Domain(max_length=200),
    "lon": Domain(rule="lon"), "lat": Domain(rule="lat"), "source": TEXT, "place_id": COUNT,
    "sample_id": ENTITY, "site_id": COUNT, "hotel_id": COUNT, "lab_id": COUNT, "tube_id": ENTITY,
    "pool_size": Domain(values=tuple(sorted({1, *POLICY.pool_sizes})),
                        explain="/".join(str(n) for n in sorted({1, *POLICY.pool_sizes}))),
    "purpose": TEXT, "round_id": COUNT, "protocol_day": Domain(low=0, high=14, explain="0–14"),
    "sampled_at": EVENT, "received_at": EVENT, "result_at": EVENT, "result": TEXT, "state": TEXT,
    "queue_minutes": Domain(low=0, high=24 * 60, explain="0–1440"), "reported_by": Domain(max_length=50),
    "channel": TEXT, "case_id": CODE, "kind": TEXT, "generation": Domain(low=0, high=100, explain="0–100"),
    "cluster": Domain(max_length=100), "found_by": TEXT, "infector_case": CODE, "onset_date": EVENT,
    "confirmed_at": EVENT, "isolated_at": EVENT, "hop": Domain(low=1, high=3, explain="1–3"),
    "exposure_at": EVENT, "identified_at": EVENT, "subject": TEXT, "dispatched_at": EVENT, "arrived_at": EVENT,
    "vehicle": Domain(max_length=50), "destination": Domain(max_length=200), "notified_at": EVENT,
    "transferred_at": EVENT, "quarantine_start": EVENT, "quarantine_end": PLANNED, "monitoring_end": PLANNED,
    "released_at": EVENT, "outcome": TEXT, "record_id": ENTITY, "topic_id": ENTITY, "dup_group": COUNT,
    "is_primary": FLAG, "verified_at": EVENT, "escalated": FLAG, "appeal_id": ENTITY, "type": TEXT,
    "topic": Domain(max_length=100), "is_emergency": FLAG, "handled_at": EVENT, "replied_at": EVENT,
    "closed_at": EVENT, "rated_at": EVENT, "rating": Domain(low=1, high=5, explain="1–5"), "zone_id": ENTITY,
    "tier": TEXT, "geometry": Domain(max_length=1 << 20), "reason_case_ids": Domain(max_length=100_000),
    "start_at": EVENT, "lifted_at": EVENT, "plan_id": COUNT, "buildings": COUNT, "households": COUNT,
    "owners": COUNT, "place_code": CODE, "site_code": CODE, "samplers": COUNT, "capacity_per_hour": COUNT,
    "open_hour": Domain(low=0, high=23, explain="0–23"), "close_hour": Domain(low=1, high=24, explain="1–24"),
    "rooms": ENTITY, "depot_id": ENTITY, "capacity_tonnes": COUNT,
}


def one_of(*values: str) -> Domain:
    return Domain(max_length=max(len(v) for v in values), values=values, explain="/".join(values))


@dataclass(frozen=True)
class Layout:
    """The columns a file for `table` carries: required ones first, then optional ones; the
    business key a row may appear under only once in a file (none: an identical row may not
    appear twice); domains of this table's own."""

    table: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    key: tuple[str, ...] = ()
    own: dict[str, Domain] = field(default_factory=dict, compare=False, hash=False)

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    def domain(self, column: str) -> Domain:
        """The column's domain in this table; KeyError for a column declared nowhere."""
        return self.own[column] if column in self.own else DOMAINS[column]


def _layout(table: str, required: str, optional: str = "", key: str = "", **own: Domain) -> Layout:
    return Layout(table, tuple(required.split()), tuple(optional.split()), tuple(key.split()), own)


LAYOUTS = {layout.table: layout for layout in [
    _layout("person", "person_id id_number name sex birth_date community_code",
            "phone compound_id household_id is_owner aged_80_plus pregnant dialysis disabled infant",
            key="person_id"),
    _layout("vaccination", "person_id dose vaccinated_on vaccine community_code", key="person_id dose",
            vaccinated_on=Domain(earliest="2020-07-01")),  # emergency use began in July 2020
    _layout("health_code_change", "person_id ts color community_code", "reason"),
    _layout("trajectory_point", "person_id ts lon lat source community_code", "place_id"),
    _layout("sample", "sample_id person_id tube_id pool_size purpose sampled_at result community_code",
            "site_id hotel_id lab_id round_id protocol_day received_at result_at", key="sample_id"),
    _layout("site_status_report", "site_id ts state channel community_code", "queue_minutes reported_by",
            channel=one_of("mini_program", "command", "auto")),
    _layout("case_record", "case_id person_id kind sampled_at confirmed_at isolated_at community_code",
            "generation cluster found_by infector_case onset_date", key="case_id",
            found_by=one_of("index", "quarantine_test", "mass_testing")),
    _layout("contact_edge", "case_id from_person_id to_person_id hop found_by exposure_at identified_at "
            "community_code", "place_id"),
    _layout("transfer", "person_id subject dispatched_at arrived_at community_code",
            "case_id vehicle destination hotel_id"),
    _layout("control_episode", "person_id kind identified_at notified_at quarantine_start quarantine_end "
            "outcome community_code", "case_id transferred_at monitoring_end released_at hotel_id",
            outcome=one_of("released", "became_case", "in_progress")),
    _layout("screening_record", "record_id topic_id raw_id_number district_code",
            "raw_name raw_phone person_id dup_group is_primary community_code dispatched_at verified_at "
            "outcome escalated", key="record_id", person_id=COUNT),  # 0: matched to no one
    _layout("appeal", "appeal_id channel type topic received_at community_code",
            "is_emergency dispatched_at handled_at replied_at closed_at rated_at rating", key="appeal_id",
            channel=one_of("hotline", "web", "wechat", "mayor_mailbox")),
    _layout("risk_zone", "zone_id tier name district_code community_code start_at",
            "compound_id geometry reason_case_ids lifted_at plan_id", key="zone_id"),
    _layout("compound", "compound_id community_code name lon lat", "buildings households owners",
            key="compound_id", compound_id=ENTITY),
    _layout("place", "place_id place_code community_code name kind lon lat", key="place_id",
            place_id=ENTITY, kind=Domain(max_length=32)),
    _layout("sampling_site", "site_id site_code community_code name kind lon lat",
            "samplers capacity_per_hour open_hour close_hour", key="site_id",
            site_id=ENTITY, kind=one_of("fixed", "temporary", "mobile")),
    _layout("quarantine_hotel", "hotel_id community_code name lon lat rooms", key="hotel_id", hotel_id=ENTITY),
    _layout("supply_depot", "depot_id community_code name kind lon lat", "capacity_tonnes", key="depot_id",
            kind=Domain(max_length=32)),
]}

PROVENANCE = ("src_department", "src_category", "batch_id", "source_row")
