"""The members' survey in a real browser: a member answers on a 390 px phone in their language and corrects the
answer; a demo space's printable report is printed to PDF by Chromium (artifacts/survey-report.pdf)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import axe_violations
from visa.extensions import db
from visa.surveys import services
from visa.surveys.models import SurveyResponse
from visa.timeutil import utcnow

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def test_a_member_answers_on_a_phone_in_portuguese_and_corrects_it(app, watch, live_server, make_space,
                                                                    screenshot_dir, axe_source):
    space = make_space("Hub do Fundão", city="Fundão", lat=40.1406, lon=-7.5014)
    wave, _shared = services.open_wave(space.id, utcnow().date())
    (_address, token), = services.invite(wave, ["ana@members.example"], app.config["SECRET_KEY"]).links
    db.session.commit()
    phone = watch.new_context(viewport={"width": 390, "height": 844}, locale="pt-PT", is_mobile=True,
                              has_touch=True).new_page()
    phone.goto(f"{live_server}/survey/{token}")
    assert phone.locator("html").get_attribute("lang").startswith("pt")
    legend = phone.locator("#q-isolation legend")
    assert legend.inner_text() == "Sinto-me menos isolado."
    # Nothing wider than the phone: every answer is a full-width row with a large target.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    choice = phone.locator("#q-isolation label.choice").nth(3)
    assert choice.bounding_box()["height"] >= 44
    phone.screenshot(path=str(screenshot_dir / "survey-answer-phone.png"), full_page=True)
    assert axe_violations(phone, axe_source) == []

    phone.get_by_role("radio", name="Concordo totalmente").first.check()
    phone.locator("#q-commute_before_km").get_by_role("radio", name="20 a 40 km").check()
    phone.locator("#q-days_per_week").get_by_role("radio", name="3", exact=True).check()
    phone.get_by_label("Mais alguma coisa que queira dizer").fill("Luz boa.")
    phone.get_by_role("button", name="Enviar a minha resposta").click()
    phone.locator("#saved").wait_for()
    phone.screenshot(path=str(screenshot_dir / "survey-saved-phone.png"), full_page=True)

    # The same link opens the answer again, and corrects it: still one answer.
    phone.goto(f"{live_server}/survey/{token}")
    assert phone.locator("#q-isolation input[value=strongly_agree]").is_checked()
    phone.locator("#q-isolation").get_by_role("radio", name="Concordo", exact=True).check()
    phone.get_by_role("button", name="Enviar a minha resposta").click()
    phone.locator("#saved").wait_for()
    db.session.expire_all()
    answers = db.session.query(SurveyResponse).all()
    assert len(answers) == 1 and answers[0].answers == {"isolation": "agree", "commute_before_km": "20_40",
                                                         "days_per_week": "3"}
    assert answers[0].comment == "Luz boa."

    desk = watch.new_context(viewport={"width": 1280, "height": 860}, locale="en-GB").new_page()
    desk.goto(f"{live_server}/survey/{token}")
    desk.screenshot(path=str(screenshot_dir / "survey-answer.png"), full_page=True)


def test_a_demo_spaces_printable_report_prints_to_pdf(app, runner, watch, live_server, make_space, screenshot_dir,
                                                      axe_source):
    space = make_space("Demo Hub Evora", city="Évora", lat=38.5714, lon=-7.9135, is_demo=True)
    result = runner.invoke(args=["visa", "survey", "demo", space.slug])
    assert result.exit_code == 0, result.output
    url = result.output.strip().splitlines()[-1].replace("http://127.0.0.1:5000", live_server)
    page = watch.new_context(viewport={"width": 1280, "height": 860}, locale="en-GB").new_page()
    page.goto(url)  # published: no sign-in needed
    assert page.locator("#responses").inner_text() == "40"
    assert page.locator("#indicators tbody tr").count() == 8 and page.locator("#caveats").is_visible()
    page.screenshot(path=str(screenshot_dir / "survey-report-print.png"), full_page=True)
    page.emulate_media(media="print")
    assert page.locator(".no-print").is_hidden()
    page.screenshot(path=str(screenshot_dir / "survey-report-print-media.png"), full_page=True)
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(format="A4", print_background=True)
    (ARTIFACTS / "survey-report.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 1

    # The network's figures on /impact, next to the visits: chart, tables, no accessibility fault, at both widths.
    for width in (1280, 390):
        network = watch.new_context(viewport={"width": width, "height": 860}, locale="en-GB").new_page()
        network.goto(f"{live_server}/impact")
        assert network.locator("#survey-chart-title").is_visible()
        assert network.locator("#survey-country-table tbody tr").count() == 1
        assert axe_violations(network, axe_source) == []
        network.screenshot(path=str(screenshot_dir / f"impact-survey-{width}.png"), full_page=True)
