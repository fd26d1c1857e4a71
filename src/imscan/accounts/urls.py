from django.urls import URLPattern, path

from imscan.accounts import views

urlpatterns: list[URLPattern] = [
    path("delete/", views.delete, name="account-delete"),
]
