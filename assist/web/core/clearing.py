"""The page that comes before anything deletes answers not yet sent (Finish and clear, Sign out):
what will be deleted, "Save and carry on later" for each form, and the way back to it."""

from __future__ import annotations

from flask import render_template, request, url_for

from .app import forms
from .resident import unsent_drafts


def needs_confirming() -> bool:
    """Whether this POST would delete answers not yet sent, and the visitor has not confirmed it yet
    (then the view redirects to its confirmation page, a GET, so Back never re-posts)."""
    return request.form.get("confirmed") != "yes" and bool(unsent_drafts())


def _journey_url(form, journey: dict) -> str:
    last = journey.get("last_page")
    if last and last in {page.id for page in form.pages}:
        return url_for("journey.page", form_id=form.id, page_id=last)
    return url_for("journey.start", form_id=form.id)


def confirm_clear_page(*, heading: str, warning: str, nothing_lost: str, save_advice: str, confirm: str,
                       action: str):
    """The confirmation page, posting ``confirmed=yes`` to ``action`` when the visitor goes ahead:
    ``warning`` when answers not yet sent would be deleted, else ``nothing_lost``."""
    drafts = []
    for journey in unsent_drafts():
        form = forms().get(journey["form_id"])
        if form is not None:
            back = _journey_url(form, journey)
            drafts.append({"form": form, "back_url": back,
                           "save_url": url_for("carry_on.save", form_id=form.id, back=back)})
    back_url = drafts[0]["back_url"] if len(drafts) == 1 else None
    return render_template("confirm_clear.html", heading=heading, warning=warning if drafts else nothing_lost,
                           save_advice=save_advice,
                           confirm=confirm, action=action, drafts=drafts, back_url=back_url)
