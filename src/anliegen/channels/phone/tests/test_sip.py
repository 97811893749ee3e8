"""Real telephony on loopback: Kamailio as the PBX asks the routing query for each INVITE and posts the events.

SIP user agents (tests/sipua.py, plain UDP) register as the agents' extensions and call as the customer. A
customer with an open case rings at the owner's extension; ring, answer and hangup land on that case.
Needs Debian's kamailio and kamailio-utils-modules (http_client); ./test installs them when missing.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from anliegen.channels.phone.models import Call
from anliegen.core.models import Case, Contact, Identity, MessageKind

from .sipua import UserAgent

KAMAILIO = shutil.which("kamailio") or "/usr/sbin/kamailio"
MODULES = Path("/usr/lib/x86_64-linux-gnu/kamailio/modules")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not (MODULES / "http_client.so").exists(), reason="kamailio with http_client is not installed"),
]

CONFIG = r"""#!KAMAILIO
debug=2
log_stderror=yes
fork=yes
children=2
listen=udp:127.0.0.1:{port}
mpath="{modules}/"
loadmodule "kex.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "http_client.so"
modparam("http_client", "query_result", 0)
modparam("http_client", "connection_timeout", 20)

request_route {{
    if (!mf_process_maxfwd_header("10")) {{ sl_send_reply("483", "Too Many Hops"); exit; }}
    if (has_totag()) {{
        if (loose_route()) {{
            if (is_method("BYE")) {{ route(HANGUP); }}
            t_relay();
            exit;
        }}
        if (is_method("ACK")) {{ if (t_check_trans()) {{ t_relay(); }} exit; }}
        sl_send_reply("404", "No dialog");
        exit;
    }}
    if (is_method("CANCEL")) {{ if (t_check_trans()) {{ t_relay(); }} exit; }}
    if (is_method("REGISTER")) {{ save("location"); exit; }}
    if (!is_method("INVITE")) {{ sl_send_reply("405", "Method Not Allowed"); exit; }}
    record_route();
    # Who should take this call? Anliegen answers with the extension (no menu anywhere).
    $var(code) = http_client_query("{route_url}?format=lines&sep=amp&from=$(fU{{s.escape.param}})", "$var(answer)");
    # The third field is the extension (action, reason, extension, ...): "extension=202".
    $avp(ext) = $(var(answer){{s.select,2,&}}{{s.select,1,=}});
    xlog("L_INFO", "anliegen routing $var(code): $var(answer)\n");
    if ($avp(ext) == $null || $avp(ext) == "") {{ sl_send_reply("480", "Nobody free, we call you back"); exit; }}
    $avp(caller) = $fU;
    $avp(line) = $rU;
    $var(body) = "{{\"event\": \"ring\", \"call_id\": \"" + $ci + "\", \"direction\": \"in\", \"from\": \"" + $fU + "\", \"to\": \"" + $rU + "\", \"extension\": \"" + $avp(ext) + "\"}}";
    $var(code) = http_client_query("{events_url}", "$var(body)", "Content-Type: application/json", "$var(posted)");
    xlog("L_INFO", "anliegen ring event $var(code): $var(posted)\n");
    $ru = "sip:" + $avp(ext) + "@127.0.0.1";
    if (!lookup("location")) {{ sl_send_reply("404", "Extension not registered"); exit; }}
    t_on_reply("ANSWERED");
    t_on_failure("MISSED");
    t_relay();
    exit;
}}

onreply_route[ANSWERED] {{
    xlog("L_INFO", "anliegen reply $rs\n");
    if (status =~ "^2") {{
        $var(body) = "{{\"event\": \"answer\", \"call_id\": \"" + $ci + "\", \"direction\": \"in\", \"from\": \"" + $avp(caller) + "\", \"to\": \"" + $avp(line) + "\", \"extension\": \"" + $avp(ext) + "\"}}";
        http_client_query("{events_url}", "$var(body)", "Content-Type: application/json", "$var(posted)");
    }}
}}

failure_route[MISSED] {{
    $var(result) = "missed";
    if (t_check_status("486|600")) {{ $var(result) = "busy"; }}
    $var(body) = "{{\"event\": \"hangup\", \"call_id\": \"" + $ci + "\", \"direction\": \"in\", \"from\": \"" + $avp(caller) + "\", \"to\": \"" + $avp(line) + "\", \"extension\": \"" + $avp(ext) + "\", \"result\": \"" + $var(result) + "\"}}";
    http_client_query("{events_url}", "$var(body)", "Content-Type: application/json", "$var(posted)");
}}

route[HANGUP] {{
    # The caller hangs up (From is the customer): the call was established.
    $var(body) = "{{\"event\": \"hangup\", \"call_id\": \"" + $ci + "\", \"direction\": \"in\", \"from\": \"" + $fU + "\", \"to\": \"" + $tU + "\", \"result\": \"answered\"}}";
    http_client_query("{events_url}", "$var(body)", "Content-Type: application/json", "$var(posted)");
}}
"""


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def kamailio(live_server, line, tmp_path):
    port = free_udp_port()
    key = f"{line.brand.slug}.{line.token}"
    base = live_server.url.replace("localhost", "127.0.0.1")  # curl may try ::1 first; the server is on IPv4
    cfg = tmp_path / "kamailio.cfg"
    cfg.write_text(CONFIG.format(
        port=port, modules=MODULES, route_url=f"{base}/channels/phone/route/{key}/",
        events_url=f"{base}/hooks/phone/{key}/?format=json",
    ))  # fmt: skip
    log = (tmp_path / "kamailio.log").open("wb")
    proc = subprocess.Popen(
        [KAMAILIO, "-f", str(cfg), "-DD", "-E", "-Y", str(tmp_path), "-P", str(tmp_path / "k.pid"), "-m", "64",
         "-M", "8", "-w", str(tmp_path)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    time.sleep(1.5)
    if proc.poll() is not None:
        raise RuntimeError((tmp_path / "kamailio.log").read_text()[-3000:])
    yield ("127.0.0.1", port)
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def test_customer_with_an_open_case_rings_at_the_owner(kamailio, settings, brand, agents, tmp_path):
    settings.ALLOWED_HOSTS = ["*"]
    contact = Contact.objects.create(brand=brand, name="Jana Krüger", language="de")
    Identity.objects.create(contact=contact, brand=brand, kind="phone", value="+493055571600")
    case = Case.objects.create(
        brand=brand, contact=contact, owner=agents["ben"], subject="Zählerstand", preferred_channel="email"
    )
    anna, ben = UserAgent("201", kamailio), UserAgent("202", kamailio)
    caller = UserAgent("493055571600", kamailio)
    try:
        anna.register()
        ben.register()
        dialog = caller.call("4940123456")
        answered = ben.answer_next_call()  # the owner's phone rings, not Anna's
        assert dialog.established().status == 200
        answered.acknowledged()
        time.sleep(0.5)
        dialog.hang_up()
        answered.answer_bye()
        dialog.hung_up()
    finally:
        for ua in (anna, ben, caller):
            ua.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not Call.objects.filter(ended_at__isnull=False).exists():
        time.sleep(0.2)
    call = Call.objects.select_related("message").get()
    assert (call.result, call.agent, call.extension, call.number) == ("answered", agents["ben"], "202", "+493055571600")
    assert call.message.case == case and call.message.kind == MessageKind.CALL
    assert [e[0] for e in call.events] == ["ring", "answer", "hangup"]
    assert not any(m.method == "INVITE" for m in anna.received)
