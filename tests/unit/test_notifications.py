"""The pure rules of change notifications: CloudEvents, the signature, backoff, SSRF."""

from __future__ import annotations

import pytest

from app.core.notifications import (
    NotificationKind,
    backoff_ms,
    cloud_event,
    private_address,
    signature,
    url_problem,
    verify,
)

BODY = b'{"specversion":"1.0"}'


def test_a_notification_is_a_structured_cloudevent():
    data = {"domain": "orders", "event": "orders.OrderPlaced", "version": 2}
    event = cloud_event(
        NotificationKind.SCHEMA_VERSION_REGISTERED,
        "id-1",
        "orders.OrderPlaced/versions/2",
        "t",
        data,
    )
    assert event == {
        "specversion": "1.0",
        "id": "id-1",
        "source": "/eventry/orders",
        "type": "dev.eventry.SchemaVersionRegistered",
        "time": "t",
        "subject": "orders.OrderPlaced/versions/2",
        "datacontenttype": "application/json",
        "data": data,
    }


def test_a_signature_verifies_only_for_its_secret_body_and_time():
    header = signature("whsec_a", 1_700_000_000, BODY)
    assert header.startswith("t=1700000000,v1=") and len(header.split("v1=")[1]) == 64
    assert verify("whsec_a", header, BODY, now=1_700_000_100)
    assert not verify("whsec_b", header, BODY, now=1_700_000_100)
    assert not verify("whsec_a", header, BODY + b"x", now=1_700_000_100)
    assert not verify("whsec_a", header, BODY, now=1_700_000_000 + 301)  # replayed too late
    assert not verify(
        "whsec_a", header.replace("t=1700000000", "t=1700000001"), BODY, 1_700_000_001
    )
    assert not verify("whsec_a", "garbage", BODY, now=1_700_000_000)


def test_backoff_doubles_up_to_its_cap():
    assert [backoff_ms(n, 1000, 5000) for n in range(1, 6)] == [1000, 2000, 4000, 5000, 5000]
    assert backoff_ms(10_000, 1000, 3_600_000) == 3_600_000


@pytest.mark.parametrize(
    ("addresses", "private"),
    [
        (["93.184.215.14"], None),
        (["2606:2800:21f:cb07:6820:80da:af6b:8b2c"], None),
        (["93.184.215.14", "127.0.0.1"], "127.0.0.1"),
        (["10.0.0.8"], "10.0.0.8"),
        (["192.168.1.1"], "192.168.1.1"),
        (["169.254.169.254"], "169.254.169.254"),
        (["::1"], "::1"),
        (["fd00::1"], "fd00::1"),
        (["::ffff:127.0.0.1"], "::ffff:127.0.0.1"),
        (["0.0.0.0"], "0.0.0.0"),
    ],
)
def test_private_loopback_and_link_local_addresses_are_found(addresses, private):
    assert private_address(addresses) == private


@pytest.mark.parametrize(
    ("url", "fine"),
    [
        ("https://hooks.example.com/eventry", True),
        ("http://hooks.example.com:8080/x", True),
        ("ftp://hooks.example.com/", False),
        ("https:///nohost", False),
        ("https://user:secret@hooks.example.com/", False),
        ("https://[::1/hook", False),
        ("https://hooks.example.com/a b", False),
        ("https://hooks.example.com/\x00", False),
    ],
)
def test_a_webhook_url_is_http_with_a_host_and_no_credentials(url, fine):
    assert (url_problem(url) is None) == fine
