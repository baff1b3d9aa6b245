"""Every page of the web front, each scanned with axe-core (no serious or critical violation) at
desktop and phone width. With SHOTS_DIR set, the same walk saves a screenshot of each page."""

import os
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import (answer_every_open_zienswijze, api_put_zienswijze, api_request, axe_violations, Axe, click_and_load,
                     fill_decision_date, login, open_page, submit, write_pdf)

CONSULTATION = "coalitie-voor-veiligheid-2023-2026"


def walk(driver, server, tmp_path, visit, gemeente):
    """Visits every page (creating the state each needs) and calls visit(name) on each."""
    base = server.base
    open_page(driver, base + "/")
    driver.delete_all_cookies()
    open_page(driver, base + "/")
    visit("start")
    open_page(driver, base + "/inloggen")
    visit("inloggen")
    driver.find_element(By.ID, "code").send_keys("AAAA-BBBB")
    submit(driver, "form[action='/inloggen']")
    visit("inloggen-fout")
    open_page(driver, base + "/bestaat-niet")
    visit("niet-gevonden")

    login(driver, base, server.issue_griffie_code(gemeente))
    visit("zienswijze-leeg")
    driver.find_element(By.ID, "indiener-naam").send_keys("Griffie " + gemeente)
    driver.find_element(By.ID, "bestand").send_keys(write_pdf(tmp_path))
    submit(driver, "form[action$='/zienswijze']")
    visit("zienswijze-fouten")
    driver.find_element(By.CSS_SELECTOR, "label[for='standpunt-niet-instemmend']").click()
    fill_decision_date(driver, "2026-10-28")
    driver.find_element(By.ID, "indiener-email").send_keys("griffie@example.nl")
    driver.find_element(By.ID, "toelichting").send_keys("De raad mist aandacht voor het landelijk gebied.\nZie het besluit.")
    driver.find_element(By.ID, "opmerking-jeugd-en-veiligheid").send_keys("Meer jongerenwerk in de kernen.")
    driver.find_element(By.ID, "bestand").send_keys(write_pdf(tmp_path))
    submit(driver, "form[action$='/zienswijze']")
    visit("ontvangstbevestiging")
    open_page(driver, base + "/zienswijze")
    visit("zienswijze-wijzigen")
    submit(driver, "form[action$='/zienswijze']")
    open_page(driver, base + "/zienswijze/ontvangstbevestiging/1")
    visit("ontvangstbevestiging-oud")
    open_page(driver, base + "/zienswijze/intrekken")
    visit("intrekken")
    submit(driver, "form[action$='/zienswijze/intrekken']")
    visit("ingetrokken")
    open_page(driver, base + "/coordinator")
    visit("geen-toegang")
    open_page(driver, base + "/")
    visit("start-griffie")

    login(driver, base, server.coordinator_code)
    visit("coordinator")
    open_page(driver, base + "/coordinator?status=ontbreekt")
    visit("coordinator-filter")
    open_page(driver, base + "/coordinator/gemeenten/" + gemeente)
    visit("gemeente")
    open_page(driver, base + "/coordinator/gemeenten/GM0629")
    visit("gemeente-leeg")
    open_page(driver, base + "/coordinator/toegangscodes")
    visit("toegangscodes")
    driver.find_element(By.ID, "rol-coordinator").click()
    submit(driver, "form[action='/coordinator/toegangscodes']")
    visit("toegangscodes-fout")
    driver.find_element(By.ID, "rol-griffie").click()
    Select(driver.find_element(By.ID, "code-gemeente")).select_by_visible_text("Noordwijk")
    submit(driver, "form[action='/coordinator/toegangscodes']")
    visit("toegangscode-uitgegeven")
    open_page(driver, base + "/coordinator/toegangscodes/nieuw")
    visit("toegangscode-al-getoond")
    click_and_load(driver, driver.find_element(By.XPATH, "//table[@id='codes']//tr[td[text()='Griffie Noordwijk']]//a"))
    visit("toegangscode-intrekken")
    open_page(driver, base + "/coordinator/deadline")
    visit("deadline")
    driver.execute_script("document.getElementById('deadline').value = ''")
    submit(driver, "form[action$='/deadline']")
    visit("deadline-fout")
    driver.execute_script("document.getElementById('deadline').value = '2026-01-05T17:00'")
    submit(driver, "form[action$='/deadline']")
    visit("deadline-verleden")
    submit(driver, "form[action$='/status']")
    visit("raadpleging-sluiten")
    open_page(driver, base + "/coordinator/logboek")
    visit("logboek")
    open_page(driver, base + "/coordinator/logboek?gemeente=" + gemeente)
    visit("logboek-gemeente")
    open_page(driver, base + "/coordinator/bezorging")
    visit("bezorging")
    driver.find_element(By.ID, "webhook-url").send_keys("geen adres")
    submit(driver, "form[action='/coordinator/bezorging/webhooks']")
    visit("bezorging-fout")
    field = driver.find_element(By.ID, "webhook-url")
    field.clear()
    field.send_keys("https://dms.example.nl/zienswijzen")
    driver.find_element(By.CSS_SELECTOR, "label[for='soort-deadline-gewijzigd']").click()
    submit(driver, "form[action='/coordinator/bezorging/webhooks']")
    visit("webhook-geregistreerd")
    # An event for the endpoint (which cannot be reached), then removing it fails the message.
    open_page(driver, base + "/coordinator/deadline")
    driver.execute_script("document.getElementById('deadline').value = '2026-12-20T17:00'")
    submit(driver, "form[action$='/deadline']")
    open_page(driver, base + "/coordinator/bezorging")
    visit("bezorging-met-eindpunt")
    submit(driver, "form[action$='/uitschakelen']")
    visit("bezorging-uitgeschakeld")
    submit(driver, "form[action$='/verwijderen']")
    visit("bezorging-mislukt")
    # A message to a removed endpoint can never go again: no button (Tests/notify retries one from the page).
    assert "(verwijderd)" in driver.page_source and not driver.find_elements(By.CSS_SELECTOR, "form[action$='/opnieuw']")

    walk_answers(driver, server, visit, gemeente)


