"""Models of the platform itself that hold people and their doings: never published."""

from ..resources import not_published

not_published("core.AuditEntry", "who did what: the city's own log")
not_published("core.Job", "background work, whose arguments may name people")
not_published("core.Session", "people's browser sessions")
not_published("accounts.User", "people: personal data")
not_published("accounts.StaffRole", "which member of staff may do what")
not_published("accounts.PendingRegistration", "e-mail addresses waiting for confirmation")
not_published("identity.IdentityVerification", "how a person proved who they are")
not_published("accounts.HelsinkiProfile", "the link of an account to its Helsinki profile")
