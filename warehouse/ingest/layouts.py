"""What a department file must hold for each theme table: its columns, which are required, and
the header names accepted for them (the table's own column name, or the Chinese label that
government exports use). Types come from the warehouse schema itself, so a layout never
disagrees with the table it feeds."""

from __future__ import annotations

from dataclasses import dataclass

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
class Layout:
    """The columns a file for `table` carries: required ones first, then optional ones."""

    table: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


def _layout(table: str, required: str, optional: str = "") -> Layout:
    return Layout(table, tuple(required.split()), tuple(optional.split()))


LAYOUTS = {layout.table: layout for layout in [
    _layout("person", "person_id id_number name sex birth_date community_code",
            "phone compound_id household_id is_owner aged_80_plus pregnant dialysis disabled infant"),
    _layout("vaccination", "person_id dose vaccinated_on vaccine community_code"),
    _layout("health_code_change", "person_id ts color community_code", "reason"),
    _layout("trajectory_point", "person_id ts lon lat source community_code", "place_id"),
    _layout("sample", "sample_id person_id tube_id pool_size purpose sampled_at result community_code",
            "site_id hotel_id lab_id round_id protocol_day received_at result_at"),
    _layout("site_status_report", "site_id ts state channel community_code", "queue_minutes reported_by"),
    _layout("case_record", "case_id person_id kind sampled_at confirmed_at isolated_at community_code",
            "generation cluster found_by infector_case onset_date"),
    _layout("contact_edge", "case_id from_person_id to_person_id hop found_by exposure_at identified_at "
            "community_code", "place_id"),
    _layout("transfer", "person_id subject dispatched_at arrived_at community_code",
            "case_id vehicle destination hotel_id"),
    _layout("control_episode", "person_id kind identified_at notified_at quarantine_start quarantine_end "
            "outcome community_code", "case_id transferred_at monitoring_end released_at hotel_id"),
    _layout("screening_record", "record_id topic_id raw_id_number district_code",
            "raw_name raw_phone person_id dup_group is_primary community_code dispatched_at verified_at "
            "outcome escalated"),
    _layout("appeal", "appeal_id channel type topic received_at community_code",
            "is_emergency dispatched_at handled_at replied_at closed_at rated_at rating"),
    _layout("risk_zone", "zone_id tier name district_code community_code start_at",
            "compound_id geometry reason_case_ids lifted_at plan_id"),
    _layout("compound", "compound_id community_code name lon lat", "buildings households owners"),
    _layout("place", "place_id place_code community_code name kind lon lat"),
    _layout("sampling_site", "site_id site_code community_code name kind lon lat",
            "samplers capacity_per_hour open_hour close_hour"),
    _layout("quarantine_hotel", "hotel_id community_code name lon lat rooms"),
    _layout("supply_depot", "depot_id community_code name kind lon lat", "capacity_tonnes"),
]}

PROVENANCE = ("src_department", "src_category", "batch_id", "source_row")
