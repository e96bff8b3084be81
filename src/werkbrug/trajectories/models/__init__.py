from .intake import Intake, IntakeStatus
from .trajectories import PlanDirectorChange, TeamMembership, Trajectory, TrajectoryStatus

__all__ = ["Intake", "IntakeStatus", "PlanDirectorChange", "TeamMembership", "Trajectory", "TrajectoryStatus"]
