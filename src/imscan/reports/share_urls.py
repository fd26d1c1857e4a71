from imscan.sharing.urls import urlpatterns

__all__ = ["urlpatterns"]
