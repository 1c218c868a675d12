"""The shared watch fixture's watcher sees what a person would see as broken, and only that."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Watcher

pytestmark = pytest.mark.browser

BREAK_THE_PAGE = """base => {
  const img = document.createElement('img');
  img.src = base + '/static/no-such-image.png';
  img.alt = 'lost';
  document.body.append(img);
  const box = document.createElement('div');  // a background that is there but is no image
  box.style.backgroundImage = 'url("data:image/png;base64,AAAA")';
  box.style.width = box.style.height = '10px';
  document.body.append(box);
  console.error('something went wrong');
  setTimeout(() => { throw new Error('nobody caught this'); });
}"""


def test_the_watcher_reports_failed_answers_undrawn_images_console_errors_and_exceptions(browser, live_server):
    watcher = Watcher(live_server)
    context = watcher.watch_context(browser.new_context())
    page = context.new_page()
    page.goto(live_server + "/about")
    assert watcher.finish() == []  # a page that is whole

    page.evaluate(BREAK_THE_PAGE, live_server)
    page.wait_for_timeout(500)
    problems = "\n".join(watcher.finish())
    context.close()
    assert "404 for GET " + live_server + "/static/no-such-image.png" in problems
    assert "image did not load: " + live_server + "/static/no-such-image.png" in problems
    assert '<img> not drawn: ' + live_server + '/static/no-such-image.png (alt "lost")' in problems
    assert "CSS background not drawn: data:image/png;base64,AAAA" in problems
    assert "console error on " + live_server + "/about: something went wrong" in problems
    assert "uncaught exception on " + live_server + "/about: nobody caught this" in problems


def test_an_expected_status_is_no_problem_but_its_broken_image_still_is(browser, live_server):
    watcher = Watcher(live_server, expected_statuses=[404], expected_console=["something went wrong"])
    context = watcher.watch_context(browser.new_context())
    page = context.new_page()
    page.goto(live_server + "/no/such/page")
    page.evaluate(BREAK_THE_PAGE, live_server)
    page.wait_for_timeout(500)
    problems = watcher.finish()
    context.close()
    assert not [p for p in problems if p.startswith("404 for") or "something went wrong" in p]
    assert any("<img> not drawn" in p for p in problems)
