from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Lower apps never import notifications: it listens to their events and plugs in here.
        from accounts import extensions
        from notifications import receivers, selectors
        from progression import events
        from social import events as social_events

        events.level_reached.connect(receivers.on_level_reached, dispatch_uid="notif-level-up")
        social_events.friend_level_reached.connect(
            receivers.on_friend_level_reached, dispatch_uid="notif-friend-level"
        )
        social_events.friend_challenge_completed.connect(
            receivers.on_friend_challenge_completed, dispatch_uid="notif-friend-challenge"
        )
        social_events.cheer_sent.connect(receivers.on_cheer_sent, dispatch_uid="notif-cheer")
        social_events.challenge_result.connect(
            receivers.on_challenge_result, dispatch_uid="notif-challenge-result"
        )
        extensions.export_sections["notifications"] = selectors.export_for_user
