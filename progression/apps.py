from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ProgressionConfig(AppConfig):
    name = "progression"
    verbose_name = "Progression"

    def ready(self) -> None:
        from progression.sql import sync_functions_install_after_migrate

        # The sync rules live in progression/sql/sync_merge.sql, (re)installed after migrate.
        post_migrate.connect(sync_functions_install_after_migrate, sender=self)
        # accounts must not import progression (a lower floor); progression plugs in here.
        from accounts import extensions
        from progression import selectors

        extensions.profile_sections["eligibility"] = lambda user: selectors.eligibility_for_user(
            user=user
        )
        extensions.export_sections["progression"] = lambda user: selectors.export_for_user(
            user=user
        )
        # billing (a lower floor) offers upgrades by level; it asks progression through its hook.
        from billing import extensions as billing_extensions
        from progression.levels import level_number_for_xp

        billing_extensions.level_sources.append(
            lambda user: level_number_for_xp(selectors.state_facts(user=user).total_xp)
        )
