"""Sign-in: the roll, the code, lockouts, throttles, identical answers, IP policies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from saylau.voting import services, signin
from saylau.voting.errors import (
    NetworkBusy,
    NetworkRefused,
    NotSignedIn,
    SignInPaused,
    TooManyRequests,
    WrongCode,
)
from saylau.voting.models import Challenge, SignInEvent, SignInGuard, VoterSession
from tests.voting.helpers import Api, last_code, sms_count

pytestmark = pytest.mark.django_db


def other_phone(world, voter):
    """A valid phone of another member (a 'wrong phone' that is still well formed)."""
    return next(v.phone for v in world.voters if v.member_id != voter.member_id)


def unknown_iin(world):
    from saylau.registry import synth

    known = {v.iin for v in world.voters}
    return next(m.iin for m in synth.generate(50, seed=99) if m.iin not in known)


def test_sign_in_and_session(world, api):
    voter = world.voters[0]
    before = sms_count()
    response = api.post("/sign-in", {"iin": voter.iin, "phone": voter.phone})
    assert response.status_code == 202
    body = response.json()
    assert set(body) == {"challenge", "expires_in", "resend_after", "message"}
    assert body["expires_in"] == 300
    assert sms_count() == before + 1
    response = api.post("/sign-in/verify", {"challenge": body["challenge"], "code": last_code()})
    assert response.status_code == 200
    token = response.json()["token"]
    assert VoterSession.objects.get().token_hash != token  # stored hashed
    me = api.get("/me", token=token).json()
    assert me["credential"] == voter.credential and me["district"] == voter.district
    assert api.get("/me").status_code == 401
    assert api.post("/sign-out", token=token).status_code == 204
    assert api.get("/me", token=token).status_code == 401
    again = api.post("/sign-out", token=token)  # no session any more: 401, coded
    assert again.status_code == 401 and again.json()["error"]["code"] == "not_authenticated"


def test_phone_spellings_are_normalised_on_the_page_and_the_api_takes_e164(world, api, client):
    voter = world.voters[0]
    national = voter.phone[2:]
    spelled = f"8 ({national[:3]}) {national[3:6]}-{national[6:8]}-{national[8:]}"
    slug = world.election.slug
    response = client.post(f"/en/vote/{slug}/", {"iin": voter.iin, "phone": spelled})
    assert response.status_code == 302
    response = client.post(f"/en/vote/{slug}/code/", {"code": last_code()})
    assert response.status_code == 302 and response["Location"].endswith("/signed-in/")
    # The API takes what its schema states: E.164, and says so.
    response = api.post("/sign-in", {"iin": voter.iin, "phone": spelled})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"].endswith("phone")
    assert "+77011234567" in response.json()["error"]["fields"][0]["message"]


def _answer(api, iin, phone, ip):
    response = api.post("/sign-in", {"iin": iin, "phone": phone}, ip=ip)
    body = response.json()
    challenge = body.pop("challenge", None)
    return response.status_code, body, challenge, dict(response.headers)


def test_unknown_iin_wrong_phone_and_locked_get_the_same_answer(world, api):
    voter, locked = world.voters[0], world.voters[1]
    # lock `locked` out: five wrong codes, two minutes ago (so no resend throttle now)
    past = timezone.now() - dt.timedelta(minutes=2)
    election = world.election
    challenge = signin.request_code(election, locked.iin, locked.phone, "10.9.9.9", now=past)
    for attempt in range(5):
        with pytest.raises(SignInPaused if attempt == 4 else WrongCode):
            signin.verify_code(election, challenge.challenge, "000000", "10.9.9.9", now=past)
    sent = sms_count()
    answers = [
        _answer(api, voter.iin, voter.phone, "10.0.0.1"),  # matches
        _answer(api, unknown_iin(world), voter.phone, "10.0.0.2"),
        _answer(api, world.voters[2].iin, other_phone(world, world.voters[2]), "10.0.0.3"),
        _answer(api, locked.iin, locked.phone, "10.0.0.4"),
    ]
    assert sms_count() == sent + 1  # only the matching one got an SMS
    statuses = {a[0] for a in answers}
    bodies = {str(a[1]) for a in answers}
    assert statuses == {202} and len(bodies) == 1
    assert all(a[2] and len(a[2]) == len(answers[0][2]) for a in answers)
    wanted = ("Content-Type", "Content-Length")
    assert len({tuple(a[3].get(h) for h in wanted) for a in answers}) == 1
    # and their codes: the same 400 for a non-matching challenge, a wrong code, a locked IIN
    errors = set()
    for status, _body, challenge, _h in answers[1:]:
        response = api.post("/sign-in/verify", {"challenge": challenge, "code": "123456"})
        errors.add((response.status_code, response.content))
    wrong = "999999" if last_code() != "999999" else "999998"
    response = api.post("/sign-in/verify", {"challenge": answers[0][2], "code": wrong})
    errors.add((response.status_code, response.content))
    response = api.post("/sign-in/verify", {"challenge": "n" * 32, "code": "123456"})
    errors.add((response.status_code, response.content))
    assert len(errors) == 1 and next(iter(errors))[0] == 400


def test_the_roll_decides_not_the_registry(world_factory, members):
    world = world_factory()
    from saylau.registry.models import Member

    row = members(40, seed=31)[-1]
    outsider = Member.objects.create(
        iin=row[0],
        full_name=row[1],
        phone=row[2],
        district_id="KZ-75",
        join_date=dt.date(2010, 1, 1),
    )  # joined the registry after the roll was closed: not on it
    sent = sms_count()
    signin.request_code(world.election, outsider.iin, outsider.phone, "10.0.0.1")
    assert sms_count() == sent


def test_five_wrong_codes_pause_the_pair_and_say_until_when(world):
    election, voter = world.election, world.voters[0]
    now = timezone.now()
    challenge = signin.request_code(election, voter.iin, voter.phone, "10.0.0.1", now=now).challenge
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        with pytest.raises(WrongCode):
            signin.verify_code(election, challenge, wrong, "10.0.0.1", now=now)
    assert SignInGuard.objects.get().failures == 4
    with pytest.raises(SignInPaused) as paused:
        signin.verify_code(election, challenge, wrong, "10.0.0.1", now=now)
    guard = SignInGuard.objects.get()
    assert guard.locked_until is not None and guard.locked_until > now
    until = timezone.localtime(guard.locked_until).strftime("%H:%M")
    assert until in str(paused.value) and "UTC+05:00" in str(paused.value)
    assert paused.value.headers["Retry-After"] == "1801"
    # the right code no longer works: the answer says the pair is paused, and until when
    with pytest.raises(SignInPaused) as again:
        signin.verify_code(election, challenge, code, "10.0.0.1", now=now)
    assert str(again.value) == str(paused.value)
    later = now + dt.timedelta(minutes=2)
    sent = sms_count()
    challenge = signin.request_code(
        election, voter.iin, voter.phone, "10.0.0.1", now=later
    ).challenge
    assert sms_count() == sent  # no SMS while paused, the same answer as for anyone
    with pytest.raises(WrongCode):  # a challenge asked for during the pause tells nothing
        signin.verify_code(election, challenge, code, "10.0.0.1", now=later)
    # after the pause, sign-in works again
    after = now + dt.timedelta(minutes=31)
    challenge = signin.request_code(
        election, voter.iin, voter.phone, "10.0.0.1", now=after
    ).challenge
    assert sms_count() == sent + 1
    session = signin.verify_code(election, challenge, last_code(), "10.0.0.1", now=after)
    assert session.member_id == voter.member_id


def test_wrong_codes_are_counted_through_the_api_and_the_pause_is_told(world, api):
    voter = world.voters[0]
    challenge = api.post("/sign-in", {"iin": voter.iin, "phone": voter.phone}).json()["challenge"]
    wrong = "000000" if last_code() != "000000" else "111111"
    for _ in range(4):
        response = api.post("/sign-in/verify", {"challenge": challenge, "code": wrong})
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "signin.wrong_code"
    response = api.post("/sign-in/verify", {"challenge": challenge, "code": wrong})
    assert SignInGuard.objects.get().locked_until is not None  # kept despite the error
    texts = set()
    for language in ("kk", "ru", "en"):
        response = api.post(
            "/sign-in/verify",
            {"challenge": challenge, "code": last_code()},
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 429
        assert response.json()["error"]["code"] == "signin.paused"
        assert int(response["Retry-After"]) > 1700
        texts.add(response.json()["error"]["message"])
    assert len(texts) == 3


def test_the_code_page_says_the_pause(world, client):
    voter, slug = world.voters[0], world.election.slug
    response = client.post(f"/en/vote/{slug}/", {"iin": voter.iin, "phone": voter.phone})
    assert response.status_code == 302, response.content
    code_url = response["Location"]
    wrong = "000000" if last_code() != "000000" else "111111"
    for _ in range(5):
        client.post(code_url, {"code": wrong})
    response = client.post(code_url, {"code": last_code()})
    assert response.status_code == 429
    assert "sign-in is paused until" in response.content.decode()


def test_code_expires_after_five_minutes(world):
    election, voter = world.election, world.voters[0]
    now = timezone.now()
    challenge = signin.request_code(election, voter.iin, voter.phone, "10.0.0.1", now=now).challenge
    with pytest.raises(WrongCode):
        signin.verify_code(
            election, challenge, last_code(), "10.0.0.1", now=now + dt.timedelta(seconds=301)
        )
    session = signin.verify_code(
        election, challenge, last_code(), "10.0.0.1", now=now + dt.timedelta(seconds=299)
    )
    assert session.member_id == voter.member_id
    with pytest.raises(WrongCode):  # used
        signin.verify_code(election, challenge, last_code(), "10.0.0.1", now=now)


def test_resend_is_throttled(world, api):
    election, voter = world.election, world.voters[0]
    now = timezone.now()
    first = signin.request_code(election, voter.iin, voter.phone, "10.0.0.1", now=now)
    first_code = last_code()
    with pytest.raises(TooManyRequests) as refused:
        signin.request_code(
            election, voter.iin, voter.phone, "10.0.0.1", now=now + dt.timedelta(seconds=30)
        )
    assert refused.value.headers["Retry-After"] == "31"
    moment = now
    for _ in range(4):
        moment += dt.timedelta(seconds=61)
        latest = signin.request_code(election, voter.iin, voter.phone, "10.0.0.1", now=moment)
    with pytest.raises(TooManyRequests):  # the sixth code within the hour
        signin.request_code(
            election, voter.iin, voter.phone, "10.0.0.1", now=moment + dt.timedelta(seconds=61)
        )
    # only the latest code works
    with pytest.raises(WrongCode):
        signin.verify_code(election, first.challenge, first_code, "10.0.0.1", now=moment)
    session = signin.verify_code(election, latest.challenge, last_code(), "10.0.0.1", now=moment)
    assert session.member_id == voter.member_id
    # the API answers 429 with Retry-After, the same for an IIN that is not on the roll
    for iin, phone in ((voter.iin, voter.phone), (unknown_iin(world), voter.phone)):
        api.post("/sign-in", {"iin": iin, "phone": phone}, ip="10.7.7.7")
        response = api.post("/sign-in", {"iin": iin, "phone": phone}, ip="10.7.7.7")
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        assert response.json()["error"]["code"] == "signin.throttled"


def test_codes_per_network_are_throttled(world, settings):
    settings.SAYLAU_SIGNIN_PER_NETWORK_PER_HOUR = 2
    for voter in world.voters[:2]:
        signin.request_code(world.election, voter.iin, voter.phone, "10.5.5.5")
    with pytest.raises(TooManyRequests):
        v = world.voters[2]
        signin.request_code(world.election, v.iin, v.phone, "10.5.5.5")


def test_malformed_fields_say_what_is_wrong(world, api):
    from django.utils import translation

    cases = [
        ({"iin": "12345", "phone": "+77011234567"}, "iin"),
        ({"iin": "123456789012", "phone": "+77011234567"}, "iin"),  # check digit
        ({"iin": world.voters[0].iin, "phone": "+7 999 123"}, "phone"),
    ]
    for body, field in cases:
        for language in ("kk", "ru", "en"):
            with translation.override(language):
                response = api.post("/sign-in", body, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 422, response.content
            error = response.json()["error"]
            assert error["fields"][0]["field"].split(".")[-1] == field
    response = api.post("/sign-in", {"iin": world.voters[0].iin})
    assert response.status_code == 422
    assert Challenge.objects.count() == 0 and SignInGuard.objects.count() == 0
    response = api.post("/sign-in/verify", {"challenge": "x", "code": "12ab"})
    assert response.status_code == 422


def test_messages_follow_the_language(world, api):
    voter = world.voters[0]
    texts = set()
    for language in ("kk", "ru", "en"):
        response = api.post(
            "/sign-in", {"iin": voter.iin, "phone": "+7 999"}, HTTP_ACCEPT_LANGUAGE=language
        )
        texts.add(response.json()["error"]["fields"][0]["message"])
    assert len(texts) == 3


def test_not_open_and_closed(world_factory):
    world = world_factory(status="credentials_issued", open_board=False)
    client_api = Api(__import__("django.test", fromlist=["Client"]).Client(), world.election.slug)
    voter = world.voters[0]
    response = client_api.post("/sign-in", {"iin": voter.iin, "phone": voter.phone})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "voting.not_open"
    world.election.status = "open"
    world.election.closes_at = timezone.now() - dt.timedelta(minutes=1)
    world.election.save()
    response = client_api.post("/sign-in", {"iin": voter.iin, "phone": voter.phone})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "voting.closed"


def test_unknown_election(client):
    response = client.post(
        "/api/voting/nope/sign-in",
        data={"iin": "900101300007", "phone": "+77011234567"},
        content_type="application/json",
    )
    assert response.status_code == 404


# --- IP policies ----------------------------------------------------------------------


def sign_in_service(world, voter, ip, now=None):
    challenge = signin.request_code(world.election, voter.iin, voter.phone, ip, now=now).challenge
    return signin.verify_code(world.election, challenge, last_code(), ip, now=now)


def test_strict_one_voter_per_address(world, api):
    a, b = world.voters[0], world.voters[1]
    api.sign_in(a, ip="203.0.113.5")
    response = api.post("/sign-in", {"iin": b.iin, "phone": b.phone}, ip="203.0.113.5")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "signin.network_refused"
    api.sign_in(b, ip="203.0.113.6")  # another address is fine
    later = timezone.now() + dt.timedelta(minutes=2)
    sign_in_service(world, a, "203.0.113.5", later)  # and the same voter again


def test_strict_race_is_decided_at_the_code(world):
    a, b = world.voters[0], world.voters[1]
    ch_b = signin.request_code(world.election, b.iin, b.phone, "203.0.113.9").challenge
    code_b = last_code()
    sign_in_service(world, a, "203.0.113.9")  # a finishes first
    with pytest.raises(NetworkRefused):
        signin.verify_code(world.election, ch_b, code_b, "203.0.113.9")


def test_strict_ipv6_counts_a_64_as_one_address(world):
    a, b = world.voters[0], world.voters[1]
    sign_in_service(world, a, "2001:db8:1:2::10")
    with pytest.raises(NetworkRefused):
        sign_in_service(world, b, "2001:db8:1:2:ffff::1")
    sign_in_service(world, b, "2001:db8:1:3::1")
    assert services.network_of("::ffff:198.51.100.7") == "198.51.100.7"
    assert services.network_of("not an ip") == "unknown"


def test_limit_policy(world_factory):
    world = world_factory(ip_policy="limit", ip_limit_per_hour=2)
    now = timezone.now()
    a, b, c = world.voters[:3]
    sign_in_service(world, a, "198.51.100.1", now)
    sign_in_service(world, b, "198.51.100.1", now)
    with pytest.raises(NetworkBusy) as refused:
        signin.request_code(world.election, c.iin, c.phone, "198.51.100.1", now=now)
    assert refused.value.status == 429 and "Retry-After" in refused.value.headers
    sign_in_service(world, a, "198.51.100.1", now + dt.timedelta(minutes=2))  # a again: fine
    sign_in_service(world, c, "198.51.100.1", now + dt.timedelta(minutes=61))


def test_flag_policy_accepts_and_shows_clusters(world_factory, client, django_user_model):
    world = world_factory(ip_policy="flag")
    for voter in world.voters[:4]:
        sign_in_service(world, voter, "192.0.2.44")
    sign_in_service(world, world.voters[4], "192.0.2.45")
    clusters = services.clusters(world.election)
    assert [(c.network, c.members) for c in clusters] == [("192.0.2.44", 4)]
    assert SignInEvent.objects.count() == 5
    url = f"/api/voting/{world.election.slug}/networks"
    assert client.get(url).status_code == 401
    user = django_user_model.objects.create_user("organiser", password="pw")
    client.force_login(user)
    assert client.get(url).status_code == 403
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="run_election"))
    client.force_login(django_user_model.objects.get(pk=user.pk))
    response = client.get(url)
    assert response.status_code == 200
    assert response.json()[0]["members"] == 4
    text = response.content.decode()
    assert not any(v.iin in text or v.phone in text for v in world.voters)
    page = client.get(f"/en/vote/{world.election.slug}/networks/")
    assert page.status_code == 200 and b"192.0.2.44" in page.content


def test_forwarded_address_from_a_trusted_proxy(world, api, settings):
    from saylau.site.env import parse_networks

    settings.SAYLAU_TRUSTED_PROXIES = parse_networks(["10.0.0.0/8"])
    a, b = world.voters[0], world.voters[1]
    api.sign_in(a, ip="10.0.0.1")  # no header: the proxy itself
    forwarded = {"HTTP_X_FORWARDED_FOR": "198.51.100.77"}
    response = api.post("/sign-in", {"iin": b.iin, "phone": b.phone}, ip="10.0.0.1", **forwarded)
    assert response.status_code == 202  # b is behind the proxy at another address
    code = last_code()
    response = api.post(
        "/sign-in/verify",
        {"challenge": response.json()["challenge"], "code": code},
        ip="10.0.0.1",
        **forwarded,
    )
    assert response.status_code == 200
    assert SignInEvent.objects.filter(network="198.51.100.77").count() == 1


def test_paper_voter_is_refused_naming_the_precinct(world):
    voter = world.voters[0]
    services.record_paper_vote(world.election, voter.member_id, "PR-0042")
    challenge = signin.request_code(world.election, voter.iin, voter.phone, "10.0.0.1").challenge
    from saylau.voting.errors import PaperPrecinct

    with pytest.raises(PaperPrecinct) as refused:
        signin.verify_code(world.election, challenge, last_code(), "10.0.0.1")
    assert "PR-0042" in str(refused.value)


def test_a_member_of_a_paper_station_cannot_sign_in(world):
    from saylau.stations import services as stations
    from saylau.voting.errors import PaperPrecinct

    voter = world.voters[0]
    stations.assign_paper_station(world.election, voter.member_id, "Almaty-17")
    challenge = signin.request_code(world.election, voter.iin, voter.phone, "10.0.0.1").challenge
    with pytest.raises(PaperPrecinct) as refused:
        signin.verify_code(world.election, challenge, last_code(), "10.0.0.1")
    assert "Almaty-17" in str(refused.value)


def test_sessions_expire(world):
    voter = world.voters[0]
    now = timezone.now()
    session = sign_in_service(world, voter, "10.0.0.1", now)
    assert signin.session_member(world.election, session.token, now=now) == voter.member_id
    with pytest.raises(NotSignedIn):
        signin.session_member(world.election, session.token, now=now + dt.timedelta(hours=1))
    with pytest.raises(NotSignedIn):
        signin.session_member(world.election, "forged", now=now)
