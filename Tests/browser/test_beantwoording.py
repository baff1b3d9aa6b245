"""Issue 15 in the browser: a coordinator answers Den Haag's zienswijze (remarks beside the fields,
a missing reaction refused with the error summary), sees the progress and a theme's page,
vaststellen the reactienota after confirming, downloads it as ODT; the griffie sees nothing before
and the answer after, on the consultation page and the receipt. Every new page is scanned with axe;
with SHOTS_DIR set, each is also saved as a screenshot."""

import os
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import Client, api_put_zienswijze, assert_accessible, click_and_load, login, open_page, submit

CONSULTATION = "coalitie-voor-veiligheid-2023-2026"
BASE = f"/coordinator/raadplegingen/{CONSULTATION}"
AWKWARD = "\u0600<b>x</b> Cafe\u0301"


def shot(driver, name, selector):
    directory = os.environ.get("SHOTS_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        driver.execute_script("document.querySelector(arguments[0]).scrollIntoView()", selector)
        driver.save_screenshot(str(Path(directory) / f"reacties-{name}.png"))


def check(driver, name, selector="main"):
    """axe on the page; with SHOTS_DIR, a screenshot from `selector` down."""
    assert_accessible(driver)
    shot(driver, name, selector)


def test_answering_vaststellen_and_the_griffie_reading_it(driver, fresh_server):
    server = fresh_server
    base = server.base
    griffie_code = server.issue_griffie_code("GM0518")
    api_put_zienswijze(base, griffie_code, "GM0518", {
        "standpunt": "instemmend-met-opmerkingen", "datumRaadsbesluit": "2026-10-28",
        "indiener": {"naam": "Griffie Den Haag", "email": "griffie@denhaag.example"}, "toelichting": "Zie het besluit.",
        "opmerkingen": [{"thema": "cybercrime", "tekst": "Meer aandacht voor cybercrime."},
                        {"thema": "ondermijning", "tekst": AWKWARD}]})

    login(driver, base, server.coordinator_code)
    open_page(driver, base + BASE)
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, f"a[href='{BASE}/reacties']"))
    assert driver.find_element(By.ID, "reacties-voortgang").text == "0 van 1 beantwoord"
    check(driver, "voortgang")

    click_and_load(driver, driver.find_element(By.LINK_TEXT, "Den Haag"))
    assert driver.current_url.endswith(f"{BASE}/reacties/gemeenten/GM0518")
    remarks = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".remark-text")]
    assert remarks == ["Meer aandacht voor cybercrime.", AWKWARD]
    check(driver, "gemeente")

    # A verwerking without its reaction is refused; what was typed stays.
    driver.find_element(By.ID, "reactie-cybercrime").send_keys("Wij nemen dit over.")
    Select(driver.find_element(By.ID, "verwerking-cybercrime")).select_by_value("overgenomen")
    Select(driver.find_element(By.ID, "verwerking-ondermijning")).select_by_value("gedeeltelijk-overgenomen")
    driver.find_element(By.ID, "algemeen").send_keys("Dank voor uw zienswijze.\nTweede regel.")
    submit(driver, f"form[action='{BASE}/reacties/gemeenten/GM0518']")
    assert driver.title.startswith("Fout:")
    assert driver.find_element(By.CSS_SELECTOR, ".error-summary a[href='#reactie-ondermijning']")
    assert driver.find_element(By.ID, "reactie-cybercrime").get_attribute("value") == "Wij nemen dit over."
    check(driver, "gemeente-fout")
    driver.find_element(By.ID, "reactie-ondermijning").send_keys("Deels: " + AWKWARD)
    submit(driver, f"form[action='{BASE}/reacties/gemeenten/GM0518']")
    assert "opgeslagen" in driver.find_element(By.CSS_SELECTOR, ".success-panel").text
    assert driver.find_element(By.ID, "reactie-ondermijning").get_attribute("value") == "Deels: " + AWKWARD

    # Still a draft: the griffie sees no answer.
    griffie = Client(base)
    griffie.login(griffie_code)
    status, _, page = griffie.get(f"/raadplegingen/{CONSULTATION}")
    assert status == 200 and "Reactie op uw zienswijze" not in page.decode()

    open_page(driver, base + f"{BASE}/reacties/themas/ondermijning")
    assert "Deels: " + AWKWARD in driver.find_element(By.CSS_SELECTOR, ".reaction-text").text
    check(driver, "thema")
    open_page(driver, base + f"{BASE}/reacties")
    assert driver.find_element(By.ID, "reacties-voortgang").text == "1 van 1 beantwoord"

    # The reactienota: vaststellen only after confirming.
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, f"a[href='{BASE}/reactienota']"))
    assert driver.find_element(By.ID, "reactienota-status").text == "Concept"
    check(driver, "reactienota")
    driver.execute_script("document.getElementById('rboDatum').value = '2027-01-20'")
    submit(driver, f"form[action='{BASE}/reactienota/vaststellen']")
    assert driver.title.startswith("Fout:")
    assert driver.find_element(By.CSS_SELECTOR, ".error-summary a[href='#bevestig-vaststellen']")
    check(driver, "reactienota-fout")
    driver.execute_script("document.getElementById('rboDatum').value = '2027-01-20'")
    driver.find_element(By.CSS_SELECTOR, "label[for='bevestig-vaststellen']").click()
    submit(driver, f"form[action='{BASE}/reactienota/vaststellen']")
    assert "vastgesteld" in driver.find_element(By.CSS_SELECTOR, ".success-panel").text
    assert driver.find_element(By.ID, "reactienota-status").text == "Vastgesteld door het RBO op 20 januari 2027"
    check(driver, "reactienota-vastgesteld")

    # Frozen: the gemeente's page shows the answer without a form.
    open_page(driver, base + f"{BASE}/reacties/gemeenten/GM0518")
    assert not driver.find_elements(By.ID, "reactie-cybercrime")
    assert "Deels: " + AWKWARD in driver.find_element(By.TAG_NAME, "main").text
    check(driver, "gemeente-vastgesteld")

    # The ODT, as a download.
    coordinator = Client(base)
    coordinator.login(server.coordinator_code)
    status, headers, body = coordinator.get(f"{BASE}/reactienota.odt")
    assert status == 200 and headers["Content-Type"] == "application/vnd.oasis.opendocument.text"
    assert headers["Content-Disposition"].startswith("attachment;") and body[:2] == b"PK"

    # The griffie reads the answer on the consultation page and on the receipt.
    login(driver, base, griffie_code)
    open_page(driver, base + f"/raadplegingen/{CONSULTATION}")
    answer = driver.find_element(By.CSS_SELECTOR, "section.answer")
    assert "Reactie op uw zienswijze" in answer.text and "20 januari 2027" in answer.text
    assert driver.find_element(By.ID, "antwoord-algemeen").text == "Dank voor uw zienswijze.\nTweede regel."
    assert "Wij nemen dit over." in answer.text and "Deels: " + AWKWARD in answer.text and "Gedeeltelijk overgenomen" in answer.text
    check(driver, "griffie-raadpleging", "section.answer")
    open_page(driver, base + f"/raadplegingen/{CONSULTATION}/zienswijze/ontvangstbevestiging/1")
    assert "Wij nemen dit over." in driver.find_element(By.CSS_SELECTOR, "section.answer").text
    check(driver, "griffie-ontvangstbevestiging", "section.answer")
    # Coordinator pages stay closed to a griffie.
    status, _, _ = griffie.get(f"{BASE}/reacties")
    assert status == 403

    # Publication: the coordinator publishes from the reactienota page; anyone reads it.
    login(driver, base, server.coordinator_code)
    open_page(driver, base + f"{BASE}/reactienota")
    assert driver.find_element(By.ID, "publicatie-status").text.startswith("Nog niet gepubliceerd")
    submit(driver, f"form[action='{BASE}/publicatie/publiceren']")
    assert "gepubliceerd" in driver.find_element(By.CSS_SELECTOR, ".success-panel").text
    check(driver, "reactienota-gepubliceerd")
    driver.delete_all_cookies()
    open_page(driver, base + f"/raadplegingen/{CONSULTATION}/publicatie")
    main = driver.find_element(By.TAG_NAME, "main").text
    assert "Den Haag" in main and "Deels: " + AWKWARD in main and "griffie@denhaag.example" not in main
    check(driver, "publicatie")
