"""The host's "Add the badge to your site" page: each shape's preview and the HTML to copy, the mark's too."""

from __future__ import annotations

import html
import re

from visa.accounts.models import SpaceHost
from visa.directory.models import SpaceStatus
from visa.extensions import db


def test_the_page_hands_out_a_link_around_each_shape(client, login, make_space, make_user):
    space = make_space("Copy Me")
    host = make_user("host@example.org")
    db.session.add(SpaceHost(space_id=space.id, user_id=host.id, is_confirmed=True))
    db.session.commit()
    login("host@example.org")
    assert f'/host/spaces/{space.slug}/badge"' in client.get("/host").get_data(as_text=True)  # from the dashboard
    page = client.get(f"/host/spaces/{space.slug}/badge?lang=fr").get_data(as_text=True)
    codes = [html.unescape(c) for c in re.findall(r"<textarea[^>]*readonly[^>]*>([^<]*)</textarea>", page)]
    assert len(codes) == 6  # three shapes of the badge, three of the mark
    listing = f"http://localhost/spaces/{space.slug}"
    for shape, code in zip(("wide", "square", "card"), codes[:3], strict=True):
        assert code.startswith(f'<a href="{listing}"><img src="http://localhost/spaces/{space.slug}/badge.svg?')
        assert f"shape={shape}" in code and "lang=fr" in code and 'alt="' in code and code.endswith("</a>")
        image = re.search(r'src="http://localhost([^"]+)"', code).group(1)
        assert client.get(html.unescape(image)).status_code == 200  # the code draws the image the page previews
    assert all(c.startswith('<a href="http://localhost/"><img src="http://localhost/we-are-coworking.svg?')
               for c in codes[3:])
    assert page.count("data-copy=") == 6 and page.count(" hidden data-copy") == 6  # shown by the script only


def test_a_pending_listing_has_no_badge_yet(client, login, make_space, make_user):
    space = make_space("Not Yet", status=SpaceStatus.PENDING)
    host = make_user("host@example.org")
    db.session.add(SpaceHost(space_id=space.id, user_id=host.id, is_confirmed=True))
    db.session.commit()
    login("host@example.org")
    page = client.get(f"/host/spaces/{space.slug}/badge").get_data(as_text=True)
    assert "no badge until an admin approves it" in page and "badge.svg" not in page
    assert "we-are-coworking.svg" in page
