"""Browser: ask → similar suggestions → answer → useful → group → proposal → report, axe-clean."""

import pytest

from tests.support.browser import assert_accessible, follow
from werkbrug.ambassadors import services
from werkbrug.ambassadors.models import Question, Topic
from werkbrug.core.choices import OrganisationType, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(region, make_org, make_person):
    uwv = make_org(OrganisationType.UWV, "UWV Browser")
    ggz = make_org(OrganisationType.GGZ, "GGZ Browser")
    admin = make_person(ggz, Role.REGION_ADMIN, username="demo.rita")
    anna = make_person(uwv, Role.AMBASSADOR, username="demo.anna", first_name="Anna", last_name="Ambassadeur")
    jan = make_person(ggz, Role.JOBCOACH, username="demo.jan", first_name="Jan", last_name="Jobcoach")
    olga = make_person(ggz, Role.JOBCOACH, username="demo.olga")
    services.ambassador_appoint(person=anna, appointed_by=admin)
    topic = Topic.objects.create(region=region, name="Uitkeringen en regels")
    earlier = services.question_ask(asked_by=olga, organisation=uwv, topic=topic,
                                    text="Hoe wordt loon verrekend met een WIA-uitkering als iemand parttime werkt?")
    services.question_answer(question=earlier, author=anna, text="UWV trekt 70 procent van het loon af.")
    services.question_publish(question=earlier, person=anna, public_question="Hoe wordt loon verrekend met de WIA-uitkering bij parttime werk?",
                              public_answer="UWV trekt 70 procent van het loon af.")
    services.question_ask(asked_by=olga, organisation=uwv, topic=topic, text="WIA-uitkering en parttime loon: hoe gaat de verrekening?")
    return {"anna": anna, "jan": jan, "uwv": uwv, "topic": topic}


def test_ask_answer_rate_group_propose_report(page, sign_in, setup):
    sign_in(setup["jan"])
    page.goto("/ambassadors/")
    assert_accessible(page)
    follow(page.get_by_role("link", name="Vraag stellen").first)
    page.get_by_label("Aan welke organisatie stel je de vraag?").select_option(str(setup["uwv"].pk))
    page.get_by_label("Onderwerp").select_option(str(setup["topic"].pk))
    page.get_by_label("Je vraag").fill("Mijn cliënt gaat parttime werken naast de WIA-uitkering. Hoe wordt het loon verrekend?")
    page.locator("#suggestions").wait_for()  # shown while typing, by ask.js
    assert "70 procent" in page.locator("#suggestions").inner_text()
    assert_accessible(page)
    follow(page.get_by_role("button", name="Vraag versturen"))
    page.wait_for_url("**/ambassadors/questions/*/")
    assert_accessible(page)
    question = Question.objects.filter(asked_by=setup["jan"]).get()

    sign_in(setup["anna"])
    page.goto(f"/ambassadors/questions/{question.pk}/")
    page.locator("#id_answer-text").fill("Het loon wordt voor 70 procent verrekend met de WGA-uitkering.")
    follow(page.get_by_role("button", name="Antwoord versturen"))
    page.get_by_text("Je antwoord is opgeslagen.").wait_for()
    assert_accessible(page)

    sign_in(setup["jan"])
    page.goto(f"/ambassadors/questions/{question.pk}/")
    follow(page.get_by_role("button", name="Nuttig", exact=True))
    page.get_by_text("Bedankt voor je beoordeling.").wait_for()
    assert_accessible(page)

    sign_in(setup["anna"])
    page.goto("/ambassadors/groups/")
    follow(page.get_by_role("button", name="Alle vragen opnieuw groeperen"))
    page.get_by_text("Vragen opnieuw gegroepeerd").wait_for()
    assert_accessible(page)
    follow(page.get_by_role("link", name="Voorstel opstellen").first)
    assert_accessible(page)
    page.get_by_label("Titel").fill("Rekenhulp voor loon naast een WIA-uitkering")
    page.get_by_label("Probleem").fill("Steeds dezelfde vraag over verrekening.")
    page.get_by_label("Betrokken werkproces").fill("Verrekening van inkomsten")
    page.get_by_label("Voorstel", exact=True).fill("Eén rekenhulp en één aanspreekpunt.")
    page.get_by_label("Voor wie").select_option("portfolio_holders")
    follow(page.get_by_role("button", name="Opslaan als concept"))
    page.get_by_text("Het voorstel is opgeslagen als concept.").wait_for()
    assert "3" in page.locator("dl.facts").inner_text()  # supporting questions of the group
    assert_accessible(page)

    page.goto("/ambassadors/report/")
    assert page.locator("svg").count() >= 2
    assert_accessible(page)


def test_appoint_an_ambassador_and_choose_stand_ins(page, sign_in, setup, make_person):
    from werkbrug.ambassadors.models import Ambassador
    from werkbrug.core.models import User

    bert = make_person(setup["uwv"], Role.AMBASSADOR, username="demo.bert", first_name="Bert", last_name="Tweede")
    sign_in(User.objects.get(username="demo.rita"))
    page.goto("/ambassadors/people/")
    assert_accessible(page)
    page.get_by_label("Professional").select_option(str(bert.pk))
    page.get_by_label("Volgorde (lager wordt eerst gevraagd)").fill("1")
    follow(page.get_by_role("button", name="Benoemen"))
    page.get_by_text("Bert Tweede is nu ambassadeur.").wait_for()
    assert Ambassador.objects.filter(person=bert, active=True).exists()

    sign_in(setup["anna"])
    page.goto("/ambassadors/people/")
    page.get_by_text("Vervangers kiezen").first.click()
    page.get_by_label("Bert Tweede").check()
    assert_accessible(page)
    follow(page.get_by_role("button", name="Opslaan").first)  # the one form opened
    page.get_by_text("De vervangers zijn opgeslagen.").wait_for()
    assert_accessible(page)
    anna = Ambassador.objects.get(person=setup["anna"])
    assert [a.person_id for a in anna.stand_ins.all()] == [bert.pk]
