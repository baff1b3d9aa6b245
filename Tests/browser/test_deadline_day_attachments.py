"""Issue 14, items 3 and 4 and a dead end: an earlier attachment can be left out of a new version,
the signed council decision is marked required where the consultation asks for it, and a PDF far
over 25 MB sent without JavaScript gives the form back (or, past the hard cap, a page that leads
back to it)."""

import http.client
import json
import re
import urllib.parse
import urllib.request
import uuid

from selenium.webdriver.common.by import By

from support import (WAIT, Client, api_get, assert_accessible, fill_decision_date, login, open_page, submit, wait,
                     write_pdf)

FORM = "form[action$='/zienswijze']"
SEEDED = "coalitie-voor-veiligheid-2023-2026"
MiB = 1024 * 1024


def fill_geen_zienswijze(driver, naam):
    driver.find_element(By.CSS_SELECTOR, "label[for='standpunt-geen-zienswijze']").click()
    name = driver.find_element(By.ID, "indiener-naam")
    name.clear()
    name.send_keys(naam)
    email = driver.find_element(By.ID, "indiener-email")
    email.clear()
    email.send_keys("griffie@example.nl")


def attachment_names(driver):
    """The attachments the receipt lists for its version."""
    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, "main .summary-list a[href*='/bijlagen/']")]


# MARK: item 3, leaving out an earlier attachment

