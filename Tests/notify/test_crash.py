"""kill -9 between commit and delivery: every message arrives after the restart, exactly the
expected set (at least once: a message that was in flight may come twice, with the same id)."""
from email.header import decode_header, make_header

from notifysupport import RSIV, MailSink, NotifyServer, free_port, submission, wait_for, zw

GEMEENTEN = ["GM0484", "GM1901", "GM0513", "GM0534"]


def test_kill_9_between_commit_and_delivery_loses_nothing(tmp_path, receiver):
    smtp_port = free_port()             # nothing listens yet: every mail attempt fails and waits
    srv = NotifyServer(smtp_port=smtp_port, workdir=tmp_path).start()
    coordinator = srv.bootstrap_code
    hook = srv.register_webhook(coordinator, receiver.url)
    receiver.secret = hook["geheim"]
    receiver.mode = "hang"              # the first event is taken and never answered: in flight at the kill
    receipts = []
    codes = {gemeente: srv.issue_griffie(gemeente) for gemeente in GEMEENTEN}
    for round_ in range(2):
        for gemeente, code in codes.items():
            response = srv.request("PUT", zw(gemeente), code,
                                   json=submission(mail=f"griffie@{gemeente.lower()}.example.nl", toelichting=f"Ronde {round_}"))
            assert response.status_code in (200, 201), response.text
            receipts.append(response.json())
    wait_for(lambda: receiver.attempts >= 1, what="a webhook delivery in flight")
    wait_for(lambda: any(d["laatsteFout"] for d in srv.deliveries(coordinator) if d["kanaal"] == "email"),
             what="a failed mail attempt")
    before = srv.deliveries(coordinator)
    assert all(d["status"] == "wachtend" for d in before), [d for d in before if d["status"] != "wachtend"]
    assert srv.kill() == -9

    sink = MailSink(port=smtp_port).start()
    try:
        receiver.mode = "ok"
        receiver.release()
        srv.start()
        kenmerken = {r["kenmerk"] for r in receipts}
        assert len(kenmerken) == 8
        wait_for(lambda: len({e.get_id() for _, e, _ in receiver.received()}) >= 8, timeout=60, what="eight events")
        sink.wait_count(8, address=RSIV, timeout=60)
        wait_for(lambda: all(d["status"] == "verzonden" for d in srv.deliveries(coordinator)), timeout=60,
                 what="every delivery recorded as sent")

        events = [e for _, e, _ in receiver.received()]
        assert {e.get_subject() for e in events} == kenmerken
        assert len({e.get_id() for e in events}) == 8
        expected_ids = {d["berichtId"] for d in before if d["kanaal"] == "webhook"}
        assert {e.get_id() for e in events} == expected_ids
        # In order per recipient: first arrivals follow the outbox order.
        order = [d["berichtId"] for d in sorted(before, key=lambda d: d["id"]) if d["kanaal"] == "webhook"]
        first_seen = list(dict.fromkeys(e.get_id() for e in events))
        assert first_seen == order

        def subjects(address):
            return {str(make_header(decode_header(m[2]["Subject"]))).rsplit(" – ", 1)[1] for m in sink.to(address)}
        assert subjects(RSIV) == kenmerken
        for gemeente in GEMEENTEN:
            address = f"griffie@{gemeente.lower()}.example.nl"
            assert subjects(address) == {r["kenmerk"] for r in receipts if r["zienswijze"]["gemeente"] == gemeente}
        message_ids = {m[2]["Message-ID"].strip("<>") for m in sink.received()}
        assert message_ids == {d["berichtId"] for d in before if d["kanaal"] == "email"}
        duplicates = len(events) - 8 + len(sink.received()) - len(message_ids)
        print(f"\nafter kill -9: 8 events and {len(message_ids)} mails delivered, {duplicates} duplicate(s)")
    finally:
        sink.stop()
        assert srv.terminate() == 0
        srv.cleanup()
