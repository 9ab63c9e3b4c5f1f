"""数据来源: what the 11 departments have sent — batches, categories and their freshness, rows
loaded and rejected, and each rejected row with its reason."""

import streamlit as st

from portal import ui
from portal.auth import access
from portal.command import sources
from portal.data import page_context
from portal.people import masking

identity, settings, span, run = page_context()

st.title("数据来源")
if not access.may_open(identity, "sources.py"):
    st.info(access.CITY_ONLY_REFUSAL)
    st.stop()

fresh = sources.freshness(run, settings)
batches = run("sources/batches")
depts = sources.by_department(fresh)
fed = int((fresh["state"] != "never").sum())
stale = int((fresh["state"] == "stale").sum())

done = batches[batches["status"] == "complete"]
ui.phone_friendly_kpis()
with st.container(key="kpis"):
    cols = st.columns(5)
    # the longest figure last: on a phone it gets the full width
    for col, label, value in zip(cols, ["报送部门（个）", "业务类别（类）", "数据批次（批）", "拒收行数（行）", "载入行数（行）"],
                                 [len(depts), len(fresh), len(batches), done["rows_rejected"].sum(), done["rows_loaded"].sum()]):
        col.metric(label, ui.fmt(value), border=True)
st.caption(f"{len(fresh)} 个业务类别中 {fed} 个已有文件载入，{stale} 个超时未更新。每个批次：读取行数 = 载入行数 + "
           "拒收行数；同一文件再次载入不会重复写入，中断的载入再次运行会从中断处续传。")
line = sources.stale_line(run, settings)
if line:
    st.warning(line)

st.markdown("#### 各部门报送情况")
shown = sources.department_table(depts)
ui.table(shown, hide_index=True, width="stretch", height=ui.fit_height(shown, 500))

st.markdown(f"#### 业务类别与时效（超过 {settings.feed_stale_hours} 小时无新批次视为超时）")
names = dict(zip(depts["department_code"], depts["department"]))
chosen = st.selectbox("部门", ["", *names], format_func=lambda c: names.get(c, "全部部门"))
cats = sources.category_table(fresh, chosen)
ui.table(cats, hide_index=True, width="stretch", height=ui.fit_height(cats))
ui.download_buttons(cats, "数据来源_业务类别", "categories")

st.markdown("#### 数据批次")
if batches.empty:
    st.info("尚无文件批次。部门报送的 CSV、XLSX、Parquet 或 JSON lines 文件由数据分析员在本页下方载入，"
            "或由运维人员按运维文档中的数据载入说明批量载入。")
else:
    listed = sources.batch_table(batches)
    ui.table(listed, hide_index=True, width="stretch", height=ui.fit_height(listed))
    ui.download_buttons(listed, "数据来源_批次", "batches")

    with_rejects = batches[batches["rows_rejected"] > 0]
    if not with_rejects.empty:
        st.markdown("#### 拒收行")
        labels = {r.batch_id: f"{r.file_name} · {r.category} · 拒收 {ui.fmt(r.rows_rejected)} 行"
                  for r in with_rejects.itertuples()}
        batch = st.selectbox("批次", list(labels), format_func=labels.get)
        rejects_read = run.result("sources/rejects", batch=batch)
        if rejects_read.truncated:
            st.caption(f"只列出前 {len(rejects_read.frame):,} 行；完整清单可下载。")
        clear = masking.reveal(identity, "rejects", f"batch:{batch}",
                               f"拒收行（批次 {batch}）：{len(rejects_read.frame):,} 行原始内容")
        category = with_rejects.set_index("batch_id").loc[batch, "category_code"]
        rejects = sources.reject_table(rejects_read.frame, category, clear)
        if not clear:
            st.caption("原始内容中的姓名、身份证号码与电话号码已脱敏。")
        ui.table(rejects, clear, hide_index=True, width="stretch", height=ui.fit_height(rejects))
        ui.download_buttons(rejects, f"拒收行_{batch}", "rejects", clear)
ui.computed_note(run.computed())

if identity.role in sources.LOADING_ROLES:
    st.markdown("#### 载入部门文件")
    st.caption("CSV（UTF-8 或 GBK）、XLSX、Parquet 或 JSON lines，表头为字段名或中文名。逐块校验，不合格的行记入拒收行；"
               "同一文件再次载入不会重复写入。载入期间其他用户照常浏览，数字在载入完成后一并更新。")
    if done_line := st.session_state.pop("source-load-result", None):
        (st.success if done_line[0] else st.error)(done_line[1])
    with st.form("source-load", clear_on_submit=True):
        code = st.selectbox("业务类别", list(sources.LOADABLE), format_func=sources.category_label, key="source-load-category")
        upload = st.file_uploader("文件", type=["csv", "txt", "tsv", "xlsx", "parquet", "jsonl", "ndjson", "json"],
                                  key="source-load-file")
        submitted = st.form_submit_button("载入", type="primary")
    if submitted:
        if upload is None:
            st.error("请先选择要载入的文件，再点“载入”。")
        else:
            with st.spinner(f"正在载入 {upload.name}…"):
                report = sources.load_upload(code, upload.name, upload.getvalue())
            st.session_state["source-load-result"] = sources.load_summary(report)
            st.rerun()
