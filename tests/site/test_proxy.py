import ipaddress

import pytest

from saylau.web.proxy import client_ip, resolve_client_ip

PROXIES = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("::1/128")]


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.5", None, "203.0.113.5"),
        ("203.0.113.5", "198.51.100.7", "203.0.113.5"),  # not from a proxy: header ignored
        ("10.0.0.2", "198.51.100.7", "198.51.100.7"),
        ("10.0.0.2", "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # left part is client-made
        ("10.0.0.2", "198.51.100.7, 10.0.0.3", "198.51.100.7"),  # two proxies
        ("10.0.0.2", "10.0.0.4, 10.0.0.3", "10.0.0.4"),
        ("10.0.0.2", "garbage, 198.51.100.7", "10.0.0.2"),
        ("::1", "[2001:db8::1]:443", "2001:db8::1"),
        ("10.0.0.2", "198.51.100.7:5555", "198.51.100.7"),
    ],
)
def test_resolve_client_ip(remote, forwarded, expected):
    assert resolve_client_ip(remote, forwarded, PROXIES) == expected


@pytest.mark.django_db
def test_middleware(client, settings):
    settings.SAYLAU_TRUSTED_PROXIES = PROXIES
    seen = {}

    from saylau.web import proxy

    def capture(request):
        seen["ip"] = client_ip(request)
        seen["secure"] = request.is_secure()
        seen["peer"] = request.META["SAYLAU_PEER_ADDR"]
        from django.http import HttpResponse

        return HttpResponse("ok")

    middleware = proxy.TrustedProxyMiddleware(capture)
    from django.test import RequestFactory

    factory = RequestFactory()
    request = factory.get(
        "/",
        REMOTE_ADDR="10.1.1.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        HTTP_X_FORWARDED_PROTO="https",
    )
    middleware(request)
    assert seen == {"ip": "198.51.100.7", "secure": True, "peer": "10.1.1.1"}

    # A client cannot claim HTTPS or another address itself.
    request = factory.get(
        "/",
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        HTTP_X_FORWARDED_PROTO="https",
        SAYLAU_FORWARDED_PROTO="https",
    )
    middleware(request)
    assert seen == {"ip": "203.0.113.9", "secure": False, "peer": "203.0.113.9"}
