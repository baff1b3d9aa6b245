"""Issue 15, item 3: the reactienota as a printable web page. The coordinator's version shows the
state of now (every remark, reaction and verwerking, an overview row per gemeente that submitted,
"Concept" until vastgesteld), keeps hostile text inert, prints to an A4 PDF that holds the text and
nothing of the navigation; the public version shows the published snapshot only (no indiener, no
kenmerk), also after an answer changes. With SHOTS_DIR set, the pages are saved as screenshots."""

import base64
import io
import os
import re
from pathlib import Path

from selenium.webdriver.common.by import By

from support import Client, api_put_zienswijze, api_request, assert_accessible, click_and_load, login, open_page

CONSULTATION = "coalitie-voor-veiligheid-2023-2026"
BASE = f"/coordinator/raadplegingen/{CONSULTATION}"
API = f"/api/v1/raadplegingen/{CONSULTATION}"
PRINTABLE = f"{BASE}/reactienota/afdrukken"
PUBLISHED = f"/raadplegingen/{CONSULTATION}/publicatie/reactienota"

INDIENER = "Xandrijn Qwelmoed-Tarvaux"
EMAIL = "x.qwelmoed@griffie-denhaag.example"
HOSTILE = "<script>window.__pwned = 1</script>\u202egnilrevo\u202c <b>vet</b> Cafe\u0301 \u0600<img src=x onerror=window.__pwned=2>"
LONG_WORD = "Veiligheidsregioherindelingsoverlegcoördinatiewerkgroepsvergaderingsverslaglegging" * 2
REMARKS = {
    "GM0518": [("cybercrime", "Meer aandacht voor cybercrime."), ("ondermijning", HOSTILE),
               ("jeugd-en-veiligheid", "Regel 1 over jongeren.\nRegel 2 over jongeren.")],
    "GM0503": [("cybercrime", "Delft wil een eigen paragraaf over cybercrime.")],
}
REACTIONS = {
    "GM0518": [("cybercrime", "Wij nemen dit over in paragraaf 3.", "overgenomen"),
               ("ondermijning", "Deels: " + HOSTILE, "gedeeltelijk-overgenomen"),
               ("jeugd-en-veiligheid", "Dat past niet in dit plan. " + LONG_WORD, "niet-overgenomen")],
    "GM0503": [("cybercrime", "Wij nemen kennis van uw wens.", "ter-kennisname")],
}
LABELS = ["Overgenomen", "Gedeeltelijk overgenomen", "Niet overgenomen", "Ter kennisname"]
A4 = {"paperWidth": 8.27, "paperHeight": 11.69, "marginTop": 0, "marginBottom": 0, "marginLeft": 0, "marginRight": 0,
      "preferCSSPageSize": True, "printBackground": False}