def test_an_earlier_attachment_can_be_left_out(driver, server, tmp_path):
    code = server.issue_griffie_code("GM0537")  # Katwijk
    login(driver, server.base, code)
    open_page(driver, server.base + "/zienswijze")
    assert not driver.find_elements(By.ID, "bijlagen")  # nothing earlier yet
    fill_geen_zienswijze(driver, "Griffie Katwijk")
    driver.find_element(By.ID, "bestand").send_keys(write_pdf(tmp_path, "concept-besluit.pdf"))
    submit(driver, FORM)
    assert driver.current_url.endswith("/ontvangstbevestiging/1")
    assert attachment_names(driver) == ["concept-besluit.pdf"]

    # The form offers the earlier attachment, ticked.
    open_page(driver, server.base + "/zienswijze")
    box = driver.find_element(By.CSS_SELECTOR, "#bijlagen input[type=checkbox]")
    label = driver.find_element(By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']")
    assert box.is_selected() and label.text.startswith("Meenemen in de nieuwe versie")
    assert "concept-besluit.pdf" in driver.find_element(By.ID, "bijlagen").text
    assert_accessible(driver)

    # Unticked, with an error elsewhere: the form comes back with the box still unticked.
    label.click()
    assert not box.is_selected()
    driver.find_element(By.ID, "indiener-naam").clear()
    submit(driver, FORM)
    assert driver.title.startswith("Fout:")
    assert not driver.find_element(By.CSS_SELECTOR, "#bijlagen input[type=checkbox]").is_selected()

    # A new PDF, the draft left out: the new version has only the new one.
    driver.find_element(By.ID, "indiener-naam").send_keys("Griffie Katwijk")
    driver.find_element(By.ID, "bestand").send_keys(write_pdf(tmp_path, "raadsbesluit-getekend.pdf"))
    submit(driver, FORM)
    assert driver.current_url.endswith("/ontvangstbevestiging/2")
    assert attachment_names(driver) == ["raadsbesluit-getekend.pdf"]

    # Ticked by default again; kept when left ticked.
    open_page(driver, server.base + "/zienswijze")
    assert [b.is_selected() for b in driver.find_elements(By.CSS_SELECTOR, "#bijlagen input[type=checkbox]")] == [True]
    submit(driver, FORM)
    assert attachment_names(driver) == ["raadsbesluit-getekend.pdf"]

    # History is not rewritten: version 1's receipt still lists the draft.
    open_page(driver, server.base + "/zienswijze/ontvangstbevestiging/1")
    assert attachment_names(driver) == ["concept-besluit.pdf"]
    versions = api_get(server.base, code, f"/api/v1/raadplegingen/{SEEDED}/zienswijzen/GM0537/versies")
    assert [[b["bestandsnaam"] for b in v["bijlagen"]] for v in versions] == \
        [["concept-besluit.pdf"], ["raadsbesluit-getekend.pdf"], ["raadsbesluit-getekend.pdf"]]

    # The coordinator's page of the gemeente shows each version with its own attachments.
    login(driver, server.base, server.coordinator_code)
    open_page(driver, server.base + f"/coordinator/raadplegingen/{SEEDED}/gemeenten/GM0537")
    text = driver.find_element(By.TAG_NAME, "main").get_attribute("textContent")  # replaced versions are folded
    assert text.count("concept-besluit.pdf") == 1 and text.count("raadsbesluit-getekend.pdf") == 2


# No slash or backslash: the server keeps only the last path component, which would drop the rest.
HOSTILE = "Z\u0334\u0321a\u0335l\u0336g\u0338o\u0334 <script>window.xss=1<script> <img src=x onerror=window.xss=2>.pdf"


def test_a_hostile_attachment_name_renders_inert(driver, server, tmp_path):
    code = server.issue_griffie_code("GM1842")  # Midden-Delfland
    body = {"standpunt": "geen-zienswijze", "indiener": {"naam": "Griffie", "email": "griffie@example.nl"}}
    req = urllib.request.Request(f"{server.base}/api/v1/raadplegingen/{SEEDED}/zienswijzen/GM1842",
                                 data=json.dumps(body).encode(), method="PUT",
                                 headers={"Authorization": f"Bearer {code}", "Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=WAIT).read()
    pdf = open(write_pdf(tmp_path), "rb").read()
    req = urllib.request.Request(f"{server.base}/api/v1/raadplegingen/{SEEDED}/zienswijzen/GM1842/bijlagen", data=pdf,
                                 method="POST", headers={
                                     "Authorization": f"Bearer {code}", "Content-Type": "application/pdf",
                                     "Content-Disposition": "attachment; filename*=UTF-8''" + urllib.parse.quote(HOSTILE)})
    stored = json.loads(urllib.request.urlopen(req, timeout=WAIT).read())["bestandsnaam"]
    assert "\u0334" in stored and "script" in stored  # combining marks and the words stay; nothing runs

    login(driver, server.base, code)
    for page in ("/zienswijze", "/zienswijze/ontvangstbevestiging/2"):
        open_page(driver, server.base + page)
        assert driver.execute_script("return window.xss === undefined")
        main = driver.find_element(By.TAG_NAME, "main")
        assert not main.find_elements(By.CSS_SELECTOR, "img, script")
        assert stored in [a.text for a in main.find_elements(By.CSS_SELECTOR, "a[href*='/bijlagen/']")]
    open_page(driver, server.base + "/zienswijze")
    label = driver.find_element(By.CSS_SELECTOR, "#bijlagen label")
    assert label.get_attribute("textContent") == "Meenemen in de nieuwe versie: " + stored


# MARK: item 4, the signed council decision

def api(base, code, method, path, body):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method=method,
                                 headers={"Authorization": f"Bearer {code}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=WAIT) as response:
        return json.loads(response.read())


def required_consultation(server, gemeente):
    c = "besluit-verplicht-" + uuid.uuid4().hex[:8]
    api(server.base, server.coordinator_code, "POST", "/api/v1/raadplegingen", {
        "id": c, "titel": "Raadpleging met verplicht raadsbesluit", "raadsbesluitVerplicht": True,
        "themas": [{"code": "cybercrime", "titel": "Cybercrime", "samenvatting": ""}], "uitgenodigdeGemeenten": [gemeente]})
    api(server.base, server.coordinator_code, "PATCH", f"/api/v1/raadplegingen/{c}", {"status": "open"})
    return c


def decision_label(driver):
    return driver.find_element(By.CSS_SELECTOR, "label[for='bestand']")


def test_the_decision_is_required_in_the_form_without_javascript(nojs_driver, fresh_server, tmp_path):
    driver, server = nojs_driver, fresh_server
    c = required_consultation(server, "GM0518")
    login(driver, server.base, server.issue_griffie_code("GM0518"))  # Den Haag
    # Where it is not required (the seeded consultation): "(optioneel)".
    open_page(driver, server.base + "/zienswijze")
    assert decision_label(driver).text == "Het ondertekende raadsbesluit, als PDF (optioneel)"

    open_page(driver, server.base + f"/raadplegingen/{c}/zienswijze")
    assert decision_label(driver).text == "Het ondertekende raadsbesluit, als PDF"
    assert driver.find_element(By.ID, "bestand-hint").text.startswith("Verplicht, behalve bij ‘geen zienswijze’.")
    driver.find_element(By.CSS_SELECTOR, "label[for='standpunt-instemmend']").click()
    fill_decision_date(driver, "2024-11-20")
    # With another problem, the missing decision is said at once too.
    submit(driver, FORM)
    hrefs = [a.get_attribute("hash") for a in driver.find_elements(By.CSS_SELECTOR, ".error-summary a")]
    assert hrefs == ["#indiener-naam", "#indiener-email", "#bestand"]
    driver.find_element(By.ID, "indiener-naam").send_keys("Griffie Den Haag")
    driver.find_element(By.ID, "indiener-email").send_keys("griffie@denhaag.example")
    driver.find_element(By.ID, "toelichting").send_keys("Tekst die blijft staan.")
    submit(driver, FORM)

    assert driver.title.startswith("Fout:")
    summary = driver.find_element(By.CSS_SELECTOR, ".error-summary")
    links = {a.get_attribute("hash"): a.text for a in summary.find_elements(By.CSS_SELECTOR, "a")}
    assert links == {"#bestand": "Voeg het ondertekende raadsbesluit toe als PDF. Dat is verplicht, behalve bij ‘geen zienswijze’."}
    assert "Voeg het ondertekende raadsbesluit toe" in driver.find_element(By.ID, "bestand-error").text
    assert driver.find_element(By.ID, "bestand").get_attribute("aria-invalid") == "true"
    assert driver.find_element(By.ID, "toelichting").get_attribute("value").strip() == "Tekst die blijft staan."
    assert driver.find_element(By.ID, "standpunt-instemmend").is_selected()

    # With the PDF it goes through; unticking it in the next version is refused the same way.
    driver.find_element(By.ID, "bestand").send_keys(write_pdf(tmp_path))
    submit(driver, FORM)
    assert driver.current_url.endswith("/ontvangstbevestiging/1")
    open_page(driver, server.base + f"/raadplegingen/{c}/zienswijze")
    driver.find_element(By.CSS_SELECTOR, "#bijlagen label").click()
    submit(driver, FORM)
    assert driver.title.startswith("Fout:")
    assert "u vinkte alle eerdere bijlagen uit" in driver.find_element(By.CSS_SELECTOR, ".error-summary").text
    assert not driver.find_element(By.CSS_SELECTOR, "#bijlagen input[type=checkbox]").is_selected()


def test_with_javascript_the_requirement_follows_the_standpunt(driver, fresh_server):
    server = fresh_server
    c = required_consultation(server, "GM0503")
    login(driver, server.base, server.issue_griffie_code("GM0503"))
    open_page(driver, server.base + f"/raadplegingen/{c}/zienswijze")
    label = decision_label(driver)
    assert label.text == "Het ondertekende raadsbesluit, als PDF"
    driver.find_element(By.CSS_SELECTOR, "label[for='standpunt-geen-zienswijze']").click()
    wait(driver).until(lambda d: label.text == "Het ondertekende raadsbesluit, als PDF (optioneel)")
    driver.find_element(By.CSS_SELECTOR, "label[for='standpunt-niet-instemmend']").click()
    wait(driver).until(lambda d: label.text == "Het ondertekende raadsbesluit, als PDF")
    assert_accessible(driver)
    # The error state (date fields, missing decision) stays free of serious axe findings too.
    driver.find_element(By.ID, "datumRaadsbesluit-maand").send_keys("13")
    submit(driver, FORM)
    assert driver.find_element(By.ID, "datumRaadsbesluit-maand").get_attribute("aria-invalid") == "true"
    assert "#bestand" in [a.get_attribute("hash") for a in driver.find_elements(By.CSS_SELECTOR, ".error-summary a")]
    assert_accessible(driver)


# MARK: a PDF far over 25 MB without JavaScript

def big_pdf(directory, size):
    path = directory / "veel-te-groot.pdf"
    with open(path, "wb") as f:
        f.write(b"%PDF-1.4\n")
        f.truncate(size)
    return str(path)


def test_a_26_mib_pdf_without_javascript_gives_the_form_back(nojs_driver, fresh_server, tmp_path):
    driver, server = nojs_driver, fresh_server
    login(driver, server.base, server.issue_griffie_code("GM0518"))  # Den Haag
    open_page(driver, server.base + "/zienswijze")
    fill_geen_zienswijze(driver, "Griffie met groot bestand")
    driver.find_element(By.ID, "toelichting").send_keys("Tekst die blijft staan.")
    driver.find_element(By.ID, "bestand").send_keys(big_pdf(tmp_path, 26 * MiB))
    submit(driver, FORM)
    assert driver.title.startswith("Fout:")
    summary = driver.find_element(By.CSS_SELECTOR, ".error-summary")
    assert "groter dan 25 MB" in summary.text and "MiB" not in summary.text
    assert summary.find_element(By.CSS_SELECTOR, "a").get_attribute("hash") == "#bestand"
    assert driver.find_element(By.ID, "toelichting").get_attribute("value").strip() == "Tekst die blijft staan."
    assert driver.find_element(By.ID, "indiener-naam").get_attribute("value") == "Griffie met groot bestand"
    assert driver.find_element(By.ID, "standpunt-geen-zienswijze").is_selected()


def test_past_the_hard_cap_the_browser_gets_a_page_back_to_the_form(nojs_driver, server, tmp_path):
    driver = nojs_driver
    login(driver, server.base, server.issue_griffie_code("GM0537"))  # Katwijk
    open_page(driver, server.base + "/zienswijze")
    driver.find_element(By.ID, "bestand").send_keys(big_pdf(tmp_path, 60 * MiB))
    driver.find_element(By.CSS_SELECTOR, FORM + " button[type=submit]").click()
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "Het bestand is te groot")
    text = driver.find_element(By.TAG_NAME, "main").text
    assert "25 MB" in text and "MiB" not in text
    back = driver.find_element(By.LINK_TEXT, "Terug naar het formulier")
    back.click()
    wait(driver).until(lambda d: d.find_elements(By.ID, "bestand"))
    assert driver.current_url.endswith("/zienswijze")


def multipart(fields, file_size):
    boundary = "----zienswijzen" + uuid.uuid4().hex
    out = bytearray()
    for name, value in fields[:-1]:
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    out += (f'--{boundary}\r\nContent-Disposition: form-data; name="bestand"; filename="groot.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n").encode()
    out += b"%PDF-1.4\n" + bytes(file_size - 9) + b"\r\n"
    name, value = fields[-1]  # one text field after the file: read on, kept too
    out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n--{boundary}--\r\n'.encode()
    return f"multipart/form-data; boundary={boundary}", bytes(out)


def test_a_26_mib_pdf_posted_without_a_browser_is_measured(server):
    client = Client(server.base)
    client.login(server.issue_griffie_code("GM0537"))
    token = client.csrf("/zienswijze")
    fields = [("csrf", token), ("standpunt", "geen-zienswijze"), ("indiener.naam", "Griffie Katwijk"),
              ("indiener.email", "griffie@katwijk.example"), ("toelichting", "Na het bestand verstuurd.")]
    content_type, body = multipart(fields, 26 * MiB)
    status, headers, page = client.post("/zienswijze", body, headers={"Content-Type": content_type, "Accept": "text/html"})
    html = page.decode()
    assert status == 422 and headers["Content-Type"].startswith("text/html")
    assert "groter dan 25 MB" in html and "MiB" not in html
    assert 'value="Griffie Katwijk"' in html and "Na het bestand verstuurd." in html
    assert re.search(r'<a href="#bestand">', html)

    # Past the hard cap the body is not read: a page in MB that leads back to the form.
    cookie = "; ".join(f"{c.name}={c.value}" for c in client.jar)
    status, content_type, html = post_head_only(server, "/zienswijze", content_type, 200 * MiB, "text/html",
                                                headers=[("Cookie", cookie)])
    assert status == 413 and content_type.startswith("text/html")
    assert "25 MB" in html and "MiB" not in html
    assert '<a href="/zienswijze">Terug naar het formulier</a>' in html


# MARK: the council decision's date as dag / maand / jaar

def test_the_decision_date_is_three_fields_with_errors_per_field(nojs_driver, server):
    driver = nojs_driver
    login(driver, server.base, server.issue_griffie_code("GM0537"))  # Katwijk
    open_page(driver, server.base + "/zienswijze")
    assert not driver.find_elements(By.CSS_SELECTOR, "input[type=date]")
    parts = [driver.find_element(By.ID, f"datumRaadsbesluit-{p}") for p in ("dag", "maand", "jaar")]
    assert [p.get_attribute("inputmode") for p in parts] == ["numeric"] * 3
    assert [driver.find_element(By.CSS_SELECTOR, f"label[for='{p.get_attribute('id')}']").text for p in parts] == \
        ["Dag", "Maand", "Jaar"]
    driver.find_element(By.CSS_SELECTOR, "label[for='standpunt-instemmend']").click()
    for part, value in zip(parts, ("12", "13", "2026")):
        part.clear()
        part.send_keys(value)
    for field, value in (("indiener-naam", "Griffie Katwijk"), ("indiener-email", "griffie@katwijk.example")):
        driver.find_element(By.ID, field).clear()  # prefilled from Katwijk's earlier versions
        driver.find_element(By.ID, field).send_keys(value)
    submit(driver, FORM)

    assert driver.title.startswith("Fout:")
    links = {a.get_attribute("hash"): a.text for a in driver.find_elements(By.CSS_SELECTOR, ".error-summary a")}
    assert links == {"#datumRaadsbesluit-maand": "Vul een geldige maand in."}
    assert "Vul een geldige maand in." in driver.find_element(By.ID, "datumRaadsbesluit-error").text
    parts = [driver.find_element(By.ID, f"datumRaadsbesluit-{p}") for p in ("dag", "maand", "jaar")]
    assert [p.get_attribute("value") for p in parts] == ["12", "13", "2026"]  # kept as typed
    assert [p.get_attribute("aria-invalid") for p in parts] == [None, "true", None]

    # A day the month does not have; then a good date goes through and comes back in three fields.
    parts[0].clear(); parts[0].send_keys("31")
    parts[1].clear(); parts[1].send_keys("2")
    submit(driver, FORM)
    assert driver.find_element(By.ID, "datumRaadsbesluit-error").text.endswith(
        "Vul een geldige dag in: februari 2026 heeft 28 dagen.")
    for part, value in zip(("dag", "maand", "jaar"), ("29", "februari", "2024")):  # a month's name is fine too
        driver.find_element(By.ID, f"datumRaadsbesluit-{part}").clear()
        driver.find_element(By.ID, f"datumRaadsbesluit-{part}").send_keys(value)
    submit(driver, FORM)
    assert "/ontvangstbevestiging/" in driver.current_url
    assert "29 februari 2024" in driver.find_element(By.TAG_NAME, "main").text
    open_page(driver, server.base + "/zienswijze")
    assert [driver.find_element(By.ID, f"datumRaadsbesluit-{p}").get_attribute("value") for p in ("dag", "maand", "jaar")] \
        == ["29", "2", "2024"]
    # Empty and required: one message for the group, linked to the day.
    for p in ("dag", "maand", "jaar"):
        driver.find_element(By.ID, f"datumRaadsbesluit-{p}").clear()
    submit(driver, FORM)
    links = {a.get_attribute("hash"): a.text for a in driver.find_elements(By.CSS_SELECTOR, ".error-summary a")}
    assert list(links) == ["#datumRaadsbesluit-dag"] and "Vul de datum van het raadsbesluit in" in links["#datumRaadsbesluit-dag"]


def post_head_only(server, path, content_type, length, accept, method="POST", headers=()):
    """Sends only a request head announcing `length` body bytes; the server answers before reading any."""
    host = urllib.parse.urlsplit(server.base)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=WAIT)
    conn.putrequest(method, path)
    for name, value in (("Content-Type", content_type), ("Content-Length", str(length)), ("Accept", accept), *headers):
        conn.putheader(name, value)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    return response.status, response.getheader("Content-Type"), body


def test_other_oversized_bodies_get_a_page_for_browsers_and_problem_json_for_the_api(server):
    status, content_type, html = post_head_only(server, "/inloggen", "application/x-www-form-urlencoded", 2 * MiB,
                                                "text/html,application/xhtml+xml")
    assert status == 413 and content_type.startswith("text/html")
    assert "1 MB" in html and "MiB" not in html and '<a href="/">Naar de startpagina</a>' in html
    code = server.issue_griffie_code("GM0537")
    status, content_type, _ = post_head_only(
        server, f"/api/v1/raadplegingen/{SEEDED}/zienswijzen/GM0537", "application/json", 2 * MiB, "text/html",
        method="PUT", headers=[("Authorization", f"Bearer {code}")])
    assert status == 413 and content_type.startswith("application/problem+json")
