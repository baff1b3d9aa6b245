"""The coordinator's pages: overview with filter and counts, a gemeente's versions, CSV, deadline,
and access codes (a new code is shown once)."""

import re
import urllib.error

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import (CODE_PATTERN, Client, api_put_zienswijze, assert_accessible, click_and_load, login,
                     open_page, submit)


def rows(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#overzicht tbody tr")


def count(driver, state):
    return int(driver.find_element(By.ID, f"aantal-{state}").text)


def test_overview_filter_and_counts(driver, server):
    griffie = server.issue_griffie_code("GM0637")  # Zoetermeer
    api_put_zienswijze(server.base, griffie, "GM0637", {
        "standpunt": "niet-instemmend", "datumRaadsbesluit": "2026-11-05",
        "indiener": {"naam": "Griffie Zoetermeer", "email": "griffie@zoetermeer.nl"},
        "toelichting": "De raad stemt niet in.",
        "opmerkingen": [{"thema": "sterkteverdeling", "tekst": "Zoetermeer is gegroeid."}]})

    login(driver, server.base, server.coordinator_code)
    assert driver.current_url.endswith("/coordinator/raadplegingen/coalitie-voor-veiligheid-2023-2026")
    assert len(rows(driver)) == 27
    counts = {s: count(driver, s) for s in ("ontbreekt", "ingediend", "te-laat", "ingetrokken")}
    assert sum(counts.values()) == 27 and counts["ingediend"] >= 1
    assert "Nog" in driver.find_element(By.ID, "countdown").text
    zoetermeer = driver.find_element(By.XPATH, "//tbody/tr[th/a[text()='Zoetermeer']]")
    assert "Ingediend" in zoetermeer.text and "Niet instemmend" in zoetermeer.text
    assert_accessible(driver)

    # Filter with the GET form.
    Select(driver.find_element(By.ID, "status")).select_by_value("ingediend")
    submit(driver, "form.filter")
    assert driver.current_url.endswith("/coordinator/raadplegingen/coalitie-voor-veiligheid-2023-2026?status=ingediend")
    assert len(rows(driver)) == counts["ingediend"]
    assert all("Ingediend" in row.text for row in rows(driver))
    assert "Zoetermeer" in driver.find_element(By.ID, "overzicht").text
    assert driver.title.startswith("Overzicht: ingediend")
    assert Select(driver.find_element(By.ID, "status")).first_selected_option.get_attribute("value") == "ingediend"

    # Filter with a count link.
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "a[href$='?status=ontbreekt']"))
    assert len(rows(driver)) == counts["ontbreekt"]
    assert "Zoetermeer" not in driver.find_element(By.ID, "overzicht").text
    assert_accessible(driver)

    # The gemeente's page: versions, remarks per theme.
    open_page(driver, server.base + "/coordinator")
    click_and_load(driver, driver.find_element(By.LINK_TEXT, "Zoetermeer"))
    assert driver.current_url.endswith("/coordinator/raadplegingen/coalitie-voor-veiligheid-2023-2026/gemeenten/GM0637")
    main = driver.find_element(By.TAG_NAME, "main").text
    assert "Versie 1" in main and "Sterkteverdeling politie" in main and "Zoetermeer is gegroeid." in main
    assert_accessible(driver)

    # CSV export: one line per gemeente plus the header.
    client = Client(server.base)
    status, headers, body = client.get("/coordinator/export.csv", headers={"Cookie": cookie(driver)})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    lines = body.decode("utf-8-sig").strip().split("\r\n")
    assert len(lines) == 28 and any(line.startswith("GM0637;Zoetermeer") for line in lines)


def test_deadline_form(driver, server):
    login(driver, server.base, server.coordinator_code)
    click_and_load(driver, driver.find_element(By.LINK_TEXT, "Deadline"))
    field = driver.find_element(By.ID, "deadline")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", field.get_attribute("value"))
    driver.execute_script("arguments[0].value = ''", field)
    submit(driver, "form[action$='/deadline']")
    assert driver.title.startswith("Fout:")
    assert driver.find_element(By.ID, "deadline-error").text.endswith("Vul de nieuwe deadline in.")
    assert_accessible(driver)

    field = driver.find_element(By.ID, "deadline")
    driver.execute_script("arguments[0].value = '2027-03-28T02:30'", field)  # not a wall time in Amsterdam
    submit(driver, "form[action$='/deadline']")
    assert driver.current_url.endswith("/deadline?opgeslagen=1")
    assert "De deadline is gewijzigd." in driver.find_element(By.CSS_SELECTOR, ".success-panel").text
    # 02:30 does not exist on 28 March 2027 (clocks jump 02:00 -> 03:00): it becomes 03:30 CEST.
    assert "28 maart 2027 om 03:30" in driver.find_element(By.CSS_SELECTOR, ".lead").text
    assert driver.find_element(By.ID, "deadline").get_attribute("value") == "2027-03-28T03:30"
    assert_accessible(driver)


