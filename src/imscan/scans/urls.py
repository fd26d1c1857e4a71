from django.urls import path

from imscan.scans import views

urlpatterns = [
    path("", views.home, name="home"),
    path("scan/start/", views.start, name="scan-start"),
    path("scan/<token:token>/", views.welcome, name="scan-welcome"),
    path("scan/<token:token>/page/<int:number>/", views.page, name="scan-page"),
    path("scan/<token:token>/answer/", views.answer, name="scan-answer"),
    path("scan/<token:token>/review/", views.review, name="scan-review"),
    path("scan/<token:token>/finish/", views.finish, name="scan-finish"),
]
