"""自助分析: pick a table from the catalogue, conditions, groups and measures; preview under your
own jurisdiction; save and share named filters; export CSV/XLSX, masked and audited."""

import streamlit as st

from portal import exports, ui
from portal.adhoc import adhoc, adhoc_form, saved_filters
from portal.adhoc.adhoc import DATE, DATETIME, ENUM, FLAG, OPERATOR_LABELS, AnalysisRefused, operators_for
from portal.adhoc.catalogue import KIND_LABELS, TABLES
from portal.data import page_context

identity, settings, span, run = page_context()
st.title("自助分析")
if not adhoc.may_use(identity):
    st.error(adhoc.REFUSED)
    st.stop()
state = st.session_state
state.setdefault("ah-rows", [])
where = f"本辖区（{identity.scope}）" if identity.scope else "全市"
st.caption(f"查询范围：{where}，由登录身份决定，任何筛选都不能改变。无需编写查询语句：选择数据表、条件、分组与统计后预览；"
           "姓名、身份证号码和手机号码脱敏显示。")


def open_saved(filter_id: int) -> None:
    try:
        d = saved_filters.load(identity, filter_id)
    except AnalysisRefused as exc:
        state["ah-message"] = str(exc)
        return
    adhoc_form.load_into(state, d)
    state["ah-def"] = d


def delete_saved(filter_id: int) -> None:
    try:
        saved_filters.remove(identity, filter_id)
    except AnalysisRefused as exc:
        state["ah-message"] = str(exc)


def share_saved(filter_id: int, shared: bool) -> None:
    try:
        saved_filters.share(identity, filter_id, shared)
    except AnalysisRefused as exc:
        state["ah-message"] = str(exc)


with st.expander("已保存的筛选（我的与共享的）", expanded=False):
    listed = saved_filters.listed(identity)
    if listed.empty:
        st.caption("还没有保存的筛选。设置好条件后，可在页面下方保存并共享。")
    else:
        labels = {int(r.filter_id): f"{r.name}（{'我的' if r.mine else r.owner + ' 共享'}{'，已共享' if r.mine and r.shared else ''}）"
                  for r in listed.itertuples()}
        chosen = st.selectbox("筛选", list(labels), format_func=labels.get, key="ah-saved")
        row = listed.loc[listed["filter_id"] == chosen].iloc[0]
        c1, c2, c3 = st.columns(3)
        c1.button("打开", key="ah-open", on_click=open_saved, args=(chosen,), width="stretch")
        if bool(row["mine"]):
            c2.button("取消共享" if row["shared"] else "共享", key="ah-share", on_click=share_saved,
                      args=(chosen, not row["shared"]), width="stretch")
            c3.button("删除", key="ah-delete", on_click=delete_saved, args=(chosen,), width="stretch")
if state.get("ah-message"):
    st.error(state.pop("ah-message"))

st.markdown("##### 1. 数据表")
names = list(TABLES)
if state.get("ah-table") not in TABLES:
    state["ah-table"] = names[0]
st.selectbox("数据表", names, format_func=lambda n: TABLES[n].label, key="ah-table",
             on_change=adhoc_form.reset, args=(state,))
table = TABLES[state["ah-table"]]
if table.note:
    st.caption(table.note)
with st.expander(f"字段目录：{table.label}（{len(table.fields)} 个字段）"):
    ui.table(adhoc_form.catalogue_frame(table), hide_index=True, width="stretch",
             height=ui.fit_height(adhoc_form.catalogue_frame(table), 420))
labels = {f.name: f.label for f in table.fields}
filterable = [f.name for f in table.fields if not f.personal or identity.can_unmask]

st.markdown("##### 2. 条件")


def add_row() -> None:
    i = max([state.get("ah-next", 0), *[r + 1 for r in state["ah-rows"]]])
    state["ah-next"] = i + 1
    state["ah-rows"] = [*state["ah-rows"], i]


def drop_row(i: int) -> None:
    state["ah-rows"] = [r for r in state["ah-rows"] if r != i]


for i in state["ah-rows"]:
    c1, c2, c3, c4 = st.columns([3, 2, 4, 1], vertical_alignment="bottom")
    if state.get(f"ah-f{i}-field") not in filterable:
        state[f"ah-f{i}-field"] = filterable[0]
    name = c1.selectbox("字段", filterable, format_func=labels.get, key=f"ah-f{i}-field")
    f = table.field(name)
    ops = operators_for(f)
    if state.get(f"ah-f{i}-op") not in ops:
        state[f"ah-f{i}-op"] = ops[0]
    op = c2.selectbox("运算", ops, format_func=OPERATOR_LABELS.get, key=f"ah-f{i}-op")
    with c3:
        if op == "is_empty":
            st.caption("无需填写值")
        elif f.kind == ENUM and op == "in":
            if not isinstance(state.get(f"ah-f{i}-v"), list):
                state[f"ah-f{i}-v"] = []
            st.multiselect("值", list(f.choices), format_func=f.choices.get, key=f"ah-f{i}-v", placeholder="选择一个或多个")
        elif f.kind in (ENUM, FLAG):
            options = list(f.choices) if f.kind == ENUM else ["是", "否"]
            if state.get(f"ah-f{i}-v") not in options:
                state[f"ah-f{i}-v"] = options[0]
            st.selectbox("值", options, format_func=(f.choices.get if f.kind == ENUM else str), key=f"ah-f{i}-v")
        elif op == "in":
            if not isinstance(state.get(f"ah-f{i}-v"), str):
                state[f"ah-f{i}-v"] = ""
            st.text_area("值（每行一个）", key=f"ah-f{i}-v", height=80)
        else:
            hint = {DATE: "如 2022-03-01", DATETIME: "如 2022-03-01 或 2022-03-01 08:30"}.get(f.kind, KIND_LABELS[f.kind])
            if not isinstance(state.get(f"ah-f{i}-v"), str):
                state[f"ah-f{i}-v"] = ""
            if op == "between":
                a, b = st.columns(2)
                if not isinstance(state.get(f"ah-f{i}-v2"), str):
                    state[f"ah-f{i}-v2"] = ""
                a.text_input("从", key=f"ah-f{i}-v", placeholder=hint)
                b.text_input("到", key=f"ah-f{i}-v2", placeholder=hint)
            else:
                st.text_input("值", key=f"ah-f{i}-v", placeholder=hint)
    c4.button("删除", key=f"ah-f{i}-drop", on_click=drop_row, args=(i,))
