from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "social"
    verbose_name = "Social"

    def ready(self) -> None:
        # accounts must not import social (a lower floor); social plugs into its export here.
        # Erasure needs no hook: friendships, requests and participations cascade with the user,
        # and challenges they created stay for the others with `created_by` cleared.
        from accounts import extensions
        from social import selectors

        extensions.export_sections["social"] = selectors.export_for_user
