from admin_support import people, sign_in_at, session, ADMIN_ID  # noqa: F401
from assisted_support import app, client, clock, store  # noqa: F401


def test_pages_render(client, people, clock):
    session(people, clock, "blue-badge", outcome="submitted", pages=["who-for", "lives-in-area"])
    session(people, clock, "blue-badge", outcome="cleared", pages=["who-for"])
    sign_in_at(client, ADMIN_ID)
    for url in ["/admin/", "/admin/submissions", "/admin/helpers", "/admin/venues", "/admin/forms", "/admin/audit",
                "/admin/retention", "/admin/report", "/admin/helpers/new", "/admin/dashboard.csv",
                "/admin/audit.csv", "/admin/report.pdf?month=2026-11"]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code, r.get_data(as_text=True)[:3000])
