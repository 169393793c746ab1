"""The comment picker marks a comment that holds personal data (issue 14, item 7): a visible mark and a
tooltip saying what was found and that documents print it masked."""

from __future__ import annotations

import sqlite3

SODI = "sodi-example-2025"
PERSONAL = "박서준 선생님 번호는 010-5555-6666입니다"


def test_the_picker_marks_personal_comments_with_a_tooltip(demo_ws_path, qtbot):
    from schoolvault.ui.pages.comment_picker import PERSONAL_MARK, CommentPickerPage
    c = sqlite3.connect(demo_ws_path)
    cid = c.execute("SELECT c.id FROM comments c JOIN respondents r ON r.id = c.respondent_id JOIN administrations a "
                    "ON a.id = r.administration_id JOIN instruments i ON i.id = a.instrument_ref "
                    "WHERE i.instrument_id = ? AND a.grp = '교원' ORDER BY c.id LIMIT 1", (SODI,)).fetchone()[0]
    c.execute("UPDATE comments SET text = ?, personal = 1 WHERE id = ?", (PERSONAL, cid))
    c.commit()
    c.close()
    p = CommentPickerPage(str(demo_ws_path))
    qtbot.addWidget(p)
    p.show()
    qtbot.waitUntil(lambda: p.survey.count() > 0 and p.idle, timeout=10000)
    p.survey.setCurrentIndex(next(k for k in range(p.survey.count()) if p.survey.itemData(k)["id"] == SODI))
    p.group.setCurrentIndex(p.group.findData("교원"))
    qtbot.waitUntil(lambda: p.idle and p.list.count() > 0, timeout=10000)
    items = [p.list.item(i) for i in range(p.list.count())]
    marked = [it for it in items if it.text().startswith(PERSONAL_MARK)]
    assert len(marked) == 1 and PERSONAL in marked[0].text()
    assert "전화번호" in marked[0].toolTip() and "이름" in marked[0].toolTip() and "가려서" in marked[0].toolTip()
    assert all(not it.text().startswith(PERSONAL_MARK) for it in items if it is not marked[0])
    assert "개인정보가 보이는 의견 1개" in p.count.text()
