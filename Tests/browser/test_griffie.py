"""The griffier's road: log in, fill in, upload, submit, receipt, revise, withdraw; and the error path."""

import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from support import (Client, api_get, assert_accessible, click_and_load, fill_decision_date, login, open_page, submit,
                     wait, write_pdf)

FORM = "form[action$='/zienswijze']"


def test_whole_griffie_flow(driver, server, tmp_path):
    code = server.issue_griffie_code("GM0503")  # Delft
    login(driver, server.base, code)
    assert driver.current_url.endswith("/zienswijze")
    cookie = driver.get_cookie("zw_sessie")
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax"
    assert "Delft" in driver.find_element(By.TAG_NAME, "h1").text
    assert driver.title.startswith("Zienswijze van Delft")
    assert_accessible(driver)

    # Fill in, with a PDF.
    driver.find_element(By.CSS_SELECTOR, "label[for='standpunt-instemmend-met-opmerkingen']").click()
    fill_decision_date(driver, "2026-11-12")
    driver.find_element(By.ID, "indiener-naam").send_keys("Anna de Griffier")
    driver.find_element(By.ID, "indiener-email").send_keys("griffie@delft.nl")
    driver.find_element(By.ID, "toelichting").send_keys("De raad steunt het plan.\nMet twee kanttekeningen.")
    driver.find_element(By.ID, "opmerking-cybercrime").send_keys("Meer aandacht voor oudere inwoners.")
    driver.find_element(By.ID, "bestand").send_keys(write_pdf(tmp_path))
    submit(driver, FORM)

    # The receipt (PRG: its own URL).
    assert re.search(r"/zienswijze/ontvangstbevestiging/1$", driver.current_url)
    kenmerk = driver.find_element(By.ID, "kenmerk").text
    assert re.fullmatch(r"ZW-\d{4}-GM0503-0001", kenmerk)
    assert "op tijd" in driver.find_element(By.ID, "op-tijd").text
    digest = driver.find_element(By.ID, "digest").text
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    page = driver.find_element(By.TAG_NAME, "main").text
    assert "Instemmend met opmerkingen" in page and "12 november 2026" in page
    assert "Meer aandacht voor oudere inwoners." in page and "Anna de Griffier" in page
    assert driver.find_elements(By.CSS_SELECTOR, "link[rel=stylesheet][media=print]")
    assert driver.find_element(By.CSS_SELECTOR, "[data-print]").is_displayed()  # shown by site.js
    # The page shows what the API returns.
    api = api_get(server.base, code, "/api/v1/raadplegingen/coalitie-voor-veiligheid-2023-2026/zienswijzen/GM0503")
    assert api["sha256"] == digest and api["kenmerk"] == kenmerk
    assert_accessible(driver)

    # The attachment downloads for this griffie, as a PDF attachment.
    href = driver.find_element(By.CSS_SELECTOR, "a[href*='/zienswijze/bijlagen/']").get_attribute("href")
    client = Client(server.base)
    status, headers, body = client.get(href.replace(server.base, ""),
                                       headers={"Cookie": f"zw_sessie={driver.get_cookie('zw_sessie')['value']}"})
    assert status == 200 and body.startswith(b"%PDF-")
    assert headers["Content-Disposition"].startswith("attachment;")

    # Revise: the form comes prefilled from version 1.
    click_and_load(driver, driver.find_element(By.LINK_TEXT, "Zienswijze wijzigen"))
    assert driver.find_element(By.ID, "standpunt-instemmend-met-opmerkingen").is_selected()
    assert [driver.find_element(By.ID, f"datumRaadsbesluit-{part}").get_attribute("value")
            for part in ("dag", "maand", "jaar")] == ["12", "11", "2026"]
    assert driver.find_element(By.ID, "indiener-naam").get_attribute("value") == "Anna de Griffier"
    assert driver.find_element(By.ID, "indiener-email").get_attribute("value") == "griffie@delft.nl"
    assert driver.find_element(By.ID, "toelichting").get_attribute("value") == "De raad steunt het plan.\nMet twee kanttekeningen."
    assert driver.find_element(By.ID, "opmerking-cybercrime").get_attribute("value") == "Meer aandacht voor oudere inwoners."
    assert "raadsbesluit.pdf" in driver.find_element(By.CSS_SELECTOR, ".attachments").text
    driver.find_element(By.CSS_SELECTOR, "label[for='standpunt-instemmend']").click()
    submit(driver, FORM)
    assert driver.current_url.endswith("/zienswijze/ontvangstbevestiging/2")
    assert driver.find_element(By.ID, "kenmerk").text.endswith("-0002")
    assert "raadsbesluit.pdf" in driver.find_element(By.TAG_NAME, "main").text  # attachments carry over

    # Withdraw, after a confirmation page.
    click_and_load(driver, driver.find_element(By.LINK_TEXT, "Zienswijze intrekken"))
    assert driver.current_url.endswith("/zienswijze/intrekken")
    assert "Weet u zeker" in driver.find_element(By.TAG_NAME, "h1").text
    assert_accessible(driver)
    submit(driver, "form[action$='/zienswijze/intrekken']")
    assert driver.current_url.endswith("/zienswijze/ontvangstbevestiging/3")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Zienswijze ingetrokken"
    assert not driver.find_elements(By.LINK_TEXT, "Zienswijze intrekken")
    assert_accessible(driver)
    api = api_get(server.base, code, "/api/v1/raadplegingen/coalitie-voor-veiligheid-2023-2026/zienswijzen/GM0503")
    assert api["status"] == "ingetrokken" and api["versie"] == 3

    # Log out: the session is gone.
    submit(driver, "form[action='/uitloggen']")
    open_page(driver, server.base + "/zienswijze")
    assert driver.current_url.endswith("/inloggen")


