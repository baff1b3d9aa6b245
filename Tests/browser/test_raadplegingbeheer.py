"""Issue 17 in the browser: a coordinator sets up a second consultation (create, themes, invited
gemeenten, documents, open), a griffie of an invited gemeente chooses it and submits, a griffie of
another gemeente is refused, the coordinator closes it and exports only its own zienswijzen; the
register takes a merger. Every new page is scanned with axe. On a server of its own: two open
consultations change where people land after logging in."""

import hashlib
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import Client, assert_accessible, click_and_load, fill_decision_date, login, open_page, submit

NEW = "oefenronde-2027"


def pdf_file(directory, name, seed):
    data = b"%PDF-1.7\n" + b"".join(hashlib.sha256(f"{seed}-{n}".encode()).digest() for n in range(2000))
    path = Path(directory) / name
    path.write_bytes(data)
    return str(path), data


def button(driver, text):
    return driver.find_element(By.XPATH, f"//button[normalize-space(text())='{text}']")


def success(driver):
    return driver.find_element(By.CSS_SELECTOR, ".success-panel").text


def test_second_consultation_in_the_browser(driver, fresh_server, tmp_path):
    server = fresh_server
    base = server.base
    login(driver, base, server.coordinator_code)
    click_and_load(driver, driver.find_element(By.LINK_TEXT, "Raadplegingen"))
    assert driver.current_url.endswith("/coordinator/raadplegingen")
    assert_accessible(driver)

    # A bad id is refused with the error summary, what was typed kept.
    driver.find_element(By.ID, "nieuw-id").send_keys("Oefenronde 2027")
    driver.find_element(By.ID, "nieuw-titel").send_keys("Oefenronde met de raden")
    submit(driver, "form[action='/coordinator/raadplegingen']")
    assert driver.title.startswith("Fout:")
    assert driver.find_element(By.CSS_SELECTOR, ".error-summary a[href='#nieuw-id']")
    assert driver.find_element(By.ID, "nieuw-titel").get_attribute("value") == "Oefenronde met de raden"
    assert_accessible(driver)
    field = driver.find_element(By.ID, "nieuw-id")
    field.clear()
    field.send_keys(NEW)
    driver.find_element(By.ID, "nieuw-omschrijving").send_keys("Een oefening voor het echte plan.\nNiets hiervan telt.")
    submit(driver, "form[action='/coordinator/raadplegingen']")
    assert driver.current_url.endswith(f"/coordinator/raadplegingen/{NEW}/bewerken?opgeslagen=aangemaakt")
    assert "aangemaakt" in success(driver) and "In voorbereiding" in driver.find_element(By.CSS_SELECTOR, ".lead").text
    assert_accessible(driver)

    # Two themes, one at a time.
    for code, titel in (("weerbaarheid", "Digitale weerbaarheid"), ("jeugd", "Jeugd en veiligheid")):
        driver.find_element(By.ID, "thema-nieuw-code").send_keys(code)
        driver.find_element(By.ID, "thema-nieuw-titel").send_keys(titel)
        driver.find_element(By.ID, "thema-nieuw-samenvatting").send_keys(f"Over {titel.lower()}.")
        submit(driver, "form[action$='/themas']")
        assert "thema’s zijn opgeslagen" in success(driver)
    assert driver.find_element(By.ID, "thema-1-titel").get_attribute("value") == "Jeugd en veiligheid"

    # Invite only Delft and Leiden.
    driver.execute_script("document.querySelectorAll(\"input[name=gemeente]\").forEach(b => b.checked = false)")
    driver.find_element(By.ID, "gemeente-GM0503").click()
    driver.find_element(By.ID, "gemeente-GM0546").click()
    submit(driver, "form[action$='/uitnodigingen']")
    assert "gemeenten zijn opgeslagen" in success(driver)

    # Documents: the plan (not public) and the letter (public).
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, ".site-subnav a[href$='/documenten']"))
    assert_accessible(driver)
    plan_path, plan = pdf_file(tmp_path, "oefenplan.pdf", "plan")
    letter_path, letter = pdf_file(tmp_path, "brief.pdf", "brief")
    for soort, titel, path, public in (("ontwerpbeleidsplan", "Het oefenplan", plan_path, False),
                                       ("aanbiedingsbrief", "De brief", letter_path, True)):
        Select(driver.find_element(By.ID, "document-soort")).select_by_value(soort)
        driver.find_element(By.ID, "document-titel").send_keys(titel)
        if public:
            driver.find_element(By.ID, "document-openbaar").click()
        driver.find_element(By.ID, "document-bestand").send_keys(path)
        submit(driver, "form[action$='/documenten']")
        assert "toegevoegd" in success(driver)
    listing = driver.find_element(By.CSS_SELECTOR, ".document-list").text
    assert "Het oefenplan" in listing and "niet openbaar" in listing and "De brief" in listing
    assert_accessible(driver)

    # Open it.
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, ".site-subnav a[href$='/bewerken']"))
    click_and_load(driver, button(driver, "Raadpleging openen"))
    assert "geopend" in success(driver)
    assert driver.find_element(By.ID, "raadsbesluitVerplicht").get_attribute("disabled")
    assert_accessible(driver)

    # The public page shows the public document only, which downloads as uploaded.
    anonymous = Client(base)
    status, _, body = anonymous.get(f"/raadplegingen/{NEW}")
    page = body.decode()
    assert status == 200 and "De brief" in page and "Het oefenplan" not in page and "Digitale weerbaarheid" in page
    links = [part.split('"')[0] for part in page.split(f'href="/raadplegingen/{NEW}/documenten/')[1:]]
    status, headers, body = anonymous.get(f"/raadplegingen/{NEW}/documenten/{links[0]}")
    assert status == 200 and body == letter and headers["Content-Type"] == "application/pdf"

    # Delft's griffie now has two open consultations and chooses.
    delft = server.issue_griffie_code("GM0503")
    login(driver, base, delft)
    assert driver.current_url == base + "/"
    cards = driver.find_elements(By.CSS_SELECTOR, ".consultation-card")
    assert len(cards) == 2
    assert_accessible(driver)
    card = next(c for c in cards if "Oefenronde met de raden" in c.text)
    click_and_load(driver, card.find_element(By.CSS_SELECTOR, f"h3 a[href='/raadplegingen/{NEW}']"))
    assert "Het oefenplan" in driver.find_element(By.TAG_NAME, "main").text  # griffies see every document
    assert_accessible(driver)
    href = driver.find_element(By.PARTIAL_LINK_TEXT, "Het oefenplan").get_attribute("href")
    status, _, body = Client(base).get(href.replace(base, ""), headers={"Cookie": f"zw_sessie={driver.get_cookie('zw_sessie')['value']}"})
    assert status == 200 and body == plan
    click_and_load(driver, driver.find_element(By.LINK_TEXT, "Naar het formulier"))
    assert driver.current_url.endswith(f"/raadplegingen/{NEW}/zienswijze")
    assert driver.find_element(By.ID, "opmerking-weerbaarheid") and not driver.find_elements(By.ID, "opmerking-cybercrime")
    driver.find_element(By.CSS_SELECTOR, "label[for='standpunt-instemmend-met-opmerkingen']").click()
    fill_decision_date(driver, "2026-11-02")
    driver.find_element(By.ID, "indiener-naam").send_keys("Griffie Delft")
    driver.find_element(By.ID, "indiener-email").send_keys("griffie@delft.example")
    driver.find_element(By.ID, "opmerking-jeugd").send_keys("Oefenopmerking.")
    submit(driver, "form[action$='/zienswijze']")
    assert driver.current_url.endswith(f"/raadplegingen/{NEW}/zienswijze/ontvangstbevestiging/1")
    assert "Oefenronde met de raden" in driver.find_element(By.TAG_NAME, "main").text
    assert_accessible(driver)

    # Zoetermeer is not invited: refused, and told so on the start page.
    zoetermeer = Client(base)
    zoetermeer.login(server.issue_griffie_code("GM0637"))
    status, _, body = zoetermeer.get(f"/raadplegingen/{NEW}/zienswijze", headers={"Accept": "text/html"})
    assert status == 403 and "niet uitgenodigd" in body.decode()
    assert "niet uitgenodigd" in zoetermeer.get("/")[2].decode()

    # The coordinator closes it and exports only its own zienswijzen.
    login(driver, base, server.coordinator_code)
    assert driver.current_url.endswith("/coordinator/raadplegingen")  # two open: the list
    open_page(driver, base + f"/coordinator/raadplegingen/{NEW}/deadline")
    submit(driver, "form[action$='/status']")
    submit(driver, "#bevestigen")
    assert "gesloten" in success(driver)
    coordinator = Client(base)
    coordinator.login(server.coordinator_code)
    status, _, body = coordinator.get(f"/coordinator/raadplegingen/{NEW}/export.csv")
    lines = body.decode("utf-8-sig").strip().split("\r\n")
    assert status == 200 and len(lines) == 3
    assert any(line.startswith("GM0503;Delft;Haaglanden;ingediend") for line in lines)
    assert any(line.startswith("GM0546;Leiden;Hollands Midden;ontbreekt") for line in lines)
    assert "opmerking jeugd" in lines[0] and "Oefenopmerking." in body.decode("utf-8-sig")
    seeded = coordinator.get("/coordinator/export.csv")[2].decode("utf-8-sig")
    assert "Oefenopmerking." not in seeded and len(seeded.strip().split("\r\n")) == 28

    # The new pages at phone width: axe, and nothing makes the page scroll sideways.
    driver.set_window_size(375, 900)
    for path in ("/", f"/raadplegingen/{NEW}", "/coordinator/raadplegingen", f"/coordinator/raadplegingen/{NEW}/bewerken",
                 f"/coordinator/raadplegingen/{NEW}/documenten", "/coordinator/register"):
        open_page(driver, base + path)
        assert_accessible(driver)
        scroll, client = driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll <= client, f"{path}: {scroll}px wide in {client}px"