def walk_answers(driver, server, visit, gemeente):
    """Issue 15: the reaction pages, the reactienota (printable too) and the published result. Leaves
    the shared server's reactienota a concept again, with nothing published."""
    base, coordinator = server.base, server.coordinator_code
    api = f"/api/v1/raadplegingen/{CONSULTATION}"
    if api_request(base, coordinator, "GET", api + "/reactienota")["status"] == "vastgesteld":
        api_request(base, coordinator, "PUT", api + "/reactienota", {"status": "concept"})
    api_put_zienswijze(base, server.issue_griffie_code(gemeente), gemeente, {
        "standpunt": "instemmend-met-opmerkingen", "datumRaadsbesluit": "2026-10-28",
        "indiener": {"naam": "Griffie " + gemeente, "email": "griffie@example.nl"}, "toelichting": "Zie het besluit.",
        "opmerkingen": [{"thema": "cybercrime", "tekst": "Meer aandacht voor cybercrime.\nTweede regel."}]})
    reacties = f"/coordinator/raadplegingen/{CONSULTATION}/reacties"
    nota = f"/coordinator/raadplegingen/{CONSULTATION}/reactienota"
    publicatie = f"/raadplegingen/{CONSULTATION}/publicatie"
    open_page(driver, base + reacties)
    visit("reacties")
    open_page(driver, base + f"{reacties}/gemeenten/{gemeente}")
    visit("reactie-gemeente")
    Select(driver.find_element(By.ID, "verwerking-cybercrime")).select_by_value("overgenomen")
    submit(driver, f"form[action='{reacties}/gemeenten/{gemeente}']")
    visit("reactie-gemeente-fout")
    driver.find_element(By.ID, "reactie-cybercrime").send_keys("Wij nemen dit over.")
    submit(driver, f"form[action='{reacties}/gemeenten/{gemeente}']")
    visit("reactie-gemeente-opgeslagen")
    open_page(driver, base + f"{reacties}/themas/cybercrime")
    visit("reacties-thema")
    answer_every_open_zienswijze(base, coordinator, CONSULTATION)
    open_page(driver, base + nota)
    visit("reactienota")
    open_page(driver, base + nota + "/afdrukken")
    visit("reactienota-afdrukken")
    open_page(driver, base + nota)
    driver.execute_script("document.getElementById('rboDatum').value = '2027-01-20'")
    driver.find_element(By.CSS_SELECTOR, "label[for='bevestig-vaststellen']").click()
    submit(driver, f"form[action='{nota}/vaststellen']")
    visit("reactienota-vastgesteld")
    submit(driver, "form[action$='/publicatie/publiceren']")
    visit("reactienota-gepubliceerd")
    open_page(driver, base + nota + "/afdrukken")
    visit("reactienota-afdrukken-vastgesteld")
    driver.delete_all_cookies()
    open_page(driver, base + publicatie)
    visit("publicatie")
    open_page(driver, base + publicatie + "/reactienota")
    visit("publicatie-reactienota")
    api_request(base, coordinator, "DELETE", api + "/publicatie")
    api_request(base, coordinator, "PUT", api + "/reactienota", {"status": "concept"})


@pytest.mark.parametrize("width,gemeente", [(1280, "GM1892"), (375, "GM0627")])
def test_every_page_passes_axe(driver, server, tmp_path, width, gemeente):
    driver.set_window_size(width, 900)
    found = {}

    def visit(name):
        bad = axe_violations(driver)
        if bad:
            found[name] = Axe(driver).report(bad)
        # Mobile first: nothing may make the page itself scroll sideways (tables scroll in their own region).
        scroll, client = driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if scroll > client:
            found[name + " (breedte)"] = f"page is {scroll}px wide in a {client}px viewport"

    walk(driver, server, tmp_path, visit, gemeente)
    assert not found, "\n\n".join(f"== {name}\n{report}" for name, report in found.items())


@pytest.mark.skipif(not os.environ.get("SHOTS_DIR"), reason="set SHOTS_DIR to save screenshots")
def test_screenshots(driver, server, tmp_path):
    directory = Path(os.environ["SHOTS_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    for width, gemeente in ((1280, "GM0579"), (375, "GM0575")):
        def visit(name):
            driver.set_window_size(width, 900)
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(width, min(max(height, 600), 8000) + 150)
            driver.save_screenshot(str(directory / f"{name}-{width}.png"))
            if width < 600:  # a phone page is long: also save it screen by screen, to look at closely
                driver.set_window_size(width, 900)
                inner = driver.execute_script("return window.innerHeight")
                for part, top in enumerate(range(0, height, inner - 60)):
                    driver.execute_script("window.scrollTo(0, arguments[0])", top)
                    driver.save_screenshot(str(directory / f"{name}-{width}-{part}.png"))
                driver.execute_script("window.scrollTo(0, 0)")
            driver.set_window_size(width, 900)
        walk(driver, server, tmp_path, visit, gemeente)
