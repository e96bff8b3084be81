"""No admin for appointments: they are client data, read and changed through the pages and API
(access-logged, with history and notifications). Calendar feeds hold only a digest; their owner
renews or switches them off at /appointments/calendar/."""
