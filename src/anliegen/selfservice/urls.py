"""Public self-service URLs under a brand: status page (feed, badge), help centre, community, suggestions."""

from django.urls import path

from .views import community, deflection, help, status

app_name = "selfservice"
urlpatterns = [
    path("<slug:brand_slug>/status/", status.status_page, name="status"),
    path("<slug:brand_slug>/status/feed.atom", status.status_feed, name="status_feed"),
    path("<slug:brand_slug>/status/badge.svg", status.status_badge, name="status_badge"),
    path("<slug:brand_slug>/community/", community.community_home, name="community"),
    path("<slug:brand_slug>/community/<int:thread_id>/", community.community_thread, name="thread"),
    path("<slug:brand_slug>/help/", help.help_home, name="help"),
    path("<slug:brand_slug>/help/search/", help.help_search, name="help_search"),
    path("<slug:brand_slug>/help/suggest/", deflection.suggest, name="suggest"),
    path("<slug:brand_slug>/help/solved/", deflection.solved, name="solved"),
    path("<slug:brand_slug>/help/<str:lang>/<slug:slug>/", help.article_page, name="article"),
    path("<slug:brand_slug>/help/<str:lang>/<slug:slug>/feedback/", help.article_feedback, name="article_feedback"),
]
