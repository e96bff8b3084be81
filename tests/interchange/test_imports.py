"""Imports for getting started: organisations, people with roles, clients with consent evidence."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from werkbrug.clients.models import Client, ConsentState
from werkbrug.core.choices import DataCategory, OrganisationType, Role
from werkbrug.core.models import AccessLogRecord, Organisation, User
from werkbrug.interchange.imports import import_table

pytestmark = pytest.mark.django_db


def upload(text: str, name: str = "import.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"))


def xlsx(rows: list[list]) -> SimpleUploadedFile:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("import.xlsx", out.getvalue())


@pytest.fixture
def admin(make_person, make_org):
    return make_person(make_org(OrganisationType.MUNICIPALITY, "Gemeente Beheer"), Role.REGION_ADMIN)


def test_organisations_dry_run_writes_nothing_then_the_import_writes_all(admin):
    text = "naam;soort;korte_naam\nGGZ Oost;ggz;GGZO\nWerkbedrijf Noord;Werkbedrijf (SW);\n"
    before = Organisation.objects.count()
    checked = import_table(actor=admin, kind="organisations", upload=upload(text), dry_run=True)
    assert (checked.errors, checked.created, checked.lines) == ([], 2, 2)
    assert Organisation.objects.count() == before
    done = import_table(actor=admin, kind="organisations", upload=upload(text), dry_run=False)
    assert done.applied and done.created == 2
    assert Organisation.objects.get(name="Werkbedrijf Noord").type == OrganisationType.WORK_COMPANY


def test_one_wrong_line_stops_the_whole_file_with_its_line_number(admin):
    text = "naam,soort\nGoed,ggz\nFout,bakkerij\n,uwv\n"
    result = import_table(actor=admin, kind="organisations", upload=upload(text), dry_run=False)
    assert [(e.line, e.column) for e in result.errors] == [(3, "soort"), (4, "naam")]
    assert "bakkerij" in result.errors[0].message
    assert not Organisation.objects.filter(name="Goed").exists()


def test_people_are_invited_with_roles_and_mailed_only_when_imported(admin, make_org, django_capture_on_commit_callbacks):
    make_org(OrganisationType.UWV, "UWV Oost")
    rows = [["voornaam", "achternaam", "email", "organisatie", "rollen"],
            ["Ina", "Kuiper", "ina@example.org", "UWV Oost", "labour_expert; Ambassadeur"]]
    with django_capture_on_commit_callbacks(execute=True):
        import_table(actor=admin, kind="people", upload=xlsx(rows), dry_run=True)
    assert not User.objects.filter(email="ina@example.org").exists() and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        result = import_table(actor=admin, kind="people", upload=xlsx(rows), dry_run=False)
    assert result.applied
    ina = User.objects.get(email="ina@example.org")
    assert ina.roles == frozenset({Role.LABOUR_EXPERT, Role.AMBASSADOR})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ina@example.org"]


def test_unknown_and_missing_columns_are_named_on_line_1(admin):
    result = import_table(actor=admin, kind="people", upload=upload("voornaam,achternaam,kleur\nA,B,rood\n"),
                          dry_run=True)
    assert {(e.line, e.column) for e in result.errors} == {(1, "email"), (1, "organisatie"), (1, "kleur")}


def test_clients_with_consent_evidence_and_dates_from_excel(team):
    from datetime import date

    rows = [["voornaam", "achternaam", "geboortedatum", "toestemming", "toestemming_wijze", "toestemming_bewijs"],
            ["Mila", "Jansen", date(1991, 3, 4), "plan;signals", "papier", "Formulier 2026-118"],
            ["Noah", "de Vries", "12-11-1988", "", "mondeling", ""]]
    result = import_table(actor=team.jobcoach, kind="clients", upload=xlsx(rows), dry_run=False)
    assert result.applied, result.errors
    mila = Client.objects.get(first_name="Mila")
    assert mila.date_of_birth == date(1991, 3, 4)
    granted = set(ConsentState.objects.filter(client=mila, organisation=team.ggz, granted=True)
                  .values_list("category", flat=True))
    assert granted == {DataCategory.PARTICIPATION, DataCategory.PLAN, DataCategory.SIGNALS}
    assert mila.trajectories.get().plan_director == team.jobcoach
    assert Client.objects.get(first_name="Noah").date_of_birth == date(1988, 11, 12)


def test_paper_consent_needs_its_evidence(team):
    result = import_table(actor=team.jobcoach, kind="clients",
                          upload=upload("voornaam,achternaam,geboortedatum\nMila,Jansen,04-03-1991\n"), dry_run=True)
    assert [(e.line, e.column) for e in result.errors] == [(2, "toestemming_bewijs")]


def test_a_client_line_is_a_logged_known_in_the_region_check_even_in_a_dry_run(team):
    text = (f"voornaam,achternaam,geboortedatum,toestemming_wijze\n"
            f"{team.client.first_name},{team.client.last_name},{team.client.date_of_birth:%d-%m-%Y},mondeling\n")
    result = import_table(actor=team.jobcoach, kind="clients", upload=upload(text), dry_run=True)
    assert [(e.line, e.column) for e in result.errors] == [(2, "voornaam")]
    assert "already be known" in result.errors[0].message or "bekend" in result.errors[0].message
    assert AccessLogRecord.objects.filter(action="client.known_check", actor_id_snapshot=team.jobcoach.pk).count() == 1


def test_the_hourly_limit_of_checks_applies_to_imports(team):
    lines = "".join(f"Naam{i},Achter{i},01-01-1990,mondeling\n" for i in range(25))
    result = import_table(actor=team.jobcoach, kind="clients",
                          upload=upload("voornaam,achternaam,geboortedatum,toestemming_wijze\n" + lines), dry_run=True)
    assert result.errors and result.errors[0].line == 22  # the 21st check is refused (20 per hour)
    assert not Client.objects.filter(first_name__startswith="Naam").exists()


@pytest.mark.parametrize("data", [b"\xff\xfe\x00garbage", b"PK\x03\x04not really a zip", b"a" * (2 * 1024 * 1024 + 1)])
def test_hostile_files_are_refused_without_writing(admin, data):
    result = import_table(actor=admin, kind="organisations", upload=SimpleUploadedFile("x.csv", data), dry_run=False)
    assert result.errors and result.errors[0].line == 0 and result.created == 0


def test_formula_escaped_cells_come_back_as_text(admin):
    result = import_table(actor=admin, kind="organisations", upload=upload("naam,soort\n'=Bedrijf,ggz\n"), dry_run=False)
    assert result.applied
    assert Organisation.objects.filter(name="=Bedrijf").exists()


def test_who_may_import_what(as_user, team, admin):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_table(actor=team.jobcoach, kind="organisations", upload=upload("naam,soort\nX,ggz\n"), dry_run=True)
    page = as_user(team.jobcoach).get("/interchange/import/").content.decode()
    assert '<option value="clients">Cliënten, met hun toestemming</option>' in page
    assert 'value="organisations"' not in page
    page = as_user(admin).get("/interchange/import/").content.decode()
    assert '<option value="organisations">Organisaties</option>' in page and "Alleen controleren" in page


def test_the_page_shows_line_numbered_errors(as_user, admin):
    response = as_user(admin).post("/interchange/import/", {
        "kind": "organisations", "file": upload("naam;soort\nA;ggz\nB;onbekend\n"), "dry_run": "on"})
    text = response.content.decode()
    assert response.status_code == 200 and "<td>3</td><td>soort</td>" in text
    assert not Organisation.objects.filter(name="A").exists()
