from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Lower apps never import notifications: it listens to their events and plugs in here.
        from accounts import extensions
        from notifications import receivers, selectors
        from progression import events

        events.level_reached.connect(receivers.on_level_reached, dispatch_uid="notif-level-up")
        extensions.export_sections["notifications"] = selectors.export_for_user
