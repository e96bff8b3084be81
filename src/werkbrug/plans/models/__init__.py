from .plans import (
    Action,
    ActionStatus,
    ActionStatusChange,
    Goal,
    Plan,
    PlanResponse,
    PlanVersion,
    ResponseKind,
)

__all__ = [
    "Action",
    "ActionStatus",
    "ActionStatusChange",
    "Goal",
    "Plan",
    "PlanResponse",
    "PlanVersion",
    "ResponseKind",
]
