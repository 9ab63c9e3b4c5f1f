"""A department file loaded through the portal (the data-sources page's form): exact accounting,
the data version bumped, a second upload adding nothing, a refused file leaving nothing, and
the form shown only to the roles that may load."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingestion_files import FIRST_TEST_PERSON, PERSON_HEADER, forget_loads, person_rows, with_defects
from signing import put_identity
from streamlit.testing.v1 import AppTest

from portal.auth.session import Identity
from portal.command import sources

ROOT = Path(__file__).resolve().parent.parent
FIRST = FIRST_TEST_PERSON + 8000


@pytest.fixture()
def clean(wh):
    yield wh
    forget_loads(wh)


def csv_bytes(rows) -> bytes:
    return ("\n".join(",".join(r) for r in [PERSON_HEADER, *rows]) + "\n").encode("gbk")


def test_an_uploaded_file_loads_with_exact_accounting(clean):
    wh = clean
    communities = [r[0] for r in wh.rows("SELECT code FROM epi.community ORDER BY code LIMIT 5")]
    rows, bad = with_defects(person_rows(40, communities, first=FIRST), every=8)
    version = wh.scalar("SELECT argMax(value, updated_at) FROM epi.dataset_info WHERE key = 'data_version'")

    report = sources.load_upload("PSB-01", "常住人口_上传.csv", csv_bytes(rows))
    assert (report.status, report.read, report.loaded, report.rejected) == ("complete", 40, 35, 5)
    assert wh.scalar("SELECT count() FROM epi.person WHERE person_id >= {p:UInt64} AND batch_id = {b:String}",
                     {"p": FIRST, "b": report.batch_id}) == 35
    assert sorted(r[0] for r in wh.rows("SELECT row_number FROM epi.rejected_row WHERE batch_id = {b:String}",
                                        {"b": report.batch_id})) == sorted(bad)
    assert wh.scalar("SELECT file_name FROM epi.ingest_batch WHERE batch_id = {b:String}",
                     {"b": report.batch_id}) == "常住人口_上传.csv"
    after = wh.scalar("SELECT argMax(value, updated_at) FROM epi.dataset_info WHERE key = 'data_version'")
    assert after != version and after.endswith(report.batch_id)
    assert sources.load_summary(report) == (
        True, f"常住人口_上传.csv 已载入批次 {report.batch_id}：读取 40 行 = 载入 35 行 + 拒收 5 行。")

    again = sources.load_upload("PSB-01", "改名.csv", csv_bytes(rows))
    assert again.status == "already_loaded"
    assert wh.scalar("SELECT count() FROM epi.person WHERE person_id >= {p:UInt64}", {"p": FIRST}) == 35
    assert sources.load_summary(again)[1] == f"改名.csv 此前已载入（批次 {report.batch_id}），未重复写入。"


def test_a_refused_upload_writes_no_rows(clean):
    wh = clean
    report = sources.load_upload("PSB-01", "空文件.csv", b"\n\n")
    assert report.status == "refused"
    ok, line = sources.load_summary(report)
    assert not ok and line.startswith("空文件.csv 未载入：") and line.endswith("请按提示修改文件后重新载入。")
    assert wh.scalar("SELECT count() FROM epi.person WHERE person_id >= {p:UInt64}", {"p": FIRST}) == 0
    assert wh.scalar("SELECT count() FROM epi.rejected_row") == 0


def test_only_city_analysts_and_admins_see_the_load_form(wh):
    for role, shown in (("leadership", False), ("analyst", True), ("admin", True)):
        at = AppTest.from_file(str(ROOT / "pages" / "sources.py"), default_timeout=120)
        put_identity(at, Identity("测试", role, ""))
        at.run()
        assert not at.exception
        assert any(b.label == "载入" for b in at.button) is shown, role
        if shown:
            assert at.selectbox(key="source-load-category").options[0] == sources.category_label("CUSTOMS-01")
            at.button[[b.label for b in at.button].index("载入")].click().run()
            assert [e.value for e in at.error] == ["请先选择要载入的文件，再点“载入”。"]
