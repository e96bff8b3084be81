from .appointments import (
    Appointment,
    AppointmentChange,
    AppointmentKind,
    AppointmentStatus,
    ChangeKind,
)
from .feeds import CalendarFeed

__all__ = ["Appointment", "AppointmentChange", "AppointmentKind", "AppointmentStatus", "CalendarFeed", "ChangeKind"]
