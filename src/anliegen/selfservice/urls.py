"""Public self-service URLs under a brand: the status page, its Atom feed and badge."""

from django.urls import path

from .views import status

app_name = "selfservice"
urlpatterns = [
    path("<slug:brand_slug>/status/", status.status_page, name="status"),
    path("<slug:brand_slug>/status/feed.atom", status.status_feed, name="status_feed"),
    path("<slug:brand_slug>/status/badge.svg", status.status_badge, name="status_badge"),
]
