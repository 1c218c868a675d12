"""Survey waves end to end through the pages: open, invite, answer, correct, close, report, publish, download."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

import pytest

from visa.extensions import db
from visa.surveys import services
from visa.surveys.models import Channel, SurveyInvitation, SurveyResponse, SurveyWave
from visa.timeutil import utcnow


def _token(client, url):
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def _open(client, login, space, **dates):
    login("host@example.org")
    today = utcnow().date()
    r = client.post(f"/spaces/{space.slug}/survey/open",
                    data={"starts_on": today.isoformat(), "csrf_token": _token(client, f"/spaces/{space.slug}/survey"),
                          **dates})
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return re.search(r'id="shared-link" [^>]*|value="([^"]+)" id="shared-link"', r.get_data(as_text=True)).group(1)


def _answer(client, url, **answers):
    return client.post(url, data={"csrf_token": _token(client, url), **answers})


def test_a_host_opens_a_wave_invites_members_and_each_link_answers_once(client, login, surveyed, mails):
    shared = _open(client, login, surveyed)
    assert "/survey/open/" in shared
    wave = db.session.query(SurveyWave).one()
    assert wave.shared_token_hash and shared.rsplit("/", 1)[1] not in wave.shared_token_hash
    # A second open wave is refused.
    r = client.post(f"/spaces/{surveyed.slug}/survey/open", data={
        "starts_on": utcnow().date().isoformat(), "csrf_token": _token(client, "/home")})
    assert r.status_code == 400 and 'id="open-error"' in r.get_data(as_text=True)
    assert db.session.query(SurveyWave).count() == 1
    r = client.post(f"/spaces/{surveyed.slug}/survey/invite", data={
        "addresses": "ana@members.example, Rui@Members.example\nana@members.example",
        "csrf_token": _token(client, f"/spaces/{surveyed.slug}/survey")})
    assert r.status_code == 200 and 'id="invited"' in r.get_data(as_text=True)
    sent = mails()
    assert sorted(m["To"] for m in sent) == ["ana@members.example", "rui@members.example"]
    links = [re.search(r"http://localhost(/survey/[\w-]+)", m.get_body(("plain",)).get_content()).group(1) for m in sent]
    # No address is stored anywhere in the database.
    rows = db.session.query(SurveyInvitation).all()
    assert len(rows) == 2 and all("@" not in (r.address_hash + r.token_hash) for r in rows)
    assert db.session.get(SurveyWave, wave.id).invited == 2
    # Inviting the same address again sends nothing.
    client.post(f"/spaces/{surveyed.slug}/survey/invite", data={
        "addresses": "ANA@members.example", "csrf_token": _token(client, f"/spaces/{surveyed.slug}/survey")})
    assert len(mails()) == 2

    r = _answer(client, links[0], isolation="agree", income_change="", comment="Good light.")
    assert r.status_code == 200 and 'id="saved"' in r.get_data(as_text=True)
    # The same link corrects its answer: still one answer.
    page = client.get(links[0]).get_data(as_text=True)
    assert 'value="agree" checked' in page and "Good light." in page
    _answer(client, links[0], isolation="strongly_agree")
    responses = db.session.query(SurveyResponse).all()
    assert len(responses) == 1 and responses[0].answers == {"isolation": "strongly_agree"}
    assert responses[0].channel == Channel.INVITATION and responses[0].comment == ""
    assert client.get("/survey/not-a-link").status_code == 404

    # Closing deletes the links: they no longer answer, and no hash is left.
    login("host@example.org")
    client.post(f"/spaces/{surveyed.slug}/survey/close", data={"csrf_token": _token(client, f"/spaces/{surveyed.slug}/survey")})
    db.session.expire_all()
    assert db.session.query(SurveyInvitation).count() == 0
    closed = db.session.get(SurveyWave, wave.id)
    assert closed.closed_at is not None and closed.shared_token_hash is None and closed.invited == 2
    assert client.get(links[0]).status_code == 404
    assert client.get(shared.replace("http://localhost", "")).status_code == 404


def test_a_tampered_answer_is_refused_and_the_form_kept(client, login, surveyed):
    shared = _open(client, login, surveyed).replace("http://localhost", "")
    r = _answer(client, shared, isolation="agree", income_change="12000")
    assert r.status_code == 400 and 'value="agree" checked' in r.get_data(as_text=True)
    assert db.session.query(SurveyResponse).count() == 0


@pytest.fixture
def limited(app):
    app.config["VISA_SURVEY_LINK_LIMIT"] = "3 per hour"


def test_the_shared_link_is_rate_limited_and_marked_not_verified(client, login, surveyed, limited):
    shared = _open(client, login, surveyed).replace("http://localhost", "")
    codes = [_answer(client, shared, isolation="agree", productivity="agree").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert {r.channel for r in db.session.query(SurveyResponse)} == {Channel.OPEN_LINK}
    # Two more through the database, so the report is shown (5 answers).
    wave = db.session.query(SurveyWave).one()
    for _ in range(2):
        services.answer(wave, {"isolation": "disagree"}, "", utcnow().date())
    db.session.commit()
    login("host@example.org")
    html = client.get(f"/spaces/{surveyed.slug}/survey/{wave.id}").get_data(as_text=True)
    assert 'id="open-link">5' in html and "open link, not verified" in html and 'id="indicators"' in html


def test_a_report_of_four_answers_shows_only_the_count(client, login, surveyed):
    wave, _link = services.open_wave(surveyed.id, utcnow().date())
    for _ in range(4):
        services.answer(wave, {"isolation": "agree", "commute_before_km": "20_40"}, "Secret words", utcnow().date())
    db.session.commit()
    login("host@example.org")
    for url in (f"/spaces/{surveyed.slug}/survey/{wave.id}", f"/spaces/{surveyed.slug}/survey/{wave.id}/print"):
        html = client.get(url).get_data(as_text=True)
        assert 'id="responses">4' in html and 'id="too-few"' in html
        assert 'id="indicators"' not in html and "Secret words" not in html and 'id="km-saved"' not in html
    body = client.get(f"/spaces/{surveyed.slug}/survey/{wave.id}.csv").get_data(as_text=True)
    assert "responses,,,4" in body and "share_positive" not in body and "count," not in body


def _closed_wave(space, answers, comment=""):
    wave, _t = services.open_wave(space.id, utcnow().date())
    for a in answers:
        services.answer(wave, a, comment, utcnow().date())
    services.close_wave(wave)
    db.session.commit()
    return wave


def test_the_report_is_public_once_published_without_the_open_question(client, login, surveyed):
    wave = _closed_wave(surveyed, [{"isolation": "agree", "commute_before_km": "20_40", "commute_before_mode": "car_alone",
                                    "commute_now_km": "under_2", "commute_now_mode": "bike_walk", "days_per_week": "3"}] * 6,
                        comment="Only for the hosts")
    url = f"/spaces/{surveyed.slug}/survey/{wave.id}"
    assert client.get(url).status_code == 302  # sign in
    services.set_published(wave, True)
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert 'id="indicators"' in html and 'id="caveats"' in html and "Only for the hosts" not in html
    assert client.get(url + ".csv").status_code == 200
    login("host@example.org")
    html = client.get(url).get_data(as_text=True)
    assert "Only for the hosts" in html and 'id="co2-saved"' in html
    client.post(f"/spaces/{surveyed.slug}/survey/{wave.id}/publish",
                data={"csrf_token": _token(client, f"/spaces/{surveyed.slug}/survey")})
    db.session.expire_all()
    assert not db.session.get(SurveyWave, wave.id).is_published


def test_open_figures_are_suppressed_and_carry_the_version(client, make_space, surveyed):
    small = make_space("Tiny Hub", country="ES", city="Madrid", lat=40.4168, lon=-3.7038)
    big = make_space("Big Hub", country="FR", city="Paris", lat=48.8566, lon=2.3522)
    _closed_wave(surveyed, [{"isolation": "agree"}] * 3)
    _closed_wave(small, [{"isolation": "disagree"}] * 6)
    _closed_wave(big, [{"isolation": "agree"}] * 20)
    rows = list(csv.DictReader(io.StringIO(client.get("/impact/survey.csv").get_data(as_text=True))))
    isolation = {r["country"]: r for r in rows if r["question"] == "isolation" and r["answer"] in ("agree", "")}
    assert isolation["PT"]["suppressed"] == "true" and isolation["ES"]["suppressed"] == "true"
    assert isolation["FR"]["count"] == "20" and isolation["ALL"]["answered"] == "29"
    assert {r["questionnaire_version"] for r in rows} == {"2026.1"}
    data = json.loads(client.get("/impact/survey.json").get_data(as_text=True))
    table = next(t for t in data["tables"] if t["question"] == "isolation")
    assert {c["country"]: c["suppressed"] for c in table["countries"]} == {"ES": True, "FR": False, "PT": True}
    assert data["questionnaire_version"] == "2026.1" and "answered" not in table["countries"][0]
    html = client.get("/impact").get_data(as_text=True)
    assert 'id="survey-network-table"' in html and 'id="survey-country-table"' in html


def test_admins_export_answers_without_the_open_question(client, login, surveyed):
    _closed_wave(surveyed, [{"isolation": "agree"}] * 2, comment="Private words")
    login("admin@example.org")
    body = client.get("/admin/survey/answers.csv").get_data(as_text=True)
    assert "Private words" not in body and "comment" not in body and body.count("agree") == 2


def test_forget_deletes_the_invitations_mailed_to_an_address(app, runner, surveyed):
    wave, _t = services.open_wave(surveyed.id, utcnow().date())
    services.invite(wave, ["ana@members.example", "rui@members.example"], app.config["SECRET_KEY"])
    db.session.commit()
    result = runner.invoke(args=["visa", "forget", "ANA@members.example", "--yes"])
    assert result.exit_code == 0 and "1 survey invitation(s) deleted" in result.output
    assert db.session.query(SurveyInvitation).count() == 1


def test_cli_opens_with_a_shared_link_and_closes(runner, surveyed):
    until = (utcnow().date() + timedelta(days=10)).isoformat()
    result = runner.invoke(args=["visa", "survey", "open", surveyed.slug, "--until", until])
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1]
    assert re.match(r"http://127\.0\.0\.1:5000/survey/open/[\w-]{20,}$", link)
    assert db.session.query(SurveyWave).one().ends_on.isoformat() == until
    assert runner.invoke(args=["visa", "survey", "open", surveyed.slug]).exit_code == 1
    result = runner.invoke(args=["visa", "survey", "close", surveyed.slug])
    assert result.exit_code == 0 and db.session.query(SurveyWave).one().closed_at is not None
    assert runner.invoke(args=["visa", "survey", "close", surveyed.slug]).exit_code == 1


def test_demo_command_makes_a_published_report_of_40_answers(client, runner, make_space):
    space = make_space("Demo Hub", is_demo=True)
    result = runner.invoke(args=["visa", "survey", "demo", space.slug])
    assert result.exit_code == 0, result.output
    wave = db.session.query(SurveyWave).one()
    assert wave.is_published and db.session.query(SurveyResponse).count() == 40
    html = client.get(f"/spaces/{space.slug}/survey/{wave.id}/print").get_data(as_text=True)
    assert 'id="responses">40' in html and 'id="indicators"' in html


def test_ended_waves_close_from_cron_and_drop_their_links(app, runner, surveyed):
    wave, link = services.open_wave(surveyed.id, utcnow().date())
    services.invite(wave, ["ana@members.example"], app.config["SECRET_KEY"])
    wave.ends_on = wave.starts_on = utcnow().date() - timedelta(days=1)  # as if it had run until yesterday
    db.session.commit()
    assert services.wave_for_shared_link(link) is not None
    result = runner.invoke(args=["visa", "survey", "close-ended"])
    assert result.exit_code == 0 and "Closed 1 ended survey" in result.output
    assert services.wave_for_shared_link(link) is None and db.session.query(SurveyInvitation).count() == 0


def test_a_wave_takes_no_answers_before_its_first_day(client, surveyed):
    _wave, link = services.open_wave(surveyed.id, utcnow().date() + timedelta(days=3))
    db.session.commit()
    assert client.get(f"/survey/open/{link}").status_code == 410
