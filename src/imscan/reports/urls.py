from django.urls import path

from imscan.reports import views

urlpatterns = [
    path("scan/<token:token>/results/", views.results, name="scan-results"),
    path("method/", views.method, name="method"),
]