def test_register_in_the_browser(driver, fresh_server):
    server = fresh_server
    login(driver, server.base, server.coordinator_code)
    click_and_load(driver, driver.find_element(By.LINK_TEXT, "Gemeenten"))
    assert len(driver.find_elements(By.CSS_SELECTOR, "#register tbody tr")) == 27
    assert_accessible(driver)

    driver.find_element(By.ID, "gemeente-code").send_keys("GM1966")
    driver.find_element(By.ID, "gemeente-naam").send_keys("Nieuwe Gemeente")
    driver.find_element(By.ID, "gemeente-regio").send_keys("Verkeerde Regio")
    submit(driver, "form[action='/coordinator/register']")
    assert driver.find_element(By.ID, "gemeente-regio-error").text
    assert_accessible(driver)
    field = driver.find_element(By.ID, "gemeente-regio")
    field.clear()
    field.send_keys("Hollands Midden")
    submit(driver, "form[action='/coordinator/register']")
    assert "GM1966 is toegevoegd" in success(driver)
    assert len(driver.find_elements(By.CSS_SELECTOR, "#register tbody tr")) == 28

    Select(driver.find_element(By.ID, "samenvoeging-gemeente")).select_by_value("GM0534")
    Select(driver.find_element(By.ID, "samenvoeging-in")).select_by_value("GM0553")
    driver.execute_script("document.getElementById('samenvoeging-datum').value = '2027-01-01'")
    submit(driver, "form[action='/coordinator/register/samenvoeging']")
    assert "GM0534" in success(driver)
    row = driver.find_element(By.XPATH, "//table[@id='register']//tr[th[text()='Hillegom']]")
    assert "Samengevoegd in Lisse per 1 januari 2027" in row.text
    assert_accessible(driver)

