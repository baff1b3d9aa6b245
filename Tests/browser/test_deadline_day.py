"""Issue 14, the web front on deadline day: nothing destructive on one click, no double actions,
no dead ends, no silent loss. Each test runs without JavaScript where the behaviour must not need it
(axe needs JavaScript: those page states are scanned in test_every_page.py)."""

import re
import urllib.error

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import (CODE_PATTERN, Client, api_put_zienswijze, assert_accessible, click_and_load, login, open_page,
                     submit, wait)


def code_row(driver, naam):
    return driver.find_element(By.XPATH, f"//table[@id='codes']//tr[td[text()='{naam}']]")


def test_revoking_a_code_asks_first(nojs_driver, server):
    driver = nojs_driver
    griffie = Client(server.base)
    griffie.login(server.issue_griffie_code("GM1916"))  # Leidschendam-Voorburg
    login(driver, server.base, server.coordinator_code)
    open_page(driver, server.base + "/coordinator/toegangscodes")

    # One click on "Intrekken" asks; "Nee" goes back and nothing happened.
    click_and_load(driver, code_row(driver, "Griffie Leidschendam-Voorburg").find_element(By.CSS_SELECTOR, "a[href$='/intrekken']"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "Weet u zeker dat u deze toegangscode wilt intrekken?"
    assert "Leidschendam-Voorburg" in driver.find_element(By.CSS_SELECTOR, ".lead").text
    assert griffie.get("/zienswijze")[0] == 200
    click_and_load(driver, driver.find_element(By.LINK_TEXT, "Nee, terug naar de toegangscodes"))
    assert "Actief" in code_row(driver, "Griffie Leidschendam-Voorburg").text

    # A POST that did not come from the confirmation page is sent there too.
    coordinator = Client(server.base)
    coordinator.login(server.coordinator_code)
    token = coordinator.csrf("/coordinator/toegangscodes")
    match = re.search(r'href="(/coordinator/toegangscodes/(\d+)/intrekken)"[^>]*>Intrekken<span[^>]*> \(code \d+, Griffie Leidschendam',
                      coordinator.get("/coordinator/toegangscodes")[2].decode())
    status, headers, _ = coordinator.post(match.group(1), {"csrf": token})
    assert status == 303 and headers["Location"] == match.group(1)
    assert griffie.get("/zienswijze")[0] == 200

    # Confirmed: revoked, and the griffie is logged out.
    click_and_load(driver, code_row(driver, "Griffie Leidschendam-Voorburg").find_element(By.CSS_SELECTOR, "a[href$='/intrekken']"))
    submit(driver, "#bevestigen")
    assert "ingetrokken" in driver.find_element(By.CSS_SELECTOR, ".success-panel").text
    assert "Ingetrokken op" in code_row(driver, "Griffie Leidschendam-Voorburg").text
    assert griffie.get("/zienswijze")[0] == 303


def test_a_new_code_is_shown_once_and_a_reload_issues_none(nojs_driver, server):
    driver = nojs_driver
    login(driver, server.base, server.coordinator_code)
    open_page(driver, server.base + "/coordinator/toegangscodes")
    before = len(driver.find_elements(By.CSS_SELECTOR, "#codes tbody tr"))
    Select(driver.find_element(By.ID, "code-gemeente")).select_by_visible_text("Midden-Delfland")
    submit(driver, "form[action='/coordinator/toegangscodes']")
    assert driver.current_url.endswith("/coordinator/toegangscodes/nieuw")  # POST/redirect/GET
    code = driver.find_element(By.ID, "nieuwe-code").text
    assert CODE_PATTERN.match(code)

    # A reload shows no code and issues no second one.
    driver.refresh()
    wait(driver).until(lambda d: d.find_elements(By.ID, "al-getoond"))
    assert code not in driver.page_source and not driver.find_elements(By.ID, "nieuwe-code")
    assert "niet opnieuw getoond" in driver.find_element(By.ID, "al-getoond").text
    assert len(driver.find_elements(By.CSS_SELECTOR, "#codes tbody tr")) == before + 1


def test_the_new_code_page_is_not_cached_and_goes_once(server):
    client = Client(server.base)
    client.login(server.coordinator_code)
    token = client.csrf("/coordinator/toegangscodes")
    status, headers, _ = client.post("/coordinator/toegangscodes",
                                     {"csrf": token, "rol": "coordinator", "gemeente": "", "naam": "Derde coördinator"})
    assert status == 303 and headers["Location"] == "/coordinator/toegangscodes/nieuw"
    # Another session of the same coordinator does not get it.
    other = Client(server.base)
    other.login(server.coordinator_code)
    assert other.get("/coordinator/toegangscodes/nieuw")[0] == 303
    status, headers, body = client.get("/coordinator/toegangscodes/nieuw")
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert re.search(r'id="nieuwe-code">[0-9A-Z-]{24}<', body.decode())
    status, headers, body = client.get("/coordinator/toegangscodes/nieuw")
    assert status == 303 and headers["Location"] == "/coordinator/toegangscodes?getoond=1"


@pytest.mark.parametrize("javascript", [False, True])
def test_closing_the_consultation_asks_first(fresh_server, javascript, request):
    driver = request.getfixturevalue("nojs_driver" if not javascript else "driver")
    server = fresh_server
    griffie = server.issue_griffie_code("GM1926")
    document = {"standpunt": "geen-zienswijze", "indiener": {"naam": "Griffie", "email": "griffie@pn.example"}}
    login(driver, server.base, server.coordinator_code)
    open_page(driver, server.base + "/coordinator/deadline")
    submit(driver, "form[action$='/status']")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Weet u zeker dat u de raadpleging wilt sluiten?"
    if javascript:
        assert_accessible(driver)
    # Not closed yet: "Nee" leaves it open.
    click_and_load(driver, driver.find_element(By.LINK_TEXT, "Nee, de raadpleging open laten"))
    assert driver.find_element(By.CSS_SELECTOR, "form[action$='/status'] button").text == "Raadpleging sluiten"
    assert api_put_zienswijze(server.base, griffie, "GM1926", document)["versie"] == 1

    submit(driver, "form[action$='/status']")
    submit(driver, "#bevestigen")
    assert "De raadpleging is gesloten" in driver.find_element(By.CSS_SELECTOR, ".success-panel").text
    with pytest.raises(urllib.error.HTTPError) as refused:
        api_put_zienswijze(server.base, griffie, "GM1926", document)
    assert refused.value.code == 409
    # Reopening is not destructive: one click.
    submit(driver, "form[action$='/status']")
    assert "weer open" in driver.find_element(By.CSS_SELECTOR, ".success-panel").text


def test_a_deadline_in_the_past_needs_a_tick(nojs_driver, fresh_server):
    driver = nojs_driver
    server = fresh_server
    login(driver, server.base, server.coordinator_code)
    open_page(driver, server.base + "/coordinator/deadline")
    before = driver.find_element(By.CSS_SELECTOR, ".lead").text
    field = driver.find_element(By.ID, "deadline")
    field.clear()
    driver.execute_script("arguments[0].value = '2026-01-05T17:00'", field)
    submit(driver, "form[action$='/deadline']")
    assert driver.title.startswith("Fout:")
    assert "ligt in het verleden" in driver.find_element(By.ID, "deadline-error").text
    assert driver.find_element(By.ID, "deadline").get_attribute("value") == "2026-01-05T17:00"
    assert driver.find_element(By.CSS_SELECTOR, ".lead").text == before  # not saved

    driver.find_element(By.CSS_SELECTOR, "label[for='verleden']").click()
    submit(driver, "form[action$='/deadline']")
    assert driver.current_url.endswith("/deadline?opgeslagen=1")
    assert "5 januari 2026 om 17:00" in driver.find_element(By.CSS_SELECTOR, ".lead").text
