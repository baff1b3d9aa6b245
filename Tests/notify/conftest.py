"""The notification suite (issue 16): e-mail through msmtp to a real SMTP server, webhooks verified
with the Standard Webhooks library and parsed with the CloudEvents SDK, reminders at given times,
and a kill -9 between commit and delivery. Run after `swift build`:  python3 -m pytest Tests/notify
(needs Debian's msmtp and Tests/notify/requirements.txt)."""
import shutil

import pytest

from notifysupport import MSMTP, MailSink, WebhookReceiver

if not shutil.which(MSMTP):
    pytest.skip("msmtp is not installed (apt-get install msmtp)", allow_module_level=True)


@pytest.fixture
def sink():
    s = MailSink().start()
    yield s
    s.stop()


@pytest.fixture
def receiver():
    r = WebhookReceiver()
    yield r
    r.close()
