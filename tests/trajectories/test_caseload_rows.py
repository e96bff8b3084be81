"""The caseload table's rows written in Python show exactly what the template wrote before."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from werkbrug.trajectories.templatetags.caseload import caseload_rows
from werkbrug.trajectories.views import PLAN_TAGS

# the rows as the template language wrote them, kept here as the reference
REFERENCE = Template("""{% for t in page %}<tr>
  <th scope="row"><a href="{{ t.url }}">{{ t.client.full_name }}</a></th>
  <td>{{ t.client.pseudonym }}</td>
  <td>{{ t.ips_phase_shown|default:"—" }}</td>
  <td>{{ t.next_action_due_shown|default:"—" }}</td>
  <td class="num">{{ t.open_signals|default:"0" }}</td>
  <td>{% if t.plan_tag %}<span class="tag tag--{{ t.plan_tag.modifier }}">{{ t.plan_tag.label }}</span>{% else %}—{% endif %}</td>
  <td>{{ t.plan_director_shown }}</td>
  <td>{{ t.started_on_shown }}</td>
</tr>{% endfor %}""")


def _row(name, *, state=None, phase="", due="", signals=0, director="Jet Coach", url="/trajectories/1/"):
    return SimpleNamespace(
        url=url, client=SimpleNamespace(full_name=name, pseudonym="K-1234"), ips_phase_shown=phase,
        next_action_due_shown=due, open_signals=signals, plan_tag=PLAN_TAGS.get(state),
        plan_director_shown=director, started_on_shown=date(2026, 3, 1).strftime("%-d %b %Y"),
    )


ROWS = [
    _row("Sam de Vries", state="agreed", phase="Zoeken naar werk", due="4 dec 2026", signals=3),
    _row('Ö\'Brien <script>alert("x")</script> & Zn', state="none", director="<b>Jij</b>", url="/t/?a=1&b=2"),
    _row("Anne_Marie Zand", state="awaiting", signals=None),
    _row("Lege Velden", state="unknown", phase=None, due=None),
]


@pytest.mark.parametrize("rows", [ROWS, ROWS[:1], []])
def test_the_rows_are_the_templates_rows(rows):
    assert caseload_rows(rows) == REFERENCE.render(Context({"page": rows}))


def test_every_value_is_escaped():
    html = caseload_rows(ROWS[1:2])
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;Jij&lt;/b&gt;" in html
    assert 'href="/t/?a=1&amp;b=2"' in html