def test_error_path_keeps_input_and_focuses_summary(driver, server, tmp_path):
    login(driver, server.base, server.issue_griffie_code("GM0546"))  # Leiden
    driver.find_element(By.ID, "indiener-naam").send_keys("Piet <Jansen>")
    driver.find_element(By.ID, "indiener-email").send_keys("geen-adres")
    driver.find_element(By.ID, "toelichting").send_keys("Eerste regel\nTweede regel & meer")
    driver.find_element(By.ID, "opmerking-ondermijning").send_keys("Opmerking over ondermijning")
    driver.find_element(By.ID, "bestand").send_keys(write_pdf(tmp_path, "besluit-leiden.pdf"))
    submit(driver, FORM)

    assert driver.current_url.endswith("/zienswijze")
    assert driver.title.startswith("Fout:")
    summary = driver.find_element(By.CSS_SELECTOR, ".error-summary")
    heading = summary.find_element(By.TAG_NAME, "h2")
    wait(driver).until(lambda d: d.switch_to.active_element == heading)

    links = {a.get_attribute("hash"): a.text for a in summary.find_elements(By.CSS_SELECTOR, "a")}
    assert "Kies het standpunt van de raad." == links["#standpunt-instemmend"]
    assert "#datumRaadsbesluit-dag" in links
    assert "geldig e-mailadres" in links["#indiener-email"]
    assert "opnieuw" in links["#bestand"]  # a chosen file cannot be kept; the page says so
    for target in links:
        assert driver.find_element(By.ID, target[1:]).is_displayed() or target == "#standpunt-instemmend"

    # The message also stands at each field, and the fields are marked invalid.
    assert "Kies het standpunt" in driver.find_element(By.ID, "standpunt-error").text
    assert "geldig e-mailadres" in driver.find_element(By.ID, "indiener-email-error").text
    email = driver.find_element(By.ID, "indiener-email")
    assert email.get_attribute("aria-invalid") == "true"
    assert "indiener-email-error" in email.get_attribute("aria-describedby")
    assert "opnieuw" in driver.find_element(By.ID, "bestand-opnieuw").text

    # Everything typed is kept.
    assert driver.find_element(By.ID, "indiener-naam").get_attribute("value") == "Piet <Jansen>"
    assert email.get_attribute("value") == "geen-adres"
    assert driver.find_element(By.ID, "toelichting").get_attribute("value") == "Eerste regel\nTweede regel & meer"
    assert driver.find_element(By.ID, "opmerking-ondermijning").get_attribute("value") == "Opmerking over ondermijning"
    assert_accessible(driver)

    # A summary link moves focus to its field.
    summary.find_element(By.CSS_SELECTOR, "a[href='#indiener-email']").click()
    wait(driver).until(lambda d: d.switch_to.active_element == email)


def test_error_summary_first_and_focused_without_javascript(nojs_driver, server):
    driver = nojs_driver
    login(driver, server.base, server.issue_griffie_code("GM0513"))  # Gouda
    driver.find_element(By.ID, "indiener-naam").send_keys("Zonder Script")
    submit(driver, FORM)
    main = driver.find_element(By.TAG_NAME, "main")
    first = main.find_element(By.XPATH, "./*[1]")
    assert "error-summary" in first.get_attribute("class")
    heading = first.find_element(By.TAG_NAME, "h2")
    wait(driver).until(lambda d: d.switch_to.active_element == heading)  # `autofocus`, no script
    assert driver.find_element(By.ID, "indiener-naam").get_attribute("value") == "Zonder Script"
