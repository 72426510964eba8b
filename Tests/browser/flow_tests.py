"""The issue's flows through the registry and request pages: find a resident by pinyin initials, open
the profile, register a resident with a wrong ID number, a resident's request handled to the end and
rated. A flow whose pages are not there yet is marked @todo: listed, never run, never a pass."""
from __future__ import annotations

from selenium.webdriver.common.by import By

from harness import (ACCOUNTS, api, assert_shows_as_text, check_page, click_button, click_link, desktop_driver, fill, path_of,
                     phone_driver, shot, test, text_of, todo, token, url, use_session, visit)

SCRIPT = "<script>alert(1)</script>"


@todo("the residents' search page /console/residents has not landed")
def search_by_pinyin_initials():
    """A community worker types a resident's pinyin initials (e.g. zs for 张三) and finds them."""


@todo("the resident profile page has not landed")
def open_a_profile():
    """From the search results, the resident's profile: name, masked ID number, household, building."""


@todo("the resident form /console/residents/new has not landed")
def register_with_a_wrong_id_number():
    """A wrong check digit in the ID number is refused with the field's message in Chinese; the form keeps what was typed."""


@todo("the resident portal at / has not landed")
def resident_submits_a_request():
    """A resident (no account) reports a problem on the portal and gets a number to follow it."""


@todo("the request pages /console/requests have not landed")
def workers_handle_the_request():
    """Workers accept, handle and resolve the request; the street verifies it; its timeline shows each step."""


@todo("the resident portal's rating has not landed")
def resident_rates_the_request():
    """The resident looks the request up by its number and rates the handling."""


@todo("no page shows a resident's name or a request's note yet")
def markup_in_resident_and_request_text_shows_as_text():
    """A resident named <script>alert(1)</script> and a request whose note holds markup (made through the
    JSON API) show as text in the lists and on their pages."""
