from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "social"
    verbose_name = "Social"

    def ready(self) -> None:
        # accounts and progression must not import social (lower floors); social plugs in here.
        # Erasure needs no cleanup of rows: friendships, requests and participations cascade
        # with the user, and challenges they created stay for the others.
        from allauth.account.models import EmailAddress
        from django.db.models.signals import post_save

        from accounts import extensions
        from accounts.models import User
        from breathmaster import after_response
        from progression import dashboard_sections, state_sections
        from progression import events as progression_events
        from social import receivers, selectors
        from social.selectors import dashboard
        from social.selectors.state import ACTIVE_CHALLENGES_SQL

        extensions.export_sections["social"] = selectors.export_for_user
        dashboard_sections.provide_community_rank(dashboard.dashboard_rank)
        dashboard_sections.provide_active_challenges(dashboard.dashboard_challenges)
        state_sections.provide_active_challenges(ACTIVE_CHALLENGES_SQL)
        extensions.deletion_hooks.append(receivers.on_account_leaving)
        extensions.erasure_hooks.append(receivers.on_account_leaving)
        extensions.return_hooks.append(receivers.on_account_back)
        after_response.install()  # a sync's drain task is published after its answer
        progression_events.days_changed.connect(receivers.on_days_changed)
        progression_events.level_reached.connect(receivers.on_level_reached)
        post_save.connect(receivers.on_user_saved, sender=User, dispatch_uid="social-user")
        post_save.connect(receivers.on_email_saved, sender=EmailAddress, dispatch_uid="social-mail")
