"""The site's URLs with the commission's pages (until site/urls.py includes them)."""

from saylau.site.urls import handler400, handler403, handler404, handler500
from tests.paper.entry_world import urlpatterns_with_paper

urlpatterns = urlpatterns_with_paper()
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
