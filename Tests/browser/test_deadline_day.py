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
    shown = re.search(r'id="nieuwe-code">(.*?)</p>', body.decode()).group(1)
    assert re.fullmatch(r"[0-9A-Z-]{24}", re.sub(r"<[^>]+>", "", shown))  # groups in spans, to break between them
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


# MARK: item 1, dead ends

def patch_status(server, status):
    import json
    import urllib.request
    req = urllib.request.Request(f"{server.base}/api/v1/raadplegingen/coalitie-voor-veiligheid-2023-2026",
                                 data=json.dumps({"status": status}).encode(), method="PATCH",
                                 headers={"Authorization": f"Bearer {server.coordinator_code}",
                                          "Content-Type": "application/merge-patch+json"})
    with urllib.request.urlopen(req, timeout=15) as response:
        assert response.status == 200


def test_after_closing_everyone_sees_gesloten(driver, fresh_server):
    server = fresh_server
    code = server.issue_griffie_code("GM1783")  # Westland
    api_put_zienswijze(server.base, code, "GM1783", {
        "standpunt": "geen-zienswijze", "indiener": {"naam": "Griffie", "email": "griffie@westland.example"}})
    patch_status(server, "gesloten")

    # The griffier logs in and lands on a page that says it is closed, with the receipt.
    login(driver, server.base, code)
    assert driver.current_url.endswith("/raadplegingen/coalitie-voor-veiligheid-2023-2026/zienswijze")
    assert driver.find_element(By.TAG_NAME, "h1").text == "De raadpleging is gesloten"
    click_and_load(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Versie 1, kenmerk"))
    assert "/ontvangstbevestiging/1" in driver.current_url
    open_page(driver, server.base + "/raadplegingen/coalitie-voor-veiligheid-2023-2026/zienswijze")
    assert_accessible(driver)

    # The start page says "gesloten" instead of a countdown.
    open_page(driver, server.base + "/")
    card = driver.find_element(By.CSS_SELECTOR, ".consultation-card")
    assert "Gesloten:" in card.text and "Nog " not in card.text
    assert_accessible(driver)

    # The coordinator's overview too.
    login(driver, server.base, server.coordinator_code)
    open_page(driver, server.base + "/coordinator")
    assert "Gesloten." in driver.find_element(By.ID, "gesloten").text
    assert not driver.find_elements(By.ID, "countdown")
    assert_accessible(driver)


def test_a_code_revoked_while_filling_in_is_explained(driver, server):
    login(driver, server.base, server.issue_griffie_code("GM0484"))  # Alphen aan den Rijn
    open_page(driver, server.base + "/zienswijze")
    driver.find_element(By.ID, "toelichting").send_keys("Een lange tekst die de griffier niet kwijt wil.")
    listed = server.cli("token", "list").stdout.splitlines()
    row = next(line for line in listed if "\tGM0484\t" in line)
    server.cli("token", "revoke", row.split("\t")[0])

    submit(driver, "form[action$='/zienswijze']")
    assert driver.current_url.endswith("/zienswijze")  # no silent redirect: the answer says what happened
    notice = driver.find_element(By.ID, "uitgelogd").text
    assert "niet verstuurd" in notice and "ingetrokken" in notice
    assert driver.find_element(By.ID, "code")  # and the way back in
    assert_accessible(driver)


def big_pdf(directory, size):
    path = directory / "te-groot.pdf"
    with open(path, "wb") as f:
        f.write(b"%PDF-1.4\n")
        f.truncate(size)
    return str(path)


def test_an_oversized_pdf_is_refused_before_sending_with_javascript(driver, server, tmp_path):
    login(driver, server.base, server.issue_griffie_code("GM1901"))  # Bodegraven-Reeuwijk
    open_page(driver, server.base + "/zienswijze")
    driver.find_element(By.ID, "toelichting").send_keys("Tekst die blijft staan.")
    driver.find_element(By.ID, "bestand").send_keys(big_pdf(tmp_path, 30 * 1024 * 1024))
    message = driver.find_element(By.ID, "bestand-te-groot")
    wait(driver).until(lambda d: message.is_displayed())
    assert "30,0 MB: groter dan 25 MB" in message.text
    assert driver.find_element(By.ID, "bestand").get_attribute("value") == ""
    assert driver.find_element(By.ID, "toelichting").get_attribute("value") == "Tekst die blijft staan."
    assert_accessible(driver)


def test_an_oversized_pdf_gives_the_form_back_without_javascript(nojs_driver, server, tmp_path):
    driver = nojs_driver
    login(driver, server.base, server.issue_griffie_code("GM1884"))  # Kaag en Braassem
    open_page(driver, server.base + "/zienswijze")
    driver.find_element(By.CSS_SELECTOR, "label[for='standpunt-geen-zienswijze']").click()
    driver.find_element(By.ID, "indiener-naam").send_keys("Griffie Kaag")
    driver.find_element(By.ID, "toelichting").send_keys("Tekst die blijft staan.")
    driver.find_element(By.ID, "bestand").send_keys(big_pdf(tmp_path, 25 * 1024 * 1024 + 1))
    submit(driver, "form[action$='/zienswijze']")
    assert driver.title.startswith("Fout:")
    assert "groter dan 25 MB" in driver.find_element(By.CSS_SELECTOR, ".error-summary").text
    assert driver.find_element(By.ID, "toelichting").get_attribute("value").strip() == "Tekst die blijft staan."
    assert driver.find_element(By.ID, "indiener-naam").get_attribute("value") == "Griffie Kaag"


# MARK: item 2, silent loss

def test_long_texts_are_counted_not_cut_off(driver, server):
    login(driver, server.base, server.issue_griffie_code("GM1931"))  # Krimpenerwaard
    open_page(driver, server.base + "/zienswijze")
    remarks = driver.find_elements(By.CSS_SELECTOR, "textarea[name^='opmerking.']")
    texts = remarks + [driver.find_element(By.ID, "toelichting")]
    assert texts and all(t.get_attribute("maxlength") is None for t in texts)
    field = remarks[0]
    field_id = field.get_attribute("id")
    counter = driver.find_element(By.ID, field_id + "-limiet")
    assert counter.text == "Nog 10.000 van de 10.000 tekens."
    field.send_keys("Twee\nregels")
    wait(driver).until(lambda d: counter.text == "Nog 9.988 van de 10.000 tekens.")  # a newline is sent as CR LF
    driver.execute_script("arguments[0].value = 'x'.repeat(10001); arguments[0].dispatchEvent(new Event('input'))", field)
    wait(driver).until(lambda d: counter.text == "1 teken te veel (ten hoogste 10.000).")

    # The server refuses it with everything kept.
    driver.find_element(By.CSS_SELECTOR, "label[for='standpunt-geen-zienswijze']").click()
    driver.find_element(By.ID, "indiener-naam").send_keys("Griffie Krimpenerwaard")
    driver.find_element(By.ID, "indiener-email").send_keys("griffie@krimpenerwaard.example")
    submit(driver, "form[action$='/zienswijze']")
    assert driver.title.startswith("Fout:")
    assert "te lang: ten hoogste 10000 tekens" in driver.find_element(By.CSS_SELECTOR, ".error-summary").text
    assert len(driver.find_element(By.ID, field_id).get_attribute("value").strip("\n")) == 10001
    assert "te veel" in driver.find_element(By.ID, field_id + "-limiet").text
    assert_accessible(driver)


def test_the_limit_is_said_without_javascript(nojs_driver, server):
    driver = nojs_driver
    login(driver, server.base, server.issue_griffie_code("GM0547"))  # Leiderdorp
    open_page(driver, server.base + "/zienswijze")
    assert driver.find_element(By.ID, "toelichting-limiet").text == "Ten hoogste 20.000 tekens."
    assert driver.find_element(By.ID, "toelichting").get_attribute("maxlength") is None

