"""Stories URLs: the public side (index, feeds) and the guest-author side (write, my stories).

Story pages themselves are served by Wagtail under /<lang>/stories/<slug>/.
"""

from oncoreach.stories import urls_authoring, urls_public

app_name = "stories"

urlpatterns = urls_public.urlpatterns + urls_authoring.urlpatterns
