"""Models of the apps that reached main at the end of the session that built the API
(feedback, city coaches, volunteering, monitoring, and two additions to areas and
budgeting): what is private is said so below; what is public waits for its endpoint
(``resources.PENDING``), and nothing of it is published until it has one."""

from ..resources import not_published, pending

# Private: people, their contacts and their doings.
not_published("budgeting.Shortlist", "a voter's own shortlist of plans")
not_published("feedback.DivisionMember", "which member of staff handles feedback")
not_published("feedback.ApiKey", "keys of Open311 clients")
not_published("feedback.FeedbackFollower", "who follows feedback: personal data")
not_published("coaches.Appointment", "a resident's meeting with a coach")
not_published("coaches.CompanyContact", "contact people of companies")
not_published("coaches.Company", "the business coaches' record of companies")
not_published("coaches.EventSignup", "who signed up for an event")
not_published("coaches.ContactRequest", "a resident's request to a coach")
not_published("coaches.RequestMessage", "messages of a resident's request")
not_published("coaches.RequestNote", "staff's notes on a request")
not_published("coaches.RequestHandover", "staff's handovers of a request")
not_published("volunteering.OrganiserMember", "who runs an organiser's account")
not_published("volunteering.Invitation", "invitations to organisers' accounts")
not_published("volunteering.SignUp", "who signed up for a shift")
not_published("volunteering.ShiftMessage", "messages to volunteers")

# Public on the site; endpoints still to be declared.
for label in (
    "areas.Neighbourhood",
    "budgeting.PlanImage",
    "feedback.ServiceCategory",
    "feedback.ServiceAttribute",
    "feedback.ServiceAttributeValue",
    "feedback.Feedback",
    "feedback.FeedbackPhoto",
    "feedback.FeedbackEvent",
    "coaches.Topic",
    "coaches.Place",
    "coaches.OfficeHours",
    "coaches.OfficeHoursException",
    "coaches.Event",
    "coaches.CoachProfile",
    "volunteering.Organiser",
    "volunteering.Theme",
    "volunteering.Language",
    "volunteering.Opportunity",
    "volunteering.Shift",
    "volunteering.Talkoot",
    "monitoring.ParticipationPlan",
    "monitoring.Goal",
    "monitoring.CommitteeReport",
):
    pending(label, "public on the site (moderated, published or listed objects only)")
