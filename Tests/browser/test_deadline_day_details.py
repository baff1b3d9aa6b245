"""Issue 14, the web front on deadline day, continued: the small things (item 9), old versions that
looked current (item 8) and the receipt on paper (item 10). Without JavaScript where the behaviour
must not need it; axe runs where JavaScript does (see test_deadline_day.py)."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import (CODE_PATTERN, api_put_zienswijze, assert_accessible, click_and_load, fill_decision_date, login,
                     open_page, submit, wait)


# MARK: item 9, small things

def test_print_and_copy_buttons_only_with_javascript(driver, nojs_driver, server):
    code = server.issue_griffie_code("GM0569")  # Nieuwkoop
    api_put_zienswijze(server.base, code, "GM0569", {
        "standpunt": "geen-zienswijze", "indiener": {"naam": "Griffie", "email": "griffie@nieuwkoop.example"}})
    for browser, shown in ((nojs_driver, False), (driver, True)):
        login(browser, server.base, code)
        open_page(browser, server.base + "/zienswijze/ontvangstbevestiging/1")
        assert browser.find_element(By.CSS_SELECTOR, "[data-print]").is_displayed() == shown
        login(browser, server.base, server.coordinator_code)
        open_page(browser, server.base + "/coordinator/toegangscodes")
        Select(browser.find_element(By.ID, "code-gemeente")).select_by_visible_text("Nieuwkoop")
        submit(browser, "form[action='/coordinator/toegangscodes']")
        assert browser.find_element(By.CSS_SELECTOR, "[data-copy]").is_displayed() == shown


def test_an_access_code_breaks_only_between_groups_on_a_phone(driver, server):
    driver.set_window_size(375, 900)
    login(driver, server.base, server.coordinator_code)
    open_page(driver, server.base + "/coordinator/toegangscodes")
    Select(driver.find_element(By.ID, "code-gemeente")).select_by_visible_text("Teylingen")
    submit(driver, "form[action='/coordinator/toegangscodes']")
    code = driver.find_element(By.ID, "nieuwe-code")
    assert CODE_PATTERN.match(code.text.replace("\n", ""))
    groups = code.find_elements(By.CSS_SELECTOR, ".code-group")
    assert len(groups) == 5
    # Each group on one line: its box is one line high.
    line = driver.execute_script("return parseFloat(getComputedStyle(arguments[0]).lineHeight)", code)
    assert all(g.size["height"] <= line * 1.2 for g in groups), [g.size for g in groups]
    scroll, client = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client
    assert_accessible(driver)


def test_form_wording_and_dutch_dates(driver, server):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo
    login(driver, server.base, server.issue_griffie_code("GM1525"))  # Teylingen
    open_page(driver, server.base + "/zienswijze")
    assert "(PDF) (optioneel)" not in driver.find_element(By.CSS_SELECTOR, "label[for='bestand']").text
    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
              "november", "december"]
    driver.find_element(By.CSS_SELECTOR, "label[for='standpunt-instemmend']").click()
    fill_decision_date(driver, (today + timedelta(days=2)).isoformat())
    submit(driver, "form[action$='/zienswijze']")
    message = driver.find_element(By.ID, "datumRaadsbesluit-error").text
    assert f"(vandaag is {today.day} {months[today.month - 1]} {today.year})" in message


def test_a_withdrawal_receipt_does_not_say_on_time(driver, server):
    code = server.issue_griffie_code("GM0626")  # Voorschoten
    api_put_zienswijze(server.base, code, "GM0626", {
        "standpunt": "geen-zienswijze", "indiener": {"naam": "Griffie", "email": "griffie@voorschoten.example"}})
    login(driver, server.base, code)
    open_page(driver, server.base + "/zienswijze/intrekken")
    submit(driver, "form[action$='/zienswijze/intrekken']")
    assert "Zienswijze ingetrokken" in driver.find_element(By.TAG_NAME, "h1").text
    assert not driver.find_elements(By.ID, "op-tijd")


def test_a_malformed_code_has_its_own_message_and_stays_in_the_field(driver, server):
    open_page(driver, server.base + "/inloggen")
    driver.find_element(By.ID, "code").send_keys("7K3M-QX9D")
    submit(driver, "form[action='/inloggen']")
    assert "geen geldige toegangscode" in driver.find_element(By.ID, "code-error").text
    assert driver.find_element(By.ID, "code").get_attribute("value") == "7K3M-QX9D"
    field = driver.find_element(By.ID, "code")
    field.clear()
    field.send_keys("AAAA-BBBB-CCCC-DDDD-EEEF")
    submit(driver, "form[action='/inloggen']")
    assert "onbekend of ingetrokken" in driver.find_element(By.ID, "code-error").text
    assert driver.find_element(By.ID, "code").get_attribute("value") == "AAAA-BBBB-CCCC-DDDD-EEEF"


@pytest.fixture
def contact_server():
    from serverprocess import ServerProcess
    from support import Server

    class ContactServer(Server):
        def __init__(self):
            ServerProcess.__init__(self, extra_args=[
                "--log-level", "info", "--contact-naam", "RSIV Den Haag", "--contact-email", "rsiv@politie.example.nl",
                "--contact-telefoon", "088 123 45 67"], tmp_prefix="zienswijzen-browser-")
            try:
                self.start(timeout=60)
            except BaseException:
                self.cleanup()
                raise

    srv = ContactServer()
    yield srv
    srv.close()


def test_the_footer_names_the_rsiv_contact_and_invitations_are_signed_by_it(driver, server, contact_server):
    open_page(driver, server.base + "/")
    assert not driver.find_elements(By.ID, "contact")
    open_page(driver, contact_server.base + "/")
    contact = driver.find_element(By.ID, "contact")
    assert "RSIV Den Haag" in contact.text and "rsiv@politie.example.nl" in contact.text and "088 123 45 67" in contact.text
    assert contact.find_element(By.CSS_SELECTOR, "a[href='mailto:rsiv@politie.example.nl']")
    assert contact.find_element(By.CSS_SELECTOR, "a[href='tel:0881234567']")
    assert_accessible(driver)
    login(driver, contact_server.base, contact_server.coordinator_code)
    open_page(driver, contact_server.base + "/coordinator/toegangscodes")
    Select(driver.find_element(By.ID, "code-gemeente")).select_by_visible_text("Delft")
    submit(driver, "form[action='/coordinator/toegangscodes']")
    message = driver.find_element(By.ID, "bericht").get_attribute("value")
    assert message.rstrip().endswith("RSIV Den Haag") and "Eerste coördinator" not in message


# MARK: item 8, old versions

def test_a_replaced_version_says_so(driver, server):
    code = server.issue_griffie_code("GM0638")  # Zoeterwoude
    for toelichting in ("Eerste versie.", "Tweede versie."):
        api_put_zienswijze(server.base, code, "GM0638", {
            "standpunt": "geen-zienswijze", "toelichting": toelichting,
            "indiener": {"naam": "Griffie", "email": "griffie@zoeterwoude.example"}})
    login(driver, server.base, code)
    open_page(driver, server.base + "/zienswijze/ontvangstbevestiging/1")
    assert not driver.find_elements(By.CSS_SELECTOR, ".confirmation-panel")
    assert "vervangen door versie 2" in driver.find_element(By.ID, "vervangen").text
    assert_accessible(driver)
    click_and_load(driver, driver.find_element(By.LINK_TEXT, "Bekijk de ontvangstbevestiging van versie 2"))
    assert driver.find_element(By.CSS_SELECTOR, ".confirmation-panel h1").text == "Zienswijze ontvangen"

    login(driver, server.base, server.coordinator_code)
    open_page(driver, server.base + "/coordinator/gemeenten/GM0638")
    replaced = driver.find_elements(By.CSS_SELECTOR, "details.version-replaced")
    assert len(replaced) == 1 and replaced[0].get_attribute("open") is None
    assert "Vervangen" in replaced[0].find_element(By.TAG_NAME, "summary").text
    assert "Tweede versie." in driver.find_element(By.CSS_SELECTOR, "section.version").text
    assert not replaced[0].find_element(By.XPATH, ".//*[contains(text(), 'Eerste versie.')]").is_displayed()
    assert_accessible(driver)


# MARK: item 10, the receipt on paper

def test_the_receipt_prints_what_proves_the_submission(driver, server):
    code = server.issue_griffie_code("GM0603")  # Rijswijk
    api_put_zienswijze(server.base, code, "GM0603", {
        "standpunt": "niet-instemmend", "datumRaadsbesluit": "2026-11-05", "toelichting": "De raad mist de wijkagent.",
        "indiener": {"naam": "Griffie Rijswijk", "email": "griffie@rijswijk.example"}})
    login(driver, server.base, code)
    open_page(driver, server.base + "/zienswijze/ontvangstbevestiging/1")
    assert "U hoeft verder niets te doen" in driver.find_element(By.ID, "wat-nu").find_element(By.XPATH, "..").text
    assert_accessible(driver)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        wait(driver).until(lambda d: not d.find_element(By.CSS_SELECTOR, ".site-nav, nav").is_displayed())
        main = driver.find_element(By.TAG_NAME, "main")
        for shown in ("kenmerk", "digest"):
            assert driver.find_element(By.ID, shown).is_displayed()
        digest = driver.find_element(By.ID, "digest")
        assert driver.execute_script("return arguments[0].scrollWidth <= arguments[0].clientWidth + 1", digest)
        assert "ZW-2026-GM0603-0001" in main.text and "Ontvangen op" in main.text
        assert "De raad mist de wijkagent." in main.text and "Wat gebeurt er nu?" in main.text
        assert not driver.find_element(By.CSS_SELECTOR, "[data-print]").is_displayed()
        assert not driver.find_element(By.CSS_SELECTOR, ".site-subnav").is_displayed()
        assert driver.print_page()  # Chromium makes a PDF of it
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
