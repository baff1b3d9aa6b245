"""Helpers for the browser suite: the server under test, the CLI, plain HTTP, logging in, axe.

The server is the real `zienswijzen serve` binary (built by `swift build` before pytest runs),
on a free port and a temporary database, started by Tests/serverprocess.py. Nothing here sleeps:
waits are on the server's log or on WebDriverWait conditions.
"""

import http.cookiejar
import json
import re
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

from axe_selenium_python import Axe
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from serverprocess import ServerProcess, last_line

CODE_PATTERN = re.compile(r"^[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}$")
WAIT = 15  # seconds a condition may take before a test fails


class Server(ServerProcess):
    """`zienswijzen serve --port 0` on a temporary database (see Tests/serverprocess.py), started
    on construction; `close()` stops it and removes the database."""

    def __init__(self):
        super().__init__(extra_args=["--log-level", "info"], tmp_prefix="zienswijzen-browser-")
        try:
            self.start(timeout=60)
        except BaseException:
            self.cleanup()
            raise

    @property
    def coordinator_code(self):
        return self.bootstrap_code

    def issue_griffie_code(self, gemeente):
        return last_line(self.cli("token", "issue", "--gemeente", gemeente))

    def set_deadline(self, when):
        self.cli("deadline", "set", "--at", when.isoformat(timespec="seconds"))

    def close(self):
        """SIGTERM (SIGKILL if it does not exit within 20 s), then remove the temporary directory."""
        try:
            self.terminate(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
        finally:
            self.cleanup()


def future_deadline(days=30):
    return (datetime.now(timezone.utc) + timedelta(days=days)).replace(microsecond=0)


# MARK: plain HTTP (for headers and status codes a browser hides)

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A cookie-keeping HTTP client that does not follow redirects."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, method, path, data=None, headers=None):
        body = None
        headers = dict(headers or {})
        if isinstance(data, dict):
            body = urllib.parse.urlencode(data).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        elif data is not None:
            body = data
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=WAIT) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, data, **kw):
        return self.request("POST", path, data=data, **kw)

    def csrf(self, path):
        status, _, body = self.get(path)
        assert status == 200, (path, status)
        match = re.search(r'name="csrf" value="([0-9a-f]+)"', body.decode())
        assert match, f"no csrf field on {path}"
        return match.group(1)

    def login(self, code):
        token = self.csrf("/inloggen")
        status, headers, _ = self.post("/inloggen", {"csrf": token, "code": code})
        assert status == 303, status
        return headers


def api_put_zienswijze(base, code, gemeente, document):
    req = urllib.request.Request(
        f"{base}/api/v1/raadplegingen/coalitie-voor-veiligheid-2023-2026/zienswijzen/{gemeente}",
        data=json.dumps(document).encode(), method="PUT",
        headers={"Authorization": f"Bearer {code}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=WAIT) as response:
        return json.loads(response.read())


def api_request(base, code, method, path, document=None):
    """A JSON API call with a bearer code; the decoded answer (None for an empty body)."""
    data = None if document is None else json.dumps(document).encode()
    headers = {"Authorization": f"Bearer {code}"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=WAIT) as response:
        body = response.read()
        return json.loads(body) if body else None


def answer_every_open_zienswijze(base, code, consultation, tekst="Wij nemen dit ter kennisname aan."):
    """As a coordinator, answers every current zienswijze of `consultation` not yet answered (each
    remark `ter-kennisname`), so the reactienota can be vastgesteld."""
    prefix = f"/api/v1/raadplegingen/{consultation}"
    for regel in api_request(base, code, "GET", prefix + "/reacties")["gemeenten"]:
        if regel["stand"] == "beantwoord":
            continue
        versie = api_request(base, code, "GET", f"{prefix}/zienswijzen/{regel['code']}")
        api_request(base, code, "PUT", f"{prefix}/zienswijzen/{regel['code']}/reactie", {
            "algemeen": "", "opmerkingen": [{"thema": o["thema"], "tekst": tekst, "verwerking": "ter-kennisname"}
                                            for o in versie["opmerkingen"]]})


def api_get(base, code, path):
    req = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {code}"})
    with urllib.request.urlopen(req, timeout=WAIT) as response:
        return json.loads(response.read())


# MARK: browser

def wait(driver):
    return WebDriverWait(driver, WAIT)


def open_page(driver, url):
    driver.get(url)
    wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")


def login(driver, base, code):
    driver.delete_all_cookies()
    open_page(driver, base + "/inloggen")
    field = driver.find_element(By.ID, "code")
    field.clear()
    field.send_keys(code)
    driver.find_element(By.CSS_SELECTOR, "form[action='/inloggen'] button[type=submit]").click()
    wait(driver).until(lambda d: "/inloggen" not in d.current_url)


def submit(driver, form_selector):
    """Clicks the form's submit button and waits for the next page to load."""
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, form_selector + " button[type=submit]"))


def click_and_load(driver, element):
    """Clicks `element` and waits until the page it was on is replaced and the new one has loaded."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    wait(driver).until(replaced(old))
    wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")


def replaced(element):
    """`EC.staleness_of`, except that while the old page is torn down Chromium may answer "Node with
    given id does not belong to the document" instead of a stale-element error; it means the same."""
    def check(_driver):
        try:
            element.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in (error.msg or ""):
                return True
            raise
    return check


def session_cookie_header(driver):
    return "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())


def axe_violations(driver):
    """Serious and critical axe-core violations on the current page."""
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    return [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]


def assert_accessible(driver):
    bad = axe_violations(driver)
    assert not bad, driver.current_url + "\n" + Axe(driver).report(bad)


def fill_decision_date(driver, iso):
    """Types the council decision's date (`YYYY-MM-DD`) into the form's dag / maand / jaar fields."""
    year, month, day = iso.split("-")
    for part, value in (("dag", str(int(day))), ("maand", str(int(month))), ("jaar", year)):
        field = driver.find_element(By.ID, f"datumRaadsbesluit-{part}")
        field.clear()
        field.send_keys(value)


def write_pdf(directory, name="raadsbesluit.pdf"):
    path = Path(directory) / name
    path.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    return str(path)
