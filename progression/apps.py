from django.apps import AppConfig


class ProgressionConfig(AppConfig):
    name = "progression"
    verbose_name = "Progression"

    def ready(self) -> None:
        # accounts must not import progression (a lower floor); progression plugs in here.
        from accounts import extensions
        from progression import selectors

        extensions.profile_sections["eligibility"] = lambda user: selectors.eligibility_for_user(
            user=user
        )
        extensions.export_sections["progression"] = selectors.export_for_user
        # billing (a lower floor) offers upgrades by level; it asks progression through its hook.
        from billing import extensions as billing_extensions
        from progression.levels import level_number_for_xp

        billing_extensions.level_sources.append(
            lambda user: level_number_for_xp(selectors.state_facts(user=user).total_xp)
        )