st.button("＋ 添加条件", key="ah-add", on_click=add_row)

st.markdown("##### 3. 分组与统计")
groupable = [f.name for f in table.fields if not f.personal]
measures = adhoc_form.measure_options(table)
c1, c2 = st.columns(2)
c1.multiselect("分组字段", groupable, format_func=labels.get, key="ah-group", placeholder="不分组：列出明细行",
               max_selections=adhoc.MAX_GROUPS)
c2.multiselect("统计项", list(measures), format_func=measures.get, key="ah-measures",
               placeholder="分组时默认计数", max_selections=adhoc.MAX_MEASURES)
aggregated = bool(state.get("ah-group") or state.get("ah-measures"))
if not aggregated:
    st.multiselect("列出字段", [f.name for f in table.fields], format_func=labels.get, key="ah-cols",
                   placeholder="全部字段")
outputs = adhoc_form.output_labels(state, table, measures)
if state.get("ah-order") not in outputs:
    state["ah-order"] = ""
c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
c1.selectbox("排序", ["", *outputs], format_func=lambda k: outputs.get(k, "默认顺序"), key="ah-order")
c2.checkbox("降序", key="ah-desc")
unmask = identity.can_unmask and st.checkbox("显示完整个人信息（将记入审计日志）", key="ah-unmask")

if st.button("预览", type="primary", key="ah-preview"):
    state["ah-def"] = adhoc_form.definition(state, table)
    state.pop("ah-unmask-audited", None)

d = state.get("ah-def")
if d:
    try:
        query = adhoc.parse(d, identity)
        result = adhoc_form.cached_fetch(adhoc.canonical(d), identity.scope, span["data_version"],
                                         settings.adhoc_preview_rows, identity.role, identity.can_unmask)
    except AnalysisRefused as exc:
        st.error(str(exc))
        st.stop()
    show_all = bool(unmask and adhoc.has_personal(query))
    if show_all and state.get("ah-unmask-audited") != adhoc.canonical(d):
        adhoc.record_unmask(identity, query, "预览")
        state["ah-unmask-audited"] = adhoc.canonical(d)
    frame = adhoc.shown(query, result.rows, show_all, adhoc_form.cached_unit_names(identity.scope, span["data_version"]))
    unit = "组" if query.group_by else "行"
    st.markdown(f"##### 预览：{query.table.label}")
    if result.capped:
        st.warning(f"共 {result.total:,} {unit}，预览只显示前 {len(frame):,} {unit}（上限 {result.cap:,}）；"
                   f"导出全部最多 {settings.adhoc_export_rows:,} 行。")
    else:
        st.caption(f"共 {result.total:,} {unit}。")
    ui.table(frame, clear=show_all, hide_index=True, width="stretch", height=ui.fit_height(frame, 480))
    ui.computed_note(adhoc_form.now_text())
    stem = f"自助分析_{query.table.label}"
    cap_full = settings.adhoc_export_rows
    c1, c2, c3, c4 = st.columns(4)
    for col, label, fmt, cap in [(c1, "导出预览 CSV", "csv", settings.adhoc_preview_rows),
                                 (c2, "导出预览 XLSX", "xlsx", settings.adhoc_preview_rows),
                                 (c3, "导出全部 CSV", "csv", cap_full), (c4, "导出全部 XLSX", "xlsx", cap_full)]:
        exports.download(col, label, adhoc_form.exporter(identity, d, fmt, cap, show_all), f"{stem}.{fmt}", fmt,
                         f"ah-export-{fmt}-{cap}", record=exports.SELF_AUDITED, on_click="ignore", width="stretch")
    st.caption(f"导出文件与预览相同（个人信息{'未脱敏' if show_all else '已脱敏'}），每次导出都记入审计日志；"
               f"“导出全部”最多 {cap_full:,} 行。")

st.markdown("##### 保存筛选")
with st.form("ah-save-form", clear_on_submit=False):
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    name = c1.text_input("筛选名称", key="ah-save-name", max_chars=None, placeholder="如 锦江区每日新增密接")
    shared = c2.checkbox("共享给其他用户", key="ah-save-shared")
    if st.form_submit_button("保存当前条件"):
        try:
            saved_filters.save(identity, name, adhoc_form.definition(state, table), shared)
        except AnalysisRefused as exc:
            st.error(str(exc))
        else:
            st.success(f"已保存“{ui.text(name.strip())}”{'并共享' if shared else ''}。")
st.caption("共享的筛选只保存条件，不含管辖范围：其他用户打开后，仍只查询他们自己的辖区。")
