"""The PBX's URLs: call events in, and who should take a ringing call."""

from django.urls import re_path

from . import inbound

app_name = "phone"

urlpatterns = [
    re_path(r"^(?P<slug>[-\w]+)/route/(?P<token>[-\w]+)/$", inbound.route_call, name="route"),
    re_path(
        r"^(?P<slug>[-\w]+)/events/(?P<fmt>zammad|twilio|json)/(?P<token>[-\w]+)/$", inbound.receive, name="events"
    ),
]