def test_issue_code_shown_once_then_revoke(driver, server):
    login(driver, server.base, server.coordinator_code)
    click_and_load(driver, driver.find_element(By.LINK_TEXT, "Toegangscodes"))
    assert_accessible(driver)

    # A griffie code without a gemeente is refused with an error summary.
    driver.find_element(By.ID, "rol-griffie").click()
    submit(driver, "form[action='/coordinator/toegangscodes']")
    assert driver.find_element(By.ID, "code-gemeente-error").text.endswith("Kies de gemeente van de griffie.")
    assert driver.find_element(By.CSS_SELECTOR, ".error-summary a[href='#code-gemeente']")
    assert_accessible(driver)

    Select(driver.find_element(By.ID, "code-gemeente")).select_by_visible_text("Katwijk")
    submit(driver, "form[action='/coordinator/toegangscodes']")
    code = driver.find_element(By.ID, "nieuwe-code").text
    assert CODE_PATTERN.match(code)
    message = driver.find_element(By.ID, "bericht").get_attribute("value")
    assert code in message and "Katwijk" in message and "/inloggen" in message
    assert_accessible(driver)

    # Shown once: the list does not show it again.
    click_and_load(driver, driver.find_element(By.LINK_TEXT, "Terug naar de toegangscodes"))
    assert code not in driver.page_source
    row = driver.find_element(By.XPATH, "//table[@id='codes']//tr[td[text()='Griffie Katwijk']]")
    assert "Actief" in row.text

    # The code works.
    griffie = Client(server.base)
    griffie.login(code)
    status, _, body = griffie.get("/zienswijze")
    assert status == 200 and "Katwijk" in body.decode()

    # Revoke it: the griffie's session ends with it.
    login(driver, server.base, server.coordinator_code)
    open_page(driver, server.base + "/coordinator/toegangscodes")
    row = driver.find_element(By.XPATH, "//table[@id='codes']//tr[td[text()='Griffie Katwijk']]")
    click_and_load(driver, row.find_element(By.CSS_SELECTOR, "a[href$='/intrekken']"))
    submit(driver, "#bevestigen")
    assert "ingetrokken" in driver.find_element(By.CSS_SELECTOR, ".success-panel").text
    row = driver.find_element(By.XPATH, "//table[@id='codes']//tr[td[text()='Griffie Katwijk']]")
    assert "Ingetrokken op" in row.text
    status, headers, _ = griffie.get("/zienswijze")
    assert status == 303 and headers["Location"] == "/inloggen"


def test_new_code_response_is_not_stored(server):
    client = Client(server.base)
    client.login(server.coordinator_code)
    token = client.csrf("/coordinator/toegangscodes")
    status, headers, _ = client.post("/coordinator/toegangscodes",
                                     {"csrf": token, "rol": "coordinator", "gemeente": "", "naam": "Tweede coördinator"})
    assert status == 303
    status, headers, body = client.get(headers["Location"])
    assert status == 200
    assert headers["Cache-Control"] == "no-store"
    shown = re.search(r'id="nieuwe-code">(.*?)</p>', body.decode()).group(1)
    assert re.fullmatch(r"[0-9A-Z-]{24}", re.sub(r"<[^>]+>", "", shown))  # groups in spans, to break between them


def cookie(driver):
    return "zw_sessie=" + driver.get_cookie("zw_sessie")["value"]


def test_close_and_reopen_the_consultation(driver, fresh_server):
    document = {"standpunt": "geen-zienswijze", "indiener": {"naam": "Griffie", "email": "griffie@lisse.example"}}
    griffie = fresh_server.issue_griffie_code("GM0553")
    login(driver, fresh_server.base, fresh_server.coordinator_code)
    open_page(driver, fresh_server.base + "/coordinator/deadline")
    submit(driver, "form[action$='/status']")
    submit(driver, "#bevestigen")
    assert "De raadpleging is gesloten" in driver.find_element(By.CSS_SELECTOR, ".success-panel").text
    assert driver.find_element(By.CSS_SELECTOR, "form[action$='/status'] button").text == "Raadpleging heropenen"
    assert_accessible(driver)
    with pytest.raises(urllib.error.HTTPError) as refused:
        api_put_zienswijze(fresh_server.base, griffie, "GM0553", document)
    assert refused.value.code == 409

    submit(driver, "form[action$='/status']")
    assert "weer open" in driver.find_element(By.CSS_SELECTOR, ".success-panel").text
    assert api_put_zienswijze(fresh_server.base, griffie, "GM0553", document)["versie"] == 1
