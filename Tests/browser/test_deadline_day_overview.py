"""Issue 14, item 7 (and 5 on the pages): what the coordinator needs on the day. The overview's
columns (ever logged in, contact, signed decision), the RBO date from the deadline page to the
start page, the audit log as a page (paging, filter, hostile text inert), and the CSV for Excel
read back by LibreOffice. Each test runs on a server of its own (`fresh_server`): they change the
consultation (decision required, titles, deadline) in ways the shared server's tests must not see."""

import csv
import json
import shutil
import subprocess
import time
import urllib.request
from datetime import datetime, timedelta, timezone

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import Client, assert_accessible, click_and_load, login, open_page, submit

CONSULTATION = "coalitie-voor-veiligheid-2023-2026"
API = f"/api/v1/raadplegingen/{CONSULTATION}"
OVERVIEW = f"/coordinator/raadplegingen/{CONSULTATION}"
HOSTILE = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">Z\u0301\u0308\u0327alg\u0336o"
SOFFICE = shutil.which("soffice")


def call(server, method, path, code, body=None, headers=None):
    data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
    request = urllib.request.Request(server.base + path, method=method, data=data, headers={
        "Authorization": "Bearer " + code, "Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=15) as response:
        raw = response.read()
        return json.loads(raw) if raw and response.headers.get_content_type().endswith("json") else raw


def issue(server, gemeente, naam="", email=None):
    body = {"rol": "griffie", "gemeente": gemeente, "naam": naam}
    if email:
        body["email"] = email
    return call(server, "POST", "/api/v1/toegangscodes", server.coordinator_code, body)["code"]


def zienswijze(naam, email, standpunt="instemmend"):
    return {"standpunt": standpunt, "datumRaadsbesluit": "2026-11-05",
            "indiener": {"naam": naam, "email": email}, "toelichting": "Zie het besluit."}


def attach_pdf(server, code, gemeente):
    call(server, "POST", f"{API}/zienswijzen/{gemeente}/bijlagen", code,
         b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
         headers={"Content-Type": "application/pdf", "Content-Disposition": 'attachment; filename="raadsbesluit.pdf"'})


def row(driver, naam):
    return driver.find_element(By.XPATH, f"//table[@id='overzicht']/tbody/tr[th/a[text()='{naam}']]")


def cell(driver, naam, label):
    return row(driver, naam).find_element(By.CSS_SELECTOR, f"td[data-label='{label}']").text


def test_overview_shows_login_contact_and_decision(driver, fresh_server):
    server = fresh_server
    # Leiden: logged in on the web, submitted with the signed decision.
    leiden = issue(server, "GM0546", "Griffie Leiden")
    Client(server.base).login(leiden)
    call(server, "PUT", f"{API}/zienswijzen/GM0546", leiden, zienswijze("L. Eiden", "griffie@leiden.example"))
    attach_pdf(server, leiden, "GM0546")
    # Gouda: submitted without the decision (before it became required).
    gouda = issue(server, "GM0513")
    call(server, "PUT", f"{API}/zienswijzen/GM0513", gouda, zienswijze("G. Ouda", "raad@gouda.example"))
    # Katwijk: a code with a contact, never used. Lisse: nothing at all.
    issue(server, "GM0537", "M. de Vries", "griffie@katwijk.example")

    login(driver, server.base, server.coordinator_code)
    open_page(driver, server.base + OVERVIEW)
    assert cell(driver, "Leiden", "Ooit ingelogd").startswith("Ja, laatst ")
    assert cell(driver, "Leiden", "Raadsbesluit") == "Ja"
    assert "L. Eiden" in cell(driver, "Leiden", "Contact griffie")
    assert "griffie@leiden.example" in cell(driver, "Leiden", "Contact griffie")
    assert "uit de laatste versie" in cell(driver, "Leiden", "Contact griffie")
    assert cell(driver, "Gouda", "Raadsbesluit") == "Ontbreekt"
    assert cell(driver, "Gouda", "Ooit ingelogd").startswith("Ja")  # its code was used through the API
    katwijk = cell(driver, "Katwijk", "Contact griffie")
    assert "M. de Vries" in katwijk and "griffie@katwijk.example" in katwijk and "bij de toegangscode" in katwijk
    assert cell(driver, "Katwijk", "Ooit ingelogd") == "Nee"
    assert cell(driver, "Lisse", "Ooit ingelogd") == "Nee" and cell(driver, "Lisse", "Contact griffie") == "–"
    assert not driver.find_elements(By.ID, "raadsbesluit-ontbreekt")  # not required here: no list
    assert "25 van de 27 griffies" in driver.find_element(By.ID, "nooit-ingelogd").text
    assert driver.find_element(By.ID, "download-excel").text == "Download voor Excel"
    assert_accessible(driver)

    # Where the decision is required (fixed once a consultation opens: a new one), the overview
    # lists every gemeente whose current version lacks it.
    call(server, "POST", "/api/v1/raadplegingen", server.coordinator_code, {
        "id": "besluit-verplicht", "titel": "Besluit verplicht", "raadsbesluitVerplicht": True,
        "deadline": (datetime.now(timezone.utc) + timedelta(days=9)).isoformat(timespec="seconds"),
        "themas": [{"code": "cybercrime", "titel": "Cybercrime"}],
        "uitgenodigdeGemeenten": ["GM0546", "GM0513", "GM0537"]})
    call(server, "PATCH", "/api/v1/raadplegingen/besluit-verplicht", server.coordinator_code, {"status": "open"})
    call(server, "PUT", "/api/v1/raadplegingen/besluit-verplicht/zienswijzen/GM0546", leiden,
         {"standpunt": "geen-zienswijze", "indiener": {"naam": "L. Eiden", "email": "griffie@leiden.example"}})
    open_page(driver, server.base + "/coordinator/raadplegingen/besluit-verplicht")
    missing = driver.find_element(By.ID, "raadsbesluit-ontbreekt").text
    assert "Gouda" in missing and "Katwijk" in missing and "Leiden" not in missing and "(2)" in missing
    assert cell(driver, "Leiden", "Raadsbesluit") == "Niet nodig"
    assert_accessible(driver)

    # At 375 px the table is a list of cards: every cell names its column, nothing scrolls sideways.
    driver.set_window_size(375, 900)
    open_page(driver, server.base + OVERVIEW)
    assert driver.execute_script("return getComputedStyle(document.querySelector('#overzicht thead')).position") == "absolute"
    label = driver.execute_script(
        "return getComputedStyle(document.querySelector('#overzicht td[data-label=Raadsbesluit]'), '::before').content")
    assert "Raadsbesluit" in label
    scroll, client = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client
    assert_accessible(driver)


def test_on_time_then_changed_after_the_deadline_on_the_pages(driver, fresh_server):
    server = fresh_server
    code = issue(server, "GM0579")  # Oegstgeest
    # A deadline a few seconds ahead: version 1 before it, version 2 after it.
    deadline = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=3)
    call(server, "PATCH", API, server.coordinator_code, {"deadline": deadline.isoformat(timespec="seconds")})
    call(server, "PUT", f"{API}/zienswijzen/GM0579", code, zienswijze("O. Geest", "g@oegstgeest.example"))
    time.sleep(max(0.0, (deadline - datetime.now(timezone.utc)).total_seconds()) + 1.2)
    call(server, "PUT", f"{API}/zienswijzen/GM0579", code, zienswijze("O. Geest", "g@oegstgeest.example", "niet-instemmend"))

    login(driver, server.base, server.coordinator_code)
    open_page(driver, server.base + OVERVIEW)
    status = cell(driver, "Oegstgeest", "Status")
    assert "Op tijd ingediend, na de deadline gewijzigd" in status and "Versie 1 kwam op tijd binnen" in status
    assert "waarvan 1 op tijd ingediend" in driver.find_element(By.ID, "aantal-na-deadline-gewijzigd").text
    open_page(driver, server.base + OVERVIEW + "/gemeenten/GM0579")
    on_time = driver.find_element(By.ID, "versie-1")
    assert on_time.get_attribute("open") is not None and "Op tijd ontvangen" in on_time.text
    assert "Op tijd ingediend, na de deadline gewijzigd" in driver.find_element(By.CSS_SELECTOR, ".summary-list").text

    # Moving the deadline later: nothing is late any more, on every page.
    call(server, "PATCH", API, server.coordinator_code,
         {"deadline": (datetime.now(timezone.utc) + timedelta(days=2)).isoformat(timespec="seconds")})
    open_page(driver, server.base + OVERVIEW)
    assert cell(driver, "Oegstgeest", "Status") == "Ingediend"
    assert driver.find_element(By.ID, "aantal-te-laat").text == "0"


def test_rbo_date_from_the_deadline_page_to_the_start_page(driver, fresh_server):
    server = fresh_server
    login(driver, server.base, server.coordinator_code)
    open_page(driver, server.base + OVERVIEW + "/deadline")
    # Without an RBO date the section says so (it once showed the deadline: a template looked the
    # missing date up in the page around it).
    section = driver.find_element(By.XPATH, "//h2[@id='rbo']/following-sibling::p[1]").text
    assert "nog niet vastgesteld" in section and "december" not in section, section
    for field, value in (("rbo-dag", "31"), ("rbo-maand", "2"), ("rbo-jaar", "2027")):
        driver.find_element(By.ID, field).clear()
        driver.find_element(By.ID, field).send_keys(value)
    submit(driver, "form[action$='/rbo']")
    assert "Controleer uw invoer" in driver.page_source and driver.find_element(By.ID, "rbo-error").is_displayed()
    assert driver.find_element(By.ID, "rbo-dag").get_attribute("value") == "31"  # what was typed is kept
    assert_accessible(driver)
    driver.find_element(By.ID, "rbo-dag").clear()
    driver.find_element(By.ID, "rbo-dag").send_keys("15")
    submit(driver, "form[action$='/rbo']")
    assert "De datum van de RBO-vergadering is opgeslagen." in driver.page_source
    assert "15 februari 2027" in driver.page_source
    open_page(driver, server.base + OVERVIEW)
    assert "15 februari 2027" in driver.find_element(By.ID, "rbo").text

    login(driver, server.base, issue(server, "GM0626"))  # Voorschoten's griffie
    open_page(driver, server.base + "/")
    assert "Het RBO behandelt de zienswijzen in zijn vergadering van 15 februari 2027" in driver.find_element(
        By.CSS_SELECTOR, ".rbo-date").text
    assert_accessible(driver)


def test_audit_log_page_pages_filters_and_keeps_hostile_text_inert(driver, fresh_server):
    server = fresh_server
    coordinator = server.coordinator_code
    for n in range(55):
        call(server, "PATCH", API, coordinator, {"titel": f"Coalitie voor veiligheid {n}"})
    call(server, "PATCH", API, coordinator, {"titel": HOSTILE})
    hostile_code = issue(server, "GM0638", HOSTILE)  # Zoeterwoude
    call(server, "PUT", f"{API}/zienswijzen/GM0638", hostile_code, zienswijze("Z. Woude", "z@zoeterwoude.example"))

    login(driver, server.base, coordinator)
    open_page(driver, server.base + OVERVIEW + "/deadline")
    click_and_load(driver, driver.find_element(By.LINK_TEXT, "logboek"))
    assert driver.current_url.endswith("/coordinator/logboek")
    assert driver.find_element(By.CSS_SELECTOR, "nav.site-nav a[href='/coordinator/logboek']")
    rows = driver.find_elements(By.CSS_SELECTOR, "#logboek tbody tr")
    assert len(rows) == 50
    text = driver.find_element(By.ID, "logboek").text
    assert "Zienswijze ingediend" in text and "Raadpleging gewijzigd" in text and "zienswijze-ingediend" not in text
    assert "titel=" + HOSTILE[:8] in text and "Griffie Zoeterwoude (code" in text
    assert driver.execute_script("return window.__pwned") is None
    assert not driver.find_elements(By.CSS_SELECTOR, "#logboek script, #logboek img")
    first_page = [r.find_element(By.CSS_SELECTOR, "time").get_attribute("datetime") for r in rows]
    assert first_page == sorted(first_page, reverse=True)  # newest first
    assert_accessible(driver)

    click_and_load(driver, driver.find_element(By.ID, "oudere"))
    assert "voor=" in driver.current_url
    older = driver.find_elements(By.CSS_SELECTOR, "#logboek tbody tr")
    assert 0 < len(older) <= 50
    assert older[0].find_element(By.CSS_SELECTOR, "time").get_attribute("datetime") <= first_page[-1]
    assert driver.find_element(By.LINK_TEXT, "Nieuwste")

    open_page(driver, server.base + "/coordinator/logboek")
    Select(driver.find_element(By.ID, "gemeente")).select_by_visible_text("Zoeterwoude")
    submit(driver, "form.filter")
    assert driver.current_url.endswith("/coordinator/logboek?gemeente=GM0638")
    filtered = driver.find_element(By.ID, "logboek").text
    assert "Zienswijze ingediend" in filtered and "Toegangscode uitgegeven" in filtered
    assert "Raadpleging gewijzigd" not in filtered
    assert "deadline bij ontvangst" in filtered or "geen deadline bij ontvangst" in filtered
    assert driver.execute_script("return window.__pwned") is None

    driver.set_window_size(375, 900)
    open_page(driver, server.base + "/coordinator/logboek")
    scroll, client = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client
    assert_accessible(driver)


def excel_csv(server):
    client = Client(server.base)
    client.login(server.coordinator_code)
    status, headers, body = client.get(OVERVIEW + "/export-excel.csv")
    assert status == 200
    return headers, body


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it")
def test_excel_csv_opens_in_libreoffice_with_dutch_labels(fresh_server, tmp_path):
    server = fresh_server
    code = issue(server, "GM0518")
    body = zienswijze("=HYPERLINK(\"http://x\")", "griffie@denhaag.example", "instemmend-met-opmerkingen")
    body["datumRaadsbesluit"] = "2026-11-20"
    body["toelichting"] = "-5 agenten; 's-Gravenhage, één"
    call(server, "PUT", f"{API}/zienswijzen/GM0518", code, body)
    headers, exported = excel_csv(server)
    assert exported.startswith(b"\xef\xbb\xbf") and b"\r\n" in exported
    assert "-excel.csv" in str(headers)
    # The same bytes over REST.
    assert call(server, "GET", f"{API}/zienswijzen?formaat=excel", server.coordinator_code) == exported

    source = tmp_path / "excel.csv"
    source.write_bytes(exported)
    # 59 = ';' separator, 34 = '"' text delimiter, 76 = UTF-8, 1 = first line.
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--infilter=CSV:59,34,76,1", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1",
                    "--outdir", str(tmp_path / "out"), str(source)], check=True, capture_output=True, timeout=180)
    with open(tmp_path / "out" / "excel.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, lines = rows[0], rows[1:]
    assert header[:7] == ["Gemeente", "CBS-code", "Regio", "Status", "Versie", "Kenmerk", "Ontvangen op"]
    assert "Opmerking: Cybercrime en gedigitaliseerde criminaliteit" in header and header[-1] == "Controlegetal"
    assert len(lines) == 27 and all(len(line) == len(header) for line in lines)
    den_haag = dict(zip(header, next(line for line in lines if line[1] == "GM0518")))
    assert den_haag["Gemeente"] == "Den Haag" and den_haag["Status"] == "Ingediend"
    assert den_haag["Standpunt"] == "Instemmend met opmerkingen"
    assert den_haag["Datum raadsbesluit"] == "20-11-2026"
    assert den_haag["Raadsbesluit bijgevoegd"] == "Nee"
    day, time = den_haag["Ontvangen op"].split(" ")
    assert len(day.split("-")) == 3 and len(time) == 5 and day.split("-")[2] == str(datetime.now().year)
    # Formulas stay text: the leading apostrophe keeps Calc from running them.
    assert den_haag["Ingediend door"].lstrip("'") == "=HYPERLINK(\"http://x\")"
    assert den_haag["Toelichting"].lstrip("'") == "-5 agenten; 's-Gravenhage, één"
    alphen = dict(zip(header, next(line for line in lines if line[1] == "GM0484")))
    assert alphen["Status"] == "Nog niet ingediend" and alphen["Versie"] == ""


def test_conflict_pages_say_dat_kan_nu_niet_and_lead_on(fresh_server):
    """Every 409 page has the heading and a way on that is not the refused address itself."""
    import re
    server = fresh_server
    code = issue(server, "GM0603")  # Rijswijk
    call(server, "PUT", f"{API}/zienswijzen/GM0603", code, zienswijze("R. Wijk", "g@rijswijk.example"))
    call(server, "PATCH", API, server.coordinator_code, {"status": "gesloten"})
    griffie = Client(server.base)
    griffie.login(code)
    refused = f"/raadplegingen/{CONSULTATION}/zienswijze/intrekken"
    status, _, body = griffie.get(refused)
    html = body.decode()
    assert status == 409 and "<h1>Dat kan nu niet</h1>" in html
    onward = re.findall(r'<a class="button" href="([^"]+)" id="verder">', html)
    assert onward == [f"/raadplegingen/{CONSULTATION}/zienswijze"] and onward[0] != refused
    status, _, body = griffie.get(onward[0])
    assert status == 200 and "Uw ontvangstbevestigingen" in body.decode()

    coordinator = Client(server.base)
    coordinator.login(server.coordinator_code)
    own = next(c["id"] for c in call(server, "GET", "/api/v1/toegangscodes", server.coordinator_code)
               if c["rol"] == "coordinator")
    refused = f"/coordinator/toegangscodes/{own}/intrekken"
    status, _, body = coordinator.get(refused)
    html = body.decode()
    assert status == 409 and "<h1>Dat kan nu niet</h1>" in html
    onward = re.findall(r'<a class="button" href="([^"]+)" id="verder">', html)
    assert onward == ["/coordinator/toegangscodes"]


def test_the_coordinators_day_without_javascript_at_375_px(nojs_driver, fresh_server):
    """The same pages with JavaScript off on a phone: every form is a plain form that works."""
    server, driver = fresh_server, nojs_driver
    driver.set_window_size(375, 900)
    leiden = issue(server, "GM0546", "Griffie Leiden")
    call(server, "PUT", f"{API}/zienswijzen/GM0546", leiden, zienswijze("L. Eiden", "griffie@leiden.example"))
    login(driver, server.base, server.coordinator_code)

    # The overview: columns as cards, the Excel download a plain link.
    open_page(driver, server.base + OVERVIEW)
    assert cell(driver, "Leiden", "Raadsbesluit") == "Ontbreekt"
    assert "L. Eiden" in cell(driver, "Leiden", "Contact griffie")
    assert driver.find_element(By.ID, "download-excel").get_attribute("href").endswith("/export-excel.csv")

    # The RBO date through the deadline page's form, shown on the overview.
    open_page(driver, server.base + OVERVIEW + "/deadline")
    for field, value in (("rbo-dag", "14"), ("rbo-maand", "januari"), ("rbo-jaar", "2027")):
        driver.find_element(By.ID, field).send_keys(value)
    submit(driver, "form[action$='/rbo']")
    assert "De datum van de RBO-vergadering is opgeslagen." in driver.page_source
    open_page(driver, server.base + OVERVIEW)
    assert "14 januari 2027" in driver.find_element(By.ID, "rbo").text

    # The audit log's filter is a GET form.
    open_page(driver, server.base + "/coordinator/logboek")
    Select(driver.find_element(By.ID, "gemeente")).select_by_visible_text("Leiden")
    submit(driver, "form.filter")
    assert driver.current_url.endswith("/coordinator/logboek?gemeente=GM0546")
    filtered = driver.find_element(By.ID, "logboek").text
    assert "Zienswijze ingediend" in filtered and "Raadpleging gewijzigd" not in filtered