def shot(driver, name, width=1280):
    directory = os.environ.get("SHOTS_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(max(height, 600), 8000) + 150)
        driver.save_screenshot(str(Path(directory) / f"reactienota-{name}-{width}.png"))
        driver.set_window_size(width, 1000)


def nota_text(driver):
    """The text of the document part of the page, as in the DOM (not as laid out)."""
    return driver.execute_script("return document.querySelector('article.nota').textContent")


def assert_inert(driver):
    assert driver.execute_script("return window.__pwned") is None, "a remark ran as script"
    assert driver.execute_script("return document.querySelectorAll('article.nota script, article.nota img, article.nota b').length") == 0
    blockquotes = driver.execute_script(
        "return Array.from(document.querySelectorAll('article.nota .remark-text')).map(e => e.textContent)")
    assert HOSTILE in blockquotes, "the hostile remark is shown exactly as typed"


def submit_and_answer(base, server):
    for gemeente, remarks in REMARKS.items():
        api_put_zienswijze(base, server.issue_griffie_code(gemeente), gemeente, {
            "standpunt": "instemmend-met-opmerkingen" if gemeente == "GM0518" else "niet-instemmend",
            "datumRaadsbesluit": "2026-10-28",
            "indiener": {"naam": INDIENER, "email": EMAIL}, "toelichting": "Zie het raadsbesluit.",
            "opmerkingen": [{"thema": t, "tekst": x} for t, x in remarks]})
    for gemeente, reactions in REACTIONS.items():
        api_request(base, server.coordinator_code, "PUT", f"{API}/zienswijzen/{gemeente}/reactie", {
            "algemeen": f"Algemene reactie aan {gemeente}.",
            "opmerkingen": [{"thema": t, "tekst": x, "verwerking": v} for t, x, v in reactions]})


def pdf_text(driver):
    from pypdf import PdfReader
    printed = driver.execute_cdp_cmd("Page.printToPDF", A4)
    reader = PdfReader(io.BytesIO(base64.b64decode(printed["data"])))
    page = reader.pages[0].mediabox
    assert round(float(page.width)) == 595 and round(float(page.height)) == 842, "A4"
    return "\n".join(p.extract_text() for p in reader.pages), len(reader.pages)


def test_the_printable_reactienota_and_its_published_version(driver, fresh_server):
    server = fresh_server
    base = server.base
    submit_and_answer(base, server)

    login(driver, base, server.coordinator_code)
    open_page(driver, base + f"{BASE}/reactienota")
    click_and_load(driver, driver.find_element(By.ID, "afdrukbare-versie"))
    assert driver.current_url.endswith(PRINTABLE)
    # In the sub-navigation, the printable page lies under "Reactienota".
    assert driver.find_element(By.CSS_SELECTOR, ".subnav-list a[aria-current='true']").text == "Reactienota"
    assert driver.find_element(By.ID, "nota-status").text.startswith("Concept")
    text = nota_text(driver)
    for gemeente in REMARKS:
        for _, remark in REMARKS[gemeente]:
            assert remark in text, remark
        for _, reaction, _ in REACTIONS[gemeente]:
            assert reaction in text, reaction
    for label in LABELS:
        assert f"Verwerking: {label}" in driver.find_element(By.CSS_SELECTOR, "article.nota").text, label
    rows = [[c.text for c in row.find_elements(By.CSS_SELECTOR, "th, td")]
            for row in driver.find_elements(By.CSS_SELECTOR, "#nota-overzicht tbody tr")]
    assert sorted(rows) == [["Delft", "Niet instemmend", "28 oktober 2026", "Op tijd"],
                            ["Den Haag", "Instemmend met opmerkingen", "28 oktober 2026", "Op tijd"]]
    assert driver.find_element(By.ID, "nota-aantal").text.startswith("2 van ")
    # The coordinator's version is the working document: kenmerken are on it, the indiener is not.
    assert "kenmerk ZW-" in text and INDIENER not in driver.page_source and EMAIL not in driver.page_source
    assert_inert(driver)
    assert_accessible(driver)
    shot(driver, "concept")

    # On paper: A4, the text in the PDF, the navigation and the buttons not.
    printed, pages = pdf_text(driver)
    flat = re.sub(r"\s+", "", printed)
    assert "Meer aandacht voor cybercrime." in printed and "Concept" in printed
    assert "Delftwileeneigenparagraafovercybercrime." in flat
    assert LONG_WORD in flat, "a long word is wrapped, not cut off"
    for hidden in ("Uitloggen", "Toegangscodes", "Afdrukken", "Direct naar de inhoud", "Download als"):
        assert hidden not in printed, hidden
    assert pages >= 1
    # Nothing runs off the printed page: the print styles at the width of A4 less its margins.
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        driver.set_window_size(640, 1000)  # 17 cm at 96 px per inch is 643 px
        scroll, client = driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll <= client, f"printed page is {scroll}px wide in {client}px"
        assert driver.execute_script("return getComputedStyle(document.querySelector('.site-subnav')).display") == "none"
        assert driver.execute_script("return getComputedStyle(document.querySelector('#nota-overzicht thead')).display") \
            == "table-header-group"
        shot(driver, "print", width=640)
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        driver.set_window_size(1280, 1000)

    # Vastgesteld and published; then the public printable version, without a session.
    api_request(base, server.coordinator_code, "PUT", f"{API}/reactienota", {"status": "vastgesteld", "rboDatum": "2027-01-20"})
    open_page(driver, base + PRINTABLE)
    assert driver.find_element(By.ID, "nota-status").text == "Vastgesteld door het RBO op 20 januari 2027."
    assert "Concept" not in driver.find_element(By.CSS_SELECTOR, "article.nota").text
    shot(driver, "vastgesteld")
    api_request(base, server.coordinator_code, "PUT", f"{API}/publicatie")
    driver.delete_all_cookies()
    open_page(driver, base + f"/raadplegingen/{CONSULTATION}/publicatie")
    click_and_load(driver, driver.find_element(By.ID, "afdrukbare-reactienota"))
    assert driver.current_url.endswith(PUBLISHED)
    public = nota_text(driver)
    for gemeente in REMARKS:
        for _, remark in REMARKS[gemeente]:
            assert remark in public, remark
        for _, reaction, _ in REACTIONS[gemeente]:
            assert reaction in public, reaction
    assert driver.find_element(By.ID, "nota-status").text == "Vastgesteld door het RBO op 20 januari 2027."
    assert len(driver.find_elements(By.CSS_SELECTOR, "#nota-overzicht tbody tr")) == 2
    for secret in (INDIENER, EMAIL, "ZW-", server.coordinator_code):
        assert secret not in driver.page_source, secret
    assert_inert(driver)
    assert_accessible(driver)
    shot(driver, "gepubliceerd")

    # A snapshot: reopening and changing an answer changes the coordinator's version, not the public one.
    api_request(base, server.coordinator_code, "PUT", f"{API}/reactienota", {"status": "concept"})
    api_request(base, server.coordinator_code, "PUT", f"{API}/zienswijzen/GM0503/reactie", {
        "algemeen": "", "opmerkingen": [{"thema": "cybercrime", "tekst": "Gewijzigd na de publicatie.", "verwerking": "overgenomen"}]})
    open_page(driver, base + PUBLISHED)
    public = nota_text(driver)
    assert "Wij nemen kennis van uw wens." in public and "Gewijzigd na de publicatie." not in public
    coordinator = Client(base)
    coordinator.login(server.coordinator_code)
    status, headers, page = coordinator.get(PRINTABLE)
    assert status == 200 and "Gewijzigd na de publicatie." in page.decode() and "Concept" in page.decode()
    assert headers["Cache-Control"] == "no-store"
    # Only coordinators see the working document; nothing is published at an unpublished consultation's address.
    anonymous = Client(base)
    assert anonymous.get(PRINTABLE)[0] == 303
    griffie = Client(base)
    griffie.login(server.issue_griffie_code("GM0518"))
    assert griffie.get(PRINTABLE)[0] == 403
    api_request(base, server.coordinator_code, "DELETE", f"{API}/publicatie")
    assert anonymous.get(PUBLISHED)[0] == 404


def test_the_reaction_pages_lie_under_reacties_in_the_sub_navigation(driver, fresh_server):
    server = fresh_server
    submit_and_answer(server.base, server)
    login(driver, server.base, server.coordinator_code)
    for path in (f"{BASE}/reacties/gemeenten/GM0518", f"{BASE}/reacties/themas/cybercrime"):
        open_page(driver, server.base + path)
        current = driver.find_elements(By.CSS_SELECTOR, ".subnav-list a[aria-current]")
        assert [(a.text, a.get_attribute("aria-current")) for a in current] == [("Reacties", "true")], path
    open_page(driver, server.base + f"{BASE}/reacties")
    current = driver.find_elements(By.CSS_SELECTOR, ".subnav-list a[aria-current]")
    assert [(a.text, a.get_attribute("aria-current")) for a in current] == [("Reacties", "page")]
