"""The site's own address in the invitation a coordinator forwards (issue 11): `--public-url` when
configured, never the Host header; without it, a guess that the page says is a guess."""
import re

import pytest
import requests

from apisupport import Server


def issue_through_web(server, host_header=None):
    """Logs in as the bootstrap coördinator and issues a griffie code on the web page; returns the page."""
    http = requests.Session()
    headers = {"Host": host_header} if host_header else {}
    page = http.get(server.url("/inloggen"), headers=headers, timeout=30).text
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    r = http.post(server.url("/inloggen"), data={"csrf": token, "code": server.bootstrap_code}, headers=headers, timeout=30)
    assert r.status_code == 200
    page = http.get(server.url("/coordinator/toegangscodes"), headers=headers, timeout=30).text
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    r = http.post(server.url("/coordinator/toegangscodes"), headers=headers, timeout=30,
                  data={"csrf": token, "rol": "griffie", "gemeente": "GM0518", "naam": ""})
    assert r.status_code == 200, r.text[:300]
    return r.text


@pytest.fixture
def make_server():
    started = []

    def make(*args):
        s = Server()
        s.args += list(args)
        started.append(s.start())
        return s
    yield make
    for s in started:
        assert s.terminate() == 0
        s.cleanup()


def test_configured_public_url_is_used_whatever_the_host_header(make_server):
    server = make_server("--public-url", "https://Zienswijzen.Example.nl/")
    page = issue_through_web(server, host_header="evil.example")
    assert "Website: https://zienswijzen.example.nl/inloggen" in page
    assert "evil.example" not in page
    assert 'id="adres-geraden"' not in page


def test_without_public_url_the_page_says_the_link_is_a_guess(make_server):
    server = make_server()
    page = issue_through_web(server)
    assert f"Website: http://127.0.0.1:{server.port}/inloggen" in page
    assert 'id="adres-geraden"' in page and "--public-url" in page
    # A Host header that is not a host name never reaches a page: the parser refuses it.
    assert requests.get(server.url("/inloggen"), headers={"Host": 'x"><script>'}, timeout=30).status_code == 400


def test_a_bad_public_url_stops_the_server_at_start():
    server = Server()
    server.args += ["--public-url", "javascript:alert(1)"]
    import subprocess
    result = subprocess.run(server.args, capture_output=True, text=True, timeout=60)
    server.cleanup()
    assert result.returncode == 2 and "--public-url" in result.stderr
