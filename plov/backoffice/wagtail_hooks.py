from wagtail import hooks

from plov.backoffice.audit import ACTIONS


@hooks.register("register_log_actions")
def register_plov_actions(actions) -> None:
    for action, label in ACTIONS.items():
        actions.register_action(action, label, label)
