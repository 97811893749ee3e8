"""Customer-facing URLs: the brand list, each brand's contact form, and the signed case page."""

from django.urls import path

from . import callback, case_page, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("c/<str:token>/", case_page.case_page, name="case"),
    path("c/<str:token>/files/<int:attachment_id>/", case_page.attachment, name="attachment"),
    path("c/<str:token>/callback/", callback.book, name="callback"),
    path("<slug:brand_slug>/contact/", views.contact_form, name="form"),
    path("<slug:brand_slug>/contact/thanks/<str:ref>/", views.thanks, name="thanks"),
]
