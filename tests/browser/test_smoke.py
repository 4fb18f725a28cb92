from tests.browser.conftest import assert_accessible


def test_the_base_page_renders_in_chromium_and_is_accessible(live_server, page, db):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "da"
    assert_accessible(page)
