"""CSRF on every form POST, roles, login redirects, cookie flags, security headers, brute force, inert text."""

import sqlite3

from selenium.webdriver.common.by import By

from support import Client, api_get, assert_accessible, click_and_load, fill_decision_date, login, open_page, submit


def test_post_without_csrf_token_is_refused(driver, server):
    code = server.issue_griffie_code("GM0534")  # Hillegom
    login(driver, server.base, code)
    # In the browser: the form loses its hidden token, then is sent.
    driver.execute_script("document.querySelector(\"form[action$='/zienswijze'] input[name=csrf]\").remove()")
    driver.find_element(By.CSS_SELECTOR, "label[for='standpunt-geen-zienswijze']").click()
    driver.find_element(By.ID, "indiener-naam").send_keys("Iemand")
    driver.find_element(By.ID, "indiener-email").send_keys("iemand@hillegom.nl")
    submit(driver, "form[action$='/zienswijze']")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Geen toegang"
    assert_accessible(driver)

    # Over plain HTTP, every form POST, with a valid session but no or a wrong token: 403.
    griffie = Client(server.base)
    griffie.login(code)
    coordinator = Client(server.base)
    coordinator.login(server.coordinator_code)
    form = {"standpunt": "geen-zienswijze", "indiener.naam": "X", "indiener.email": "x@hillegom.nl"}
    cases = [
        (griffie, "/zienswijze", form),
        (griffie, "/zienswijze", dict(form, csrf="0" * 32)),
        (griffie, "/zienswijze/intrekken", {}),
        (griffie, "/uitloggen", {"csrf": "wrong"}),
        (coordinator, "/coordinator/deadline", {"deadline": "2027-01-01T12:00"}),
        (coordinator, "/coordinator/raadpleging-status", {"status": "gesloten"}),
        (coordinator, "/coordinator/toegangscodes", {"rol": "coordinator", "naam": "Indringer"}),
        (coordinator, "/coordinator/toegangscodes/1/intrekken", {}),
    ]
    for client, path, data in cases:
        status, _, _ = client.post(path, data, headers={"Accept": "text/html"})
        assert status == 403, (path, data, status)
    # Nothing happened: no zienswijze for Hillegom, both sessions still work.
    assert griffie.get("/zienswijze")[0] == 200 and "al een zienswijze" not in griffie.get("/zienswijze")[2].decode()
    assert coordinator.get("/coordinator")[0] == 200

    # The login form: a POST without its cookie-bound token is refused too.
    stranger = Client(server.base)
    status, _, _ = stranger.post("/inloggen", {"code": server.coordinator_code, "csrf": "abc"})
    assert status == 403


def test_roles_and_login_redirects(driver, server):
    open_page(driver, server.base + "/coordinator")
    assert driver.current_url.endswith("/inloggen")
    open_page(driver, server.base + "/zienswijze")
    assert driver.current_url.endswith("/inloggen")
    assert_accessible(driver)

    login(driver, server.base, server.issue_griffie_code("GM0553"))  # Lisse
    open_page(driver, server.base + "/coordinator/toegangscodes")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Geen toegang"
    assert "coördinatoren" in driver.find_element(By.TAG_NAME, "main").text
    assert_accessible(driver)

    open_page(driver, server.base + "/bestaat-niet")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Pagina niet gevonden"
    assert_accessible(driver)

    client = Client(server.base)
    client.login(server.coordinator_code)
    status, _, body = client.get("/zienswijze", headers={"Accept": "text/html"})
    assert status == 403 and "griffies" in body.decode()


def test_cookie_flags_and_security_headers(server):
    client = Client(server.base)
    status, headers, body = client.get("/")
    assert status == 200 and '<html lang="nl">' in body.decode()
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]
    login_headers = client.login(server.coordinator_code)
    session = next(v for v in login_headers.get_all("Set-Cookie") if v.startswith("zw_sessie="))
    assert "HttpOnly" in session and "SameSite=Lax" in session
    assert "Secure" not in session  # served over plain HTTP here; --secure-cookies turns it on
    # Pages with tokens and personal data are not cached.
    assert client.get("/coordinator")[1]["Cache-Control"] == "no-store"


