"""The paper form's instructions and check-forms' explanation: when each page is asked and where
each route goes, in plain words, worked out once here for the printouts, paper keying and check-forms."""

from __future__ import annotations

from .conditions import AnyOf
from .messages import Message, N_, joined


def route_messages(form, page) -> list[tuple]:
    """``(route, Message)`` for each destination of ``page``'s routes, in order.

    Routes with the same destination are said once ("If you answered ‘A’ or ‘B’, go to question 9";
    conditions joined with "or"), in the words of :meth:`Route.describe`.
    """
    grouped: dict[tuple, list] = {}
    for route in page.routes:
        grouped.setdefault((route.goto, route.exit), []).append(route)
    messages = []
    for routes in grouped.values():
        first = routes[0]
        if len(routes) == 1:
            message = first.describe(form, page)
        elif all(route.if_value is not None for route in routes):
            message = first.describe(form, page, answers=tuple(route.if_value for route in routes))
        else:
            message = first.describe(form, page, condition=AnyOf(tuple(route.condition for route in routes)))
        messages.append((first, message))
    return messages


def page_conditions(form) -> dict[str, Message]:
    """The paper's "Only answer … if …" for each page that has one, by page id: said once for a run
    of pages that share a condition ("Only answer questions 12 to 19 if …"), and not again on the
    pages of that run after the first (they are in the dict with ``None``)."""
    found: dict[str, Message | None] = {}
    pages = form.pages
    index = 0
    while index < len(pages):
        page = pages[index]
        if page.show_if is None:
            index += 1
            continue
        run = [page]
        while index + len(run) < len(pages) and pages[index + len(run)].show_if == page.show_if \
                and pages[index + len(run)].section == page.section:
            run.append(pages[index + len(run)])
        numbers = [form.number_of(q.id) for p in run for q in p.questions if q.numbered]
        if len(run) > 1 and len(numbers) > 1:
            found[page.id] = page.show_if.describe(form, numbers=(numbers[0], numbers[-1]))
            found.update({later.id: None for later in run[1:]})
        else:
            for one in run:
                found[one.id] = one.show_if.describe(form, section=one.is_repeat or len(one.questions) > 1)
        index += len(run)
    return found


BOUND_WORDS = {
    "today": N_("today"),
    "start_of_financial_year": N_("the start of this financial year (1 April)"),
    "start_of_tax_year": N_("the start of this tax year (6 April)"),
}


def question_limits(question) -> list[Message]:
    """What the paper form says beside a question about the answers it takes, as the screen checks
    them: a date's bounds ("The date must be today or earlier"), an example of a pattern's format."""
    options = question.options
    said = []
    if question.type == "date":
        if options.get("today_or_earlier"):
            said.append(Message(N_("The date must be today or earlier")))
        if options.get("within_months"):
            said.append(Message(N_("The date must be from today to {months} months from today"),
                                {"months": options["within_months"]}))
        for key, template in (("not_before", N_("The date must not be before {date}")),
                              ("not_after", N_("The date must not be after {date}"))):
            if options.get(key):
                said.append(Message(template, {"date": _bound_words(options[key])}))
    elif question.type == "text" and options.get("example"):
        said.append(Message(N_("For example: {example}"), {"example": options["example"]}))
    return said


def _bound_words(value: str):
    if value in BOUND_WORDS:
        return BOUND_WORDS[value]
    import datetime as dt

    from .questions_date import long_date

    return long_date(dt.date.fromisoformat(value))


def rule_instructions(form, page) -> list[Message]:
    """What the paper says under a page about its rules across answers: "Answer at least one of
    questions 10 and 11" (a ``must`` rule is checked when the form is keyed in, with its own message)."""
    said = []
    for rule in page.rules:
        if rule.kind == "at_least_one_of":
            numbers = joined([form.number_of(qid) for qid in rule.questions], N_("{first} and {rest}"))
            said.append(Message(N_("Answer at least one of questions {numbers}"), {"numbers": numbers}))
    return said


def explain_form(form) -> list[str]:
    """Every page's conditions, routes and rules in plain English, as the paper form says them
    (``assist check-forms --explain``)."""
    lines = [f"{form.title} ({form.id}, version {form.version})"]
    conditions = page_conditions(form)
    for page in form.pages:
        numbers = [form.number_of(q.id) for q in page.questions if q.numbered]
        where = (f"question {numbers[0]}" if len(numbers) == 1 else
                 f"questions {numbers[0]} to {numbers[-1]}" if numbers else "no numbered questions")
        kind = "repeating group " if page.is_repeat else ""
        lines.append(f"- {kind}page '{page.id}' ({where}): {page.heading}")
        if page.show_if is not None:
            said = conditions.get(page.id)
            lines.append("    " + (said.render() if said else page.show_if.describe(form).render()))
        for question in page.questions:
            if question.required_if is not None:
                lines.append(f"    Question {form.number_of(question.id)} must be answered if "
                             f"{question.required_if.words(form).render()}")
        for rule in page.rules:
            if rule.kind == "must":
                lines.append(f"    Must be true: {rule.condition.words(form).render()} "
                             f"(otherwise: “{rule.message(form).render()}”)")
            else:
                lines.append(f"    At least one of questions "
                             f"{', '.join(str(form.number_of(q)) for q in rule.questions)} must be answered "
                             f"(otherwise: “{rule.message(form).render()}”)")
        for _route, message in route_messages(form, page):
            lines.append("    " + message.render())
    lines.append("- then check answers")
    return lines