def test_brute_force_is_slowed_and_audited(driver, fresh_server):
    """Mistakes are throttled, never the right code (issue 10): after 10 wrong codes from one
    address the next wrong one gets 429, a valid one still logs in; the failures are audited in
    aggregate, one row per address per minute with the count."""
    server = fresh_server
    client = Client(server.base)
    token = client.csrf("/inloggen")
    for attempt in range(10):
        status, _, body = client.post("/inloggen", {"csrf": token, "code": "AAAA-BBBB-CCCC-DDDD-EEEE"})
        assert status == 422, (attempt, status)
        token = client.csrf("/inloggen")
    status, headers, body = client.post("/inloggen", {"csrf": token, "code": "AAAA-BBBB-CCCC-DDDD-EEEE"})
    assert status == 429
    assert int(headers["Retry-After"]) > 0
    assert "Te veel pogingen" in body.decode()
    # The right code from the same address is served.
    token = client.csrf("/inloggen")
    status, headers, _ = client.post("/inloggen", {"csrf": token, "code": server.coordinator_code})
    assert status == 303 and headers["Location"] == "/coordinator/raadplegingen/coalitie-voor-veiligheid-2023-2026"

    # Reading the log (here through the API) writes the pending aggregate first.
    audit = api_get(server.base, server.coordinator_code, "/api/v1/audit?limiet=1000")
    failures = [e for e in audit if e["actie"] == "authenticatie-mislukt"]
    assert len(failures) == 1 and failures[0]["adres"] == "127.0.0.1"
    assert failures[0]["details"].startswith("11 mislukte pogingen")
    with sqlite3.connect(server.database) as db:
        rows = db.execute("SELECT count(*) FROM audit WHERE actie = 'authenticatie-mislukt'").fetchone()[0]
    assert rows == 1

    # The 429 page in the browser, for a wrong code.
    open_page(driver, server.base + "/inloggen")
    driver.find_element(By.ID, "code").send_keys("AAAA-BBBB-CCCC-DDDD-EEEE")
    submit(driver, "form[action='/inloggen']")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Te veel pogingen"
    assert_accessible(driver)


# The two strings of issue 11 (BMP only: ChromeDriver types nothing outside it).
AWKWARD_TOELICHTING = "\u0600<meta http-equiv=refresh content=0;url=//evil.example/ \u0600>"
AWKWARD_NAAM = "x\"\u0301 autofocus onfocus=alert(1) x=\"\u0301"


def test_stored_text_stays_text_in_the_browser(driver, server):
    """Typed through the real form, shown to the griffier and the coördinator: the characters that
    merge into one grapheme with markup stay text, add no element and no attribute."""
    login(driver, server.base, server.issue_griffie_code("GM0629"))  # Wassenaar
    driver.find_element(By.CSS_SELECTOR, "label[for='standpunt-niet-instemmend']").click()
    fill_decision_date(driver, "2026-11-12")
    driver.find_element(By.ID, "indiener-naam").send_keys(AWKWARD_NAAM)
    driver.find_element(By.ID, "indiener-email").send_keys("griffie@wassenaar.example")
    driver.find_element(By.ID, "toelichting").send_keys(AWKWARD_TOELICHTING)
    driver.find_element(By.ID, "opmerking-cybercrime").send_keys("Zie besluit\u0600;=HYPERLINK(A1)\u0600;+1+1")
    submit(driver, "form[action$='/zienswijze']")
    assert driver.current_url.endswith("/zienswijze/ontvangstbevestiging/1"), driver.current_url

    def inert(driver):
        assert driver.execute_script("return document.querySelectorAll('meta[http-equiv]').length") == 0
        assert driver.execute_script("return document.querySelectorAll('[autofocus],[onfocus]').length") == 0
        main = driver.find_element(By.TAG_NAME, "main").text
        assert AWKWARD_TOELICHTING in main and AWKWARD_NAAM in main

    inert(driver)
    click_and_load(driver, driver.find_element(By.LINK_TEXT, "Zienswijze wijzigen"))
    assert driver.find_element(By.ID, "indiener-naam").get_attribute("value") == AWKWARD_NAAM
    assert driver.find_element(By.ID, "toelichting").get_attribute("value") == AWKWARD_TOELICHTING
    assert driver.execute_script("return document.querySelectorAll('[autofocus],[onfocus]').length") == 0
    submit(driver, "form[action='/uitloggen']")

    login(driver, server.base, server.coordinator_code)
    open_page(driver, server.base + "/coordinator/gemeenten/GM0629")
    assert driver.current_url.endswith("/coordinator/gemeenten/GM0629")  # no refresh to evil.example
    inert(driver)
    assert_accessible(driver)
